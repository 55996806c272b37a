// Webhooks, administrators only: register an endpoint (name, URL, the events it wants, a secret, on or
// off), change or delete it, read its delivery log, redeliver one delivery and send a test ("ping").
// Every entry point (admin pages, API v2) calls these; they check who is acting themselves.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { ConflictError, ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalBool, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { EVENT_TYPES, forgetWebhookPresence } from './webhook-outbox.ts';
import { privateTargetsAllowed, targetProblem } from './webhook-target.ts';

export interface Webhook {
  id: number;
  name: string;
  url: string;
  /** Types and patterns (`asset.*`); empty means every event. */
  events: string[];
  active: boolean;
  /** The secret's last four characters, to tell secrets apart; the secret itself is shown once. */
  secretHint: string;
  consecutiveFailures: number;
  failingSince: string | null;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface WebhookInput {
  name?: Raw;
  url?: Raw;
  /** An array of types and patterns, or text with them separated by commas, spaces or lines. */
  events?: Raw;
  /** Blank or absent on create: one is generated. On update: absent or blank keeps the current one. */
  secret?: Raw;
  active?: Raw;
}

export interface Delivery {
  id: number;
  webhookId: number;
  deliveryKey: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: Attempt[];
}

export interface Attempt {
  id: number;
  attemptedAt: string;
  statusCode: number | null;
  ok: boolean;
  durationMs: number;
  error: string | null;
  requestExcerpt: string | null;
  responseExcerpt: string | null;
}

/** Only administrators (or the system itself) manage webhooks: they can send any client's data anywhere. */
export function requireAdministrator(ctx: Ctx): void {
  if (ctx.principal && !ctx.principal.isAdmin)
    throw new ForbiddenError(`${ctx.principal.name} is not an administrator; webhooks are managed by administrators`);
}

const RECORDS = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0]!))];

function parseEvents(issues: IssueList, raw: Raw): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : null;
  if (!items || items.some((i) => typeof i !== 'string')) {
    issues.add('events', 'type', 'must be a list of event types');
    return [];
  }
  const events = [...new Set((items as string[]).map((i) => i.trim()).filter(Boolean))];
  if (events.length > 100) issues.add('events', 'too_many', `names ${events.length} types; the limit is 100`);
  const unknown = events.filter((e) => !(e === '*' || EVENT_TYPES.includes(e) || (e.endsWith('.*') && RECORDS.includes(e.slice(0, -2)))));
  if (unknown.length)
    issues.add(
      'events',
      'unknown_event',
      `${unknown.map((u) => `"${u.slice(0, 60)}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an event type or pattern (like asset.created or asset.*)`,
    );
  return events.includes('*') ? [] : events;
}

/** Whether a webhook with these event filters wants an event of this type. */
export function wantsEvent(filters: readonly string[], type: string): boolean {
  if (type === 'webhook.ping' || filters.length === 0) return true;
  return filters.some((f) => f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1))));
}

function parseSecret(issues: IssueList, raw: Raw): string | null {
  const secret = optionalText(issues, 'secret', raw, 200);
  if (secret !== null && secret.length < 16) issues.add('secret', 'too_short', `is ${secret.length} characters long; use at least 16`);
  return secret;
}

export function generateSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

async function parseWebhook(ctx: Ctx, input: WebhookInput, mode: 'create' | 'update') {
  const issues = new IssueList();
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: { name?: string; url?: string; events?: string; active?: number; secret?: string } = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.url)) {
    const url = requiredText(issues, 'url', input.url, 2000);
    if (url) {
      const problem = await targetProblem(url, await privateTargetsAllowed(ctx));
      if (problem) issues.add('url', 'target_refused', problem);
    }
    values.url = url;
  }
  if (wanted(input.events)) values.events = JSON.stringify(parseEvents(issues, input.events));
  if (wanted(input.active)) values.active = (optionalBool(issues, 'active', input.active) ?? mode === 'create') ? 1 : 0;
  const secret = parseSecret(issues, input.secret);
  if (secret) values.secret = secret;
  issues.throwIfAny();
  return values;
}

