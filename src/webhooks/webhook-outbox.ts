// The event outbox: every change that webhooks may report writes its event here, in the transaction of
// the change itself, so an event exists exactly when its change committed. The delivery loop
// (webhook-delivery.ts) turns events into deliveries later; nothing here talks to the network.
//
// Cost when no webhook is configured: one indexed look-up of the tiny `webhooks` table per transaction
// that writes events (a CSV import writes its events per batch of rows, so a million rows pay a few
// thousand look-ups of an empty table), and no rows. The answer is read inside the writing transaction,
// never from a per-process cache of "none", so no event is missed because another process created the
// first webhook a moment ago: on SQLite the writer holds the write lock while it looks; on PostgreSQL a
// change whose look-up ran before the webhook's creation committed is ordered before that webhook, as
// if it had happened earlier (which it did: it read the world before the webhook existed). Only a "yes"
// is remembered (for 2 s per process): an event written for a webhook deleted meanwhile is harmless,
// the delivery loop finds nobody who wants it.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { nowIso, type Ctx } from '../platform/context.ts';
import { bulkInsert } from '../platform/db/bulk-insert.ts';

/** The kinds of record whose changes become events. */
export type EventRecord = 'asset' | 'interface' | 'client' | 'location' | 'contact' | 'vendor' | 'network' | 'service' | 'ticket' | 'login';
export type RecordAction = 'created' | 'updated' | 'archived' | 'restored' | 'deleted';

/** One field's change as events carry it: the field in snake_case. */
export interface EventChange {
  field: string;
  old: unknown;
  new: unknown;
  old_name?: string | null;
  new_name?: string | null;
}

/** What a service hands the outbox: the rest (id, time, actor, source) comes from the context. */
export interface NewEvent {
  type: string;
  data: { id: number; name: string; client_id: number | null } & Record<string, unknown>;
  changes?: EventChange[];
  details?: Record<string, unknown> | null;
}

/** Every event type a webhook can ask for, for the forms and the reference. */
export const EVENT_TYPES: readonly string[] = [
  ...['created', 'updated', 'archived', 'restored', 'deleted', 'transferred'].map((a) => `asset.${a}`),
  ...['created', 'updated', 'deleted', 'connected', 'disconnected'].map((a) => `interface.${a}`),
  ...(['client', 'location', 'contact', 'vendor', 'network', 'service', 'ticket', 'login'] as const).flatMap((r) =>
    ['created', 'updated', 'archived', 'restored', 'deleted'].map((a) => `${r}.${a}`),
  ),
  'webhook.ping',
];

const POSITIVE_FOR_MS = 2_000;
let positiveUntil = 0;
const perTransaction = new WeakMap<object, boolean>();

/** Forget the remembered answer (a webhook was created, changed or deleted by this process). */
export function forgetWebhookPresence(): void {
  positiveUntil = 0;
}

/** Whether events are wanted at all: some webhook is active. Read in the caller's transaction. */
export async function outboxWanted(ctx: Ctx): Promise<boolean> {
  if (Date.now() < positiveUntil) return true;
  const memo = ctx.db.isTransaction ? perTransaction.get(ctx.db) : undefined;
  if (memo !== undefined) return memo;
  const row = await ctx.db.selectFrom('webhooks').select('id').where('active', '=', sql.lit(true)).limit(1).executeTakeFirst();
  const wanted = row !== undefined;
  if (wanted) positiveUntil = Date.now() + POSITIVE_FOR_MS;
  if (ctx.db.isTransaction) perTransaction.set(ctx.db, wanted);
  return wanted;
}

const COLUMNS = ['event_id', 'type', 'client_id', 'occurred_at', 'body'] as const;

/** Writes events to the outbox in the caller's transaction (when any webhook is active). */
export async function writeEvents(ctx: Ctx, events: NewEvent[]): Promise<void> {
  if (events.length === 0 || !(await outboxWanted(ctx))) return;
  const at = nowIso(ctx);
  const actor = ctx.actor;
  const rows = events.map((e) => {
    const id = uuidV7(ctx);
    const body = {
      id,
      type: e.type,
      occurred_at: at,
      correlation_id: ctx.correlationId ?? null,
      actor: {
        type: actor.type,
        user_id: actor.type === 'system' ? null : actor.userId,
        api_key_id: actor.type === 'api_key' ? actor.apiKeyId : null,
        name: actor.name,
      },
      source: ctx.source,
      client_id: e.data.client_id,
      data: e.data,
      ...(e.changes ? { changes: e.changes } : {}),
      ...(e.details ? { details: e.details } : {}),
    };
    return [id, e.type, e.data.client_id, at, JSON.stringify(body)];
  });
  await bulkInsert(ctx, 'webhook_events', COLUMNS, rows);
}

/** The one call a record's service makes for a change: `client.updated` with its changed columns. */
export async function recordEvent(
  ctx: Ctx,
  record: Exclude<EventRecord, 'asset' | 'interface'>,
  action: RecordAction,
  subject: { id: number; name: string; clientId: number | null },
  changes?: EventChange[],
): Promise<void> {
  await writeEvents(ctx, [
    { type: `${record}.${action}`, data: { id: subject.id, name: subject.name, client_id: subject.clientId }, ...(changes ? { changes } : {}) },
  ]);
}

// Columns never named in an event, nor their values: secrets and what is derived from them.
const HIDDEN = /password|secret|otp|totp|key|hash|token|encrypted/i;

/**
 * The changes between a row as it was and the columns a write set (both with database column names,
 * already snake_case). Secret columns are left out; `updated_at` too, which every write touches.
 */
export function columnChanges(before: object, changed: object): EventChange[] {
  const old = before as Record<string, unknown>;
  return Object.entries(changed)
    .filter(([field]) => field !== 'updated_at' && !HIDDEN.test(field))
    .filter(([field, value]) => !sameValue(old[field], value))
    .map(([field, value]) => ({ field, old: plain(old[field]), new: plain(value) }));
}

function sameValue(a: unknown, b: unknown): boolean {
  const x = plain(a);
  const y = plain(b);
  return x === y || (typeof x === 'boolean' && Number(x) === y) || (typeof y === 'boolean' && Number(y) === x);
}

function plain(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** `primaryInterface.networkId` → `primary_interface.network_id`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** An object's keys in snake_case, one level deep. */
export function snakeKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), v]));
}

/** A UUIDv7: time-ordered, so event ids sort by when they were written. */
function uuidV7(ctx: Ctx): string {
  const ms = BigInt((ctx.now ? ctx.now() : new Date()).getTime());
  const bytes = randomBytes(16);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
