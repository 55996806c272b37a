// The delivery loop every server process runs. Three steps, each safe with any number of processes:
//
// 1. Fan-out: events not yet dispatched become one delivery per active webhook that wants them, and
//    are marked dispatched, in one transaction (PostgreSQL: rows locked `for update skip locked`, so two
//    processes take different events; SQLite: one writer at a time).
// 2. Claim: due deliveries get a lease (claimed_until, claim_token) in one atomic statement; a process
//    sends only what it claimed, so a delivery is never sent by two processes at once.
// 3. Send and record: the answer is written with the lease's token in one transaction: a 2xx marks the
//    delivery delivered in the same step that logs the attempt; anything else schedules a retry with
//    exponential backoff, for 24 hours, then gives up.
//
// A process that dies mid-delivery leaves its lease to expire; another process then sends the delivery
// again. So delivery is at least once: a receiver that must not act twice keeps the X-Steward-Delivery
// of what it processed (it is the same on every retry of one delivery).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { nowIso, inTransaction, type Ctx } from '../platform/context.ts';
import { notifyAccountHolder } from '../notifications/notification.service.ts';
import { sendDelivery, signature, type SendResult } from './webhook-http.ts';
import { activeWebhookFilters, wantsEvent } from './webhook.service.ts';
import { privateTargetsAllowed } from './webhook-target.ts';

/** How long a claim holds: well over the 10 s request limit. */
export const CLAIM_MS = 60_000;
/** Retries stop this long after the delivery was created. */
export const RETRY_FOR_MS = 24 * 3_600_000;
/** A webhook is turned off after this many failed attempts in a row (or failing for RETRY_FOR_MS). */
export const FAILURES_BEFORE_DISABLE = 20;

/** 30 s, 1 min, 2 min, … doubling, at most an hour between attempts. */
export function defaultBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface DeliveryOptions {
  /** Replaceable in tests (a receiver that must be reached on 127.0.0.1 still needs the setting). */
  send?: typeof sendDelivery;
  backoffMs?: (attempts: number) => number;
  batch?: number;
  timeoutMs?: number;
}

const time = (ctx: Ctx) => (ctx.now ? ctx.now() : new Date()).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

/** Step 1: turns undispatched events into deliveries. Returns how many events it took. */
export async function dispatchEvents(ctx: Ctx, batch = 200): Promise<number> {
  return inTransaction(ctx, async (ctx) => {
    let q = ctx.db.selectFrom('webhook_events').select(['id', 'type', 'occurred_at']).where('dispatched_at', 'is', null).orderBy('id').limit(batch);
    if (ctx.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const events = await q.execute();
    if (events.length === 0) return 0;
    const webhooks = await activeWebhookFilters(ctx);
    const at = nowIso(ctx);
    const rows = events.flatMap((e) =>
      webhooks
        .filter((w) => w.createdAt <= e.occurred_at && wantsEvent(w.events, e.type))
        .map((w) => ({
          webhook_id: w.id,
          event_id: e.id,
          delivery_key: randomUUID(),
          event_type: e.type,
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: at,
          created_at: at,
        })),
    );
    for (let i = 0; i < rows.length; i += 500)
      await ctx.db
        .insertInto('webhook_deliveries')
        .values(rows.slice(i, i + 500))
        .execute();
    await ctx.db
      .updateTable('webhook_events')
      .set({ dispatched_at: at })
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    return events.length;
  });
}

export interface ClaimedDelivery {
  id: number;
  token: string;
  deliveryKey: string;
  eventType: string;
  attempts: number;
  createdAt: string;
  webhookId: number;
  url: string;
  secret: string;
  body: string;
}

/** Step 2: leases up to `limit` due deliveries of active webhooks to this caller. */
export async function claimDeliveries(ctx: Ctx, limit = 20): Promise<ClaimedDelivery[]> {
  const now = time(ctx);
  const token = randomUUID();
  const due = (db: Ctx['db']) =>
    db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('w.active', '=', sql.lit(true))
      .where('d.next_attempt_at', '<=', iso(now))
      .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<', iso(now))]))
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit);
  await inTransaction(ctx, async (ctx) => {
    // PostgreSQL: lock the chosen rows, skipping those another process is claiming right now. SQLite:
    // the update is one statement under the single writer's lock.
    const ids = ctx.dialect === 'postgres' ? (await due(ctx.db).forUpdate('d').skipLocked().execute()).map((r) => r.id) : null;
    if (ids && ids.length === 0) return;
    await ctx.db
      .updateTable('webhook_deliveries')
      .set({ claimed_until: iso(now + CLAIM_MS), claim_token: token })
      .where('id', 'in', ids ?? due(ctx.db))
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', iso(now))]))
      .execute();
  });
  const rows = await ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.delivery_key', 'd.event_type', 'd.attempts', 'd.created_at', 'd.webhook_id', 'w.url', 'w.secret', 'e.body'])
    .where('d.claim_token', '=', token)
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    token,
    deliveryKey: r.delivery_key,
    eventType: r.event_type,
    attempts: r.attempts,
    createdAt: r.created_at,
    webhookId: r.webhook_id,
    url: r.url,
    secret: r.secret,
    body: r.body,
  }));
}

