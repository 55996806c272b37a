import type { Ctx } from '../platform/context.ts';
import { bulkInsert } from '../platform/db/bulk-insert.ts';
import { nowIso } from '../platform/context.ts';
import { referencedIds, referenceTableOf, type AssetAction, type AssetEvent, type FieldChange, type ReferenceTable } from './history.ts';
import type { AssetEventTable } from './history.table.ts';
import type { Selectable } from 'kysely';
import { assetOutboxEvents } from '../webhooks/asset-events.ts';
import { writeEvents } from '../webhooks/webhook-outbox.ts';

export interface NewAssetEvent {
  assetId: number;
  clientId: number;
  assetName: string;
  action: AssetAction;
  changes?: FieldChange[];
  details?: Record<string, unknown> | null;
}

const EVENT_COLUMNS = [
  'asset_id',
  'client_id',
  'asset_name',
  'action',
  'actor_type',
  'actor_user_id',
  'actor_api_key_id',
  'actor_name',
  'source',
  'ip',
  'reason',
  'correlation_id',
  'changes',
  'details',
  'created_at',
] as const satisfies ReadonlyArray<keyof AssetEventTable>;

/**
 * Appends events in the caller's transaction; the table itself refuses updates and deletes. A change
 * of a reference (location, contact, vendor, network, client) keeps the names the records have now, so
 * the history still reads "Head Office → Branch" after they are renamed or deleted.
 */
export async function appendAssetEvents(ctx: Ctx, events: NewAssetEvent[]): Promise<void> {
  if (events.length === 0) return;
  await nameReferences(ctx, events);
  const at = nowIso(ctx);
  const actor = ctx.actor;
  const rows = events.map((e) => [
    e.assetId,
    e.clientId,
    e.assetName,
    e.action,
    actor.type,
    actor.type === 'system' ? null : actor.userId,
    actor.type === 'api_key' ? actor.apiKeyId : null,
    actor.name,
    ctx.source,
    ctx.ip ?? null,
    ctx.reason ?? null,
    ctx.correlationId ?? null,
    e.changes?.length ? JSON.stringify(e.changes) : null,
    e.details ? JSON.stringify(e.details) : null,
    at,
  ]);
  await bulkInsert(ctx, 'asset_events', EVENT_COLUMNS, rows);
  // The same events for webhooks, in the same transaction (nothing is written while no webhook is active).
  await writeEvents(ctx, assetOutboxEvents(events));
}

async function nameReferences(ctx: Ctx, events: NewAssetEvent[]): Promise<void> {
  const wanted = referencedIds(events);
  if (wanted.size === 0) return;
  const names = new Map<string, string>();
  for (const [table, ids] of wanted) {
    for (const part of chunks([...ids], 500)) {
      const rows = await ctx.db.selectFrom(table).select(['id', 'name']).where('id', 'in', part).execute();
      for (const row of rows) names.set(`${table}:${row.id}`, row.name);
    }
  }
  const nameOf = (table: ReferenceTable, id: unknown) => (typeof id === 'number' ? (names.get(`${table}:${id}`) ?? null) : null);
  for (const e of events) {
    if (!e.changes?.some((c) => referenceTableOf(c.field))) continue;
    e.changes = e.changes.map((c) => {
      const table = referenceTableOf(c.field);
      return table ? { ...c, oldName: nameOf(table, c.old), newName: nameOf(table, c.new) } : c;
    });
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface EventPage {
  events: AssetEvent[];
  /** Pass back as `before` for the next (older) page; null when there is none. */
  nextCursor: number | null;
}

/** An asset's events, newest first, paged by event id. Works for deleted assets too. */
export async function listAssetEvents(ctx: Ctx, assetId: number, options: { limit?: number; before?: number | null } = {}): Promise<EventPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  let q = ctx.db.selectFrom('asset_events').selectAll().where('asset_id', '=', assetId);
  if (options.before) q = q.where('id', '<', options.before);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map(eventRowToEvent);
  return { events: page, nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

export async function listEventsByCorrelation(ctx: Ctx, correlationId: string): Promise<AssetEvent[]> {
  const rows = await ctx.db.selectFrom('asset_events').selectAll().where('correlation_id', '=', correlationId).orderBy('id').execute();
  return rows.map(eventRowToEvent);
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function eventRowToEvent(row: Selectable<AssetEventTable>): AssetEvent {
  return {
    id: row.id,
    assetId: row.asset_id,
    clientId: row.client_id,
    assetName: row.asset_name,
    action: row.action as AssetAction,
    actor: { type: row.actor_type, userId: row.actor_user_id, apiKeyId: row.actor_api_key_id, name: row.actor_name },
    source: row.source,
    ip: row.ip,
    reason: row.reason,
    correlationId: row.correlation_id,
    changes: (parseJson(row.changes) as FieldChange[] | null) ?? [],
    details: (parseJson(row.details) as Record<string, unknown> | null) ?? null,
    createdAt: row.created_at,
  };
}
