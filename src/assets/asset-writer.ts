// New assets are written here and nowhere else: one by createAsset (the form, both APIs), thousands at
// once by a CSV import, a transfer's copies. Each gets the same asset row, interfaces, tags, search text
// and history event, a few hundred rows per statement. The input arrives checked by the asset rules.
import { sql } from 'kysely';
import { appendAssetEvents, type NewAssetEvent } from '../history/history.repository.ts';
import type { AssetAction, FieldChange } from '../history/history.ts';
import { bulkInsert } from '../platform/db/bulk-insert.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { ASSET_COLUMNS, EDITABLE_FIELDS, INTERFACE_COLUMNS, INTERFACE_FIELDS, type Asset, type AssetFields, type InterfaceFields } from './asset.ts';
import { searchDocument } from './search-text.ts';

export interface NewInterface extends Partial<InterfaceFields> {
  name: string;
  primary: boolean;
}

export interface NewAsset {
  clientId: number;
  fields: Partial<AssetFields> & { name: string };
  /** Usually just the primary interface; a transfer's copy brings all of the original's. */
  interfaces: NewInterface[];
  tags: Array<{ id: number; name: string }>;
  /** How the asset came to be, for its first history event: created, copied, imported, transferred_in. */
  action: AssetAction;
  details: Record<string, unknown> | null;
  /** A transfer's copy keeps the original's photo and points back at it. */
  photo?: string | null;
  transferredFromId?: number | null;
}

const ASSET_ROW = ['id', 'client_id', 'version', 'created_at', ...EDITABLE_FIELDS.map((f) => ASSET_COLUMNS[f]), 'photo', 'transferred_from_id'];
const INTERFACE_ROW = ['asset_id', ...INTERFACE_FIELDS.map((f) => INTERFACE_COLUMNS[f]), 'is_primary', 'created_at'];
const NO_FIELDS = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, null])) as Record<string, null>;

export interface InsertOptions {
  /**
   * Runs once the rows are written, before the new assets' own events: its events come first in the
   * history (a transfer's "transferred out", so each original's story ends before its copy's begins).
   */
  precededBy?: (ids: number[]) => Promise<NewAssetEvent[]>;
}

/** Writes the assets in one transaction (the caller's, if it has one); returns their ids, in order. */
export async function insertAssets(ctx: Ctx, assets: NewAsset[], options: InsertOptions = {}): Promise<number[]> {
  if (assets.length === 0) return [];
  return inTransaction(ctx, async (ctx) => {
    const at = nowIso(ctx);
    const ids = await allocateAssetIds(ctx, assets.length);
    const interfaceRows: unknown[][] = [];
    const tagRows: unknown[][] = [];
    const searchRows: unknown[][] = [];
    assets.forEach((a, i) => {
      const id = ids[i]!;
      for (const iface of a.interfaces) interfaceRows.push(interfaceRow(id, iface, at));
      for (const tag of a.tags) tagRows.push([id, tag.id]);
      const addresses = [...a.interfaces]
        .sort((x, y) => Number(!!y.primary) - Number(!!x.primary))
        .map((x) => ({ ip: x.ip ?? null, mac: x.mac ?? null, ipv6: x.ipv6 ?? null, natIp: x.natIp ?? null }));
      searchRows.push([id, searchDocument({ ...NO_FIELDS, ...a.fields } as unknown as Asset, addresses)]);
    });
    await bulkInsert(
      ctx,
      'assets',
      ASSET_ROW,
      assets.map((a, i) => assetRow(ids[i]!, a, at)),
    );
    await bulkInsert(ctx, 'asset_interfaces', INTERFACE_ROW, interfaceRows);
    await bulkInsert(ctx, 'asset_tags', ['asset_id', 'tag_id'], tagRows);
    await bulkInsert(ctx, 'asset_search', [ctx.dialect === 'sqlite' ? 'rowid' : 'asset_id', 'doc'], searchRows);
    const preceding = options.precededBy ? await options.precededBy(ids) : [];
    await appendAssetEvents(ctx, [
      ...preceding,
      ...assets.map((a, i) => ({
        assetId: ids[i]!,
        clientId: a.clientId,
        assetName: a.fields.name,
        action: a.action,
        changes: creationChanges(a),
        details: a.details,
      })),
    ]);
    return ids;
  });
}

/** The new asset's row, in ASSET_ROW's order: a field not given is what the table would default it to. */
function assetRow(id: number, a: NewAsset, at: string): unknown[] {
  const row: unknown[] = [id, a.clientId, 1, at];
  for (const field of EDITABLE_FIELDS) {
    const value = a.fields[field];
    row.push(typeof value === 'boolean' ? (value ? 1 : 0) : (value ?? (field === 'favorite' ? 0 : null)));
  }
  row.push(a.photo ?? null, a.transferredFromId ?? null);
  return row;
}

function interfaceRow(assetId: number, iface: NewInterface, at: string): unknown[] {
  return [assetId, ...INTERFACE_FIELDS.map((f) => iface[f] ?? null), iface.primary ? 1 : 0, at];
}

/** What the first history event records: each field set, the primary interface's, and the tags. */
function creationChanges(a: NewAsset): FieldChange[] {
  const primary = a.interfaces.find((x) => x.primary);
  return [
    ...initialChanges(a.fields, EDITABLE_FIELDS),
    ...(primary ? initialChanges(primary, INTERFACE_FIELDS, 'primaryInterface.') : []),
    ...(a.tags.length ? [{ field: 'tags', old: [], new: sortedTagNames(a.tags) }] : []),
  ];
}

/** Tag names in the order history lists them (as tagNamesOfAsset gives them). */
export function sortedTagNames(tags: Array<{ name: string }>): string[] {
  return tags.map((t) => t.name).sort((a, b) => a.localeCompare(b));
}

/** Changes from nothing to each set value: what a creation event records. */
export function initialChanges<T extends object>(values: T, fields: readonly string[], prefix = ''): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of fields) {
    const value = (values as Record<string, unknown>)[field];
    if (value !== undefined && value !== null && value !== false) out.push({ field: prefix + field, old: null, new: value });
  }
  return out;
}

/**
 * Ids taken in advance, so each row's id is known without relying on the order RETURNING gives.
 * SQLite: every write transaction begins IMMEDIATE, holding the write lock, so nobody else takes ids
 * meanwhile; ids are never reused (AUTOINCREMENT), hence the sequence. PostgreSQL: from the identity's
 * sequence.
 */
async function allocateAssetIds(ctx: Ctx, count: number): Promise<number[]> {
  if (ctx.dialect === 'sqlite') {
    const { rows } = await sql<{
      n: number;
    }>`select max(coalesce((select seq from sqlite_sequence where name = 'assets'), 0), coalesce((select max(id) from assets), 0)) as n`.execute(ctx.db);
    const first = rows[0]!.n + 1;
    return Array.from({ length: count }, (_, i) => first + i);
  }
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('assets', 'id'))::int as id from generate_series(1, ${count})`.execute(
    ctx.db,
  );
  return rows.map((r) => r.id);
}