/** Step 3a: sends one claimed delivery, signed; the DNS answer is checked on the connection itself. */
export async function sendClaimed(ctx: Ctx, d: ClaimedDelivery, options: DeliveryOptions = {}): Promise<SendResult> {
  const unix = Math.floor(time(ctx) / 1000);
  const allowPrivate = await privateTargetsAllowed(ctx);
  return (options.send ?? sendDelivery)({
    url: d.url,
    body: d.body,
    allowPrivate,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Steward-Webhooks/1',
      'x-steward-event': d.eventType,
      'x-steward-delivery': d.deliveryKey,
      'x-steward-signature': signature(d.secret, d.body, unix),
    },
  });
}

/**
 * Step 3b: records the attempt and its outcome under the claim's token, in one transaction. A claim
 * that expired and was taken by another process meanwhile changes nothing but the log.
 */
export async function recordOutcome(ctx: Ctx, d: ClaimedDelivery, result: SendResult, options: DeliveryOptions = {}): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const now = time(ctx);
    const attempts = d.attempts + 1;
    const gaveUp = !result.ok && now + (options.backoffMs ?? defaultBackoffMs)(attempts) - Date.parse(d.createdAt) > RETRY_FOR_MS;
    const updated = await ctx.db
      .updateTable('webhook_deliveries')
      .set({
        status: result.ok ? 'delivered' : gaveUp ? 'failed' : 'pending',
        attempts,
        claimed_until: null,
        claim_token: null,
        last_status_code: result.statusCode,
        last_error: result.error?.slice(0, 500) ?? null,
        delivered_at: result.ok ? iso(now) : null,
        next_attempt_at: iso(result.ok || gaveUp ? now : now + (options.backoffMs ?? defaultBackoffMs)(attempts)),
      })
      .where('id', '=', d.id)
      .where('claim_token', '=', d.token)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    await ctx.db
      .insertInto('webhook_attempts')
      .values({
        delivery_id: d.id,
        attempted_at: iso(now),
        status_code: result.statusCode,
        ok: result.ok ? 1 : 0,
        duration_ms: result.durationMs,
        error: result.error?.slice(0, 500) ?? null,
        request_excerpt: result.requestExcerpt,
        response_excerpt: result.responseExcerpt,
      })
      .execute();
    if (Number(updated.numUpdatedRows) === 0) return;
    await noteWebhookHealth(ctx, d.webhookId, result.ok, now);
  });
}