function toWebhook(r: {
  id: number;
  name: string;
  url: string;
  events: string;
  secret: string;
  active: number | boolean;
  consecutive_failures: number;
  failing_since: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string | null;
}): Webhook {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    active: Boolean(r.active),
    secretHint: r.secret.slice(-4),
    consecutiveFailures: r.consecutive_failures,
    failingSince: r.failing_since,
    disabledReason: r.disabled_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listWebhooks(ctx: Ctx): Promise<Webhook[]> {
  requireAdministrator(ctx);
  const rows = await ctx.db.selectFrom('webhooks').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map(toWebhook);
}

export async function getWebhook(ctx: Ctx, id: number): Promise<Webhook> {
  requireAdministrator(ctx);
  const row = await ctx.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('webhook', id);
  return toWebhook(row);
}

/** Registers a webhook; the answer carries its secret, which is never shown again. */
export async function createWebhook(ctx: Ctx, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
  requireAdministrator(ctx);
  const values = await parseWebhook(ctx, input, 'create');
  const secret = values.secret ?? generateSecret();
  const webhook = await inTransaction(ctx, async (ctx) => {
    const { id } = await ctx.db
      .insertInto('webhooks')
      .values({
        name: values.name!,
        url: values.url!,
        events: values.events!,
        secret,
        active: values.active ?? 1,
        consecutive_failures: 0,
        created_at: nowIso(ctx),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, { action: 'webhook.created', entityType: 'webhook', entityId: id, details: { name: values.name, url: values.url } });
    return getWebhook(ctx, id);
  });
  forgetWebhookPresence();
  return { webhook, secret };
}

/** Changes the fields given. Turning a webhook back on clears its failure count. */
export async function updateWebhook(ctx: Ctx, id: number, input: WebhookInput): Promise<Webhook> {
  requireAdministrator(ctx);
  await getWebhook(ctx, id);
  const values = await parseWebhook(ctx, input, 'update');
  const webhook = await inTransaction(ctx, async (ctx) => {
    const current = await getWebhook(ctx, id);
    const reactivated = values.active === 1 && !current.active;
    await ctx.db
      .updateTable('webhooks')
      .set({
        ...values,
        ...(reactivated ? { consecutive_failures: 0, failing_since: null, disabled_reason: null } : {}),
        updated_at: nowIso(ctx),
      })
      .where('id', '=', id)
      .execute();
    const changed = Object.keys(values).filter((k) => k !== 'secret');
    await recordAudit(ctx, {
      action: 'webhook.updated',
      entityType: 'webhook',
      entityId: id,
      details: { changed, secretChanged: values.secret !== undefined },
    });
    return getWebhook(ctx, id);
  });
  forgetWebhookPresence();
  return webhook;
}

export async function deleteWebhook(ctx: Ctx, id: number): Promise<void> {
  requireAdministrator(ctx);
  await inTransaction(ctx, async (ctx) => {
    const current = await getWebhook(ctx, id);
    await ctx.db.deleteFrom('webhooks').where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'webhook.deleted', entityType: 'webhook', entityId: id, details: { name: current.name } });
  });
  forgetWebhookPresence();
}

export interface DeliveryPage {
  deliveries: Delivery[];
  /** Pass back as `before` for older deliveries; null when there are none. */
  nextBefore: number | null;
}

