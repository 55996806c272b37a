// Creating imported assets in bulk: the same rows createAsset writes (the asset, its primary interface
// "01", tags, search text and an "imported" history event), but a few hundred per statement, because
// one round of the per-asset rules for each row cannot reach tens of thousands of rows a second. The
// rows arrive already checked by the same field rules.
import { sql } from 'kysely';
import { searchDocument } from '../assets/asset.repository.ts';
import { initialChanges } from '../assets/asset.service.ts';
import { ASSET_COLUMNS, EDITABLE_FIELDS, type Asset, type AssetFields } from '../assets/asset.ts';
import { bulkInsert } from '../platform/db/bulk-insert.ts';
import { appendAssetEvents } from '../history/history.repository.ts';
import { nowIso, type Ctx } from '../platform/context.ts';

export interface NewImportedAsset {
  clientId: number;
  fields: Partial<AssetFields> & { name: string };
  ip: string | null;
  mac: string | null;
  tags: Array<{ id: number; name: string }>;
  details: Record<string, unknown>;
}

const NO_FIELDS = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, null]));
const ASSET_COLUMNS_IN_ORDER = ['id', 'client_id', 'version', 'created_at', ...EDITABLE_FIELDS.map((f) => ASSET_COLUMNS[f])];
const INTERFACE_COLUMNS = ['asset_id', 'name', 'ip', 'mac', 'is_primary', 'created_at'];

/** Writes the assets in the caller's transaction; returns their ids, in order. */
export async function insertImportedAssets(ctx: Ctx, rows: NewImportedAsset[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const at = nowIso(ctx);
  const ids = await allocateAssetIds(ctx, rows.length);
  const assetRows: unknown[][] = [];
  const interfaceRows: unknown[][] = [];
  const tagRows: unknown[][] = [];
  const searchRows: unknown[][] = [];
  rows.forEach((r, i) => {
    const id = ids[i]!;
    const f = r.fields;
    const asset: unknown[] = [id, r.clientId, 1, at];
    for (const field of EDITABLE_FIELDS) {
      const value = f[field];
      asset.push(typeof value === 'boolean' ? (value ? 1 : 0) : (value ?? (field === 'favorite' ? 0 : null)));
    }
    assetRows.push(asset);
    interfaceRows.push([id, '01', r.ip, r.mac, 1, at]);
    for (const tag of r.tags) tagRows.push([id, tag.id]);
    searchRows.push([id, searchDocument({ ...NO_FIELDS, ...f } as unknown as Asset, { ip: r.ip, mac: r.mac, ipv6: null, natIp: null })]);
  });
  await bulkInsert(ctx, 'assets', ASSET_COLUMNS_IN_ORDER, assetRows);
  await bulkInsert(ctx, 'asset_interfaces', INTERFACE_COLUMNS, interfaceRows);
  await bulkInsert(ctx, 'asset_tags', ['asset_id', 'tag_id'], tagRows);
  await bulkInsert(ctx, 'asset_search', [ctx.dialect === 'sqlite' ? 'rowid' : 'asset_id', 'doc'], searchRows);
  await appendAssetEvents(ctx, rows.map((r, i) => ({
    assetId: ids[i]!,
    clientId: r.clientId,
    assetName: r.fields.name,
    action: 'imported' as const,
    changes: [
      ...initialChanges(r.fields, EDITABLE_FIELDS),
      ...initialChanges({ name: '01', ip: r.ip, mac: r.mac }, ['name', 'ip', 'mac'], 'primaryInterface.'),
      ...(r.tags.length ? [{ field: 'tags', old: [], new: r.tags.map((t) => t.name).sort() }] : []),
    ],
    details: r.details,
  })));
  return ids;
}

/**
 * Ids taken in advance, so each row's id is known without relying on the order RETURNING gives.
 * SQLite: the caller's transaction already holds the write lock, so nobody else takes ids meanwhile;
 * ids are never reused (AUTOINCREMENT), hence the sequence. PostgreSQL: from the identity's sequence.
 */
async function allocateAssetIds(ctx: Ctx, count: number): Promise<number[]> {
  if (ctx.dialect === 'sqlite') {
    const { rows } = await sql<{ n: number }>`select max(coalesce((select seq from sqlite_sequence where name = 'assets'), 0), coalesce((select max(id) from assets), 0)) as n`.execute(ctx.db);
    const first = rows[0]!.n + 1;
    return Array.from({ length: count }, (_, i) => first + i);
  }
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('assets', 'id'))::int as id from generate_series(1, ${count})`.execute(ctx.db);
  return rows.map((r) => r.id);
}