async function noteWebhookHealth(ctx: Ctx, webhookId: number, ok: boolean, now: number): Promise<void> {
  if (ok) {
    await ctx.db.updateTable('webhooks').set({ consecutive_failures: 0, failing_since: null }).where('id', '=', webhookId).execute();
    return;
  }
  const w = await ctx.db
    .selectFrom('webhooks')
    .select(['name', 'active', 'consecutive_failures', 'failing_since'])
    .where('id', '=', webhookId)
    .executeTakeFirst();
  if (!w) return;
  const failures = w.consecutive_failures + 1;
  const since = w.failing_since ?? iso(now);
  const tooLong = now - Date.parse(since) >= RETRY_FOR_MS;
  const disable = Boolean(w.active) && (failures >= FAILURES_BEFORE_DISABLE || tooLong);
  const reason = disable
    ? failures >= FAILURES_BEFORE_DISABLE
      ? `turned off after ${failures} failed deliveries in a row`
      : 'turned off after every delivery failed for 24 hours'
    : null;
  let update = ctx.db
    .updateTable('webhooks')
    .set({ consecutive_failures: failures, failing_since: since, ...(disable ? { active: 0, disabled_reason: reason, updated_at: iso(now) } : {}) })
    .where('id', '=', webhookId);
  // Only the process that turns it off tells the administrators.
  if (disable) update = update.where('active', '=', sql.lit(true));
  const result = await update.executeTakeFirst();
  if (disable && Number(result.numUpdatedRows) > 0)
    await tellAdministrators(ctx, `Webhook "${w.name}" was ${reason}; turn it on again once its endpoint works`);
}

async function tellAdministrators(ctx: Ctx, title: string): Promise<void> {
  const admins = await ctx.db
    .selectFrom('users as u')
    .innerJoin('roles as r', 'r.id', 'u.role_id')
    .select('u.id')
    .where('r.is_admin', '=', sql.lit(true))
    .where('u.status', '=', 'active')
    .execute();
  for (const a of admins) await notifyAccountHolder(ctx, a.id, 'webhook_disabled', title);
}

/** How long events and their delivery log are kept once nothing is pending for them. */
export const KEEP_EVENTS_DAYS = 30;

/** Removes events (with their deliveries and attempts) dispatched long ago and no longer pending. */
export async function purgeOldEvents(ctx: Ctx, days = KEEP_EVENTS_DAYS): Promise<number> {
  const cutoff = iso(time(ctx) - days * 86_400_000);
  const result = await ctx.db
    .deleteFrom('webhook_events')
    .where('dispatched_at', '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'webhook_events.id').where('d.status', '=', 'pending')),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One pass: fan out new events, then claim, send and record due deliveries until none is left. */
export async function runDeliveryOnce(ctx: Ctx, options: DeliveryOptions = {}): Promise<{ dispatched: number; sent: number }> {
  let dispatched = 0;
  for (let n = await dispatchEvents(ctx); n > 0; n = await dispatchEvents(ctx)) dispatched += n;
  let sent = 0;
  for (let round = 0; round < 50; round++) {
    const claimed = await claimDeliveries(ctx, options.batch ?? 20);
    if (claimed.length === 0) break;
    // Webhooks in parallel; each webhook's deliveries one after the other, oldest first, so a receiver
    // sees one process's events in order (retries and other processes can still reorder them).
    const byWebhook = new Map<number, ClaimedDelivery[]>();
    for (const d of claimed) byWebhook.set(d.webhookId, [...(byWebhook.get(d.webhookId) ?? []), d]);
    await Promise.all(
      [...byWebhook.values()].map(async (list) => {
        for (const d of list) {
          const result = await sendClaimed(ctx, d, options);
          await recordOutcome(ctx, d, result, options);
        }
      }),
    );
    sent += claimed.length;
  }
  return { dispatched, sent };
}

/**
 * Runs the loop every `intervalMs` (1 s) until stopped. Cheap when idle: two small indexed queries.
 * Returns the function that stops it; a delivery in flight then finishes or its claim expires.
 */
export function startWebhookDelivery(ctx: Ctx, log: { warn(message: string): void }, options: DeliveryOptions & { intervalMs?: number } = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let purgedAt = 0;
  const tick = async () => {
    try {
      await runDeliveryOnce(ctx, options);
      if (Date.now() - purgedAt > 3_600_000) {
        purgedAt = Date.now();
        await purgeOldEvents(ctx);
      }
    } catch (error) {
      log.warn(`webhook delivery failed (it runs again shortly): ${(error as Error).message}`);
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), options.intervalMs ?? 1_000);
      timer.unref();
    }
  };
  timer = setTimeout(() => void tick(), options.intervalMs ?? 1_000);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