/** A webhook's deliveries, newest first, each with its attempts (newest first). */
export async function listDeliveries(ctx: Ctx, webhookId: number, options: { limit?: number; before?: number | null } = {}): Promise<DeliveryPage> {
  requireAdministrator(ctx);
  await getWebhook(ctx, webhookId);
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  let q = ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.webhook_id',
      'd.delivery_key',
      'd.event_type',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_status_code',
      'd.last_error',
      'd.created_at',
      'd.delivered_at',
      'e.event_id',
    ])
    .where('d.webhook_id', '=', webhookId);
  if (options.before) q = q.where('d.id', '<', options.before);
  const rows = await q
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const attempts = page.length
    ? await ctx.db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          page.map((r) => r.id),
        )
        .orderBy('id', 'desc')
        .execute()
    : [];
  return {
    deliveries: page.map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      deliveryKey: r.delivery_key,
      eventId: r.event_id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      log: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          id: a.id,
          attemptedAt: a.attempted_at,
          statusCode: a.status_code,
          ok: Boolean(a.ok),
          durationMs: a.duration_ms,
          error: a.error,
          requestExcerpt: a.request_excerpt,
          responseExcerpt: a.response_excerpt,
        })),
    })),
    nextBefore: rows.length > limit ? page.at(-1)!.id : null,
  };
}

async function newDelivery(ctx: Ctx, webhookId: number, eventRowId: number, eventType: string): Promise<number> {
  const at = nowIso(ctx);
  const { id } = await ctx.db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: webhookId,
      event_id: eventRowId,
      delivery_key: randomUUID(),
      event_type: eventType,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function requireActive(ctx: Ctx, webhookId: number): Promise<Webhook> {
  const webhook = await getWebhook(ctx, webhookId);
  if (!webhook.active) throw new ConflictError(`webhook ${webhookId} is turned off; turn it on first`);
  return webhook;
}

/**
 * Sends a delivery's event again, as a new delivery (with its own X-Steward-Delivery; the event keeps
 * its id), whatever became of the first. The delivery loop sends it within a few seconds.
 */
export async function redeliver(ctx: Ctx, webhookId: number, deliveryId: number): Promise<number> {
  requireAdministrator(ctx);
  return inTransaction(ctx, async (ctx) => {
    await requireActive(ctx, webhookId);
    const delivery = await ctx.db
      .selectFrom('webhook_deliveries')
      .select(['event_id', 'event_type'])
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .executeTakeFirst();
    if (!delivery) throw new NotFoundError('delivery', deliveryId);
    const id = await newDelivery(ctx, webhookId, delivery.event_id, delivery.event_type);
    await recordAudit(ctx, { action: 'webhook.redelivered', entityType: 'webhook', entityId: webhookId, details: { deliveryId, newDeliveryId: id } });
    return id;
  });
}

/** Queues a `webhook.ping` event for this webhook alone; the answer is the delivery's id. */
export async function pingWebhook(ctx: Ctx, webhookId: number): Promise<number> {
  requireAdministrator(ctx);
  return inTransaction(ctx, async (ctx) => {
    const webhook = await requireActive(ctx, webhookId);
    const at = nowIso(ctx);
    const eventId = randomUUID();
    const actor = ctx.actor;
    const body = {
      id: eventId,
      type: 'webhook.ping',
      occurred_at: at,
      correlation_id: null,
      actor: {
        type: actor.type,
        user_id: actor.type === 'system' ? null : actor.userId,
        api_key_id: actor.type === 'api_key' ? actor.apiKeyId : null,
        name: actor.name,
      },
      source: ctx.source,
      client_id: null,
      data: { id: webhook.id, name: webhook.name, client_id: null },
    };
    const { id } = await ctx.db
      .insertInto('webhook_events')
      .values({ event_id: eventId, type: 'webhook.ping', client_id: null, occurred_at: at, body: JSON.stringify(body), dispatched_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return newDelivery(ctx, webhookId, id, 'webhook.ping');
  });
}

/** Active webhooks (for the delivery loop's fan-out). */
export async function activeWebhookFilters(ctx: Ctx): Promise<Array<{ id: number; events: string[]; createdAt: string }>> {
  const rows = await ctx.db.selectFrom('webhooks').select(['id', 'events', 'created_at']).where('active', '=', sql.lit(true)).execute();
  return rows.map((r) => ({ id: r.id, events: JSON.parse(r.events) as string[], createdAt: r.created_at }));
}
