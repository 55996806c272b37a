// Every query on the asset tables. Functions take the context's handle, so callers choose the
// transaction; they return domain objects through the mappers in asset.ts.
import { escapeLike, likePattern } from '../platform/db/like.ts';
import { CompiledQuery, sql, type InferResult } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';
import { foldText } from '../platform/fields.ts';
import { searchTermVariants } from '../platform/search-terms.ts';
import { searchDocument } from './search-text.ts';
import { assetRowToAsset, interfaceRowToInterface, type Asset, type AssetInterface, type AssetWithPrimary } from './asset.ts';

export async function findAssetById(ctx: Ctx, id: number): Promise<Asset | null> {
  const row = await ctx.db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? assetRowToAsset(row) : null;
}

/**
 * Inside a write transaction on PostgreSQL, locks the asset's row until the transaction ends, so a
 * concurrent writer of the same asset waits for this one instead of reading what is about to change.
 * (On SQLite a write transaction already holds the whole database.)
 */
export async function lockAssetForWrite(ctx: Ctx, id: number): Promise<void> {
  if (ctx.dialect !== 'postgres' || !ctx.db.isTransaction) return;
  await ctx.db.selectFrom('assets').select('id').where('id', '=', id).forUpdate().execute();
}

/** The asset, or NotFoundError. */
export async function requireAsset(ctx: Ctx, id: number): Promise<Asset> {
  const asset = await findAssetById(ctx, id);
  if (!asset) throw new NotFoundError('asset', id);
  return asset;
}

/** Assets joined with their primary interface; callers add filters, order and paging. */
export function assetsWithPrimaryQuery(db: DbOrTrx) {
  return db
    .selectFrom('assets as a')
    .leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true)))
    .selectAll('a')
    .select([
      'i.id as if_id',
      'i.name as if_name',
      'i.description as if_description',
      'i.type as if_type',
      'i.mac as if_mac',
      'i.ip as if_ip',
      'i.nat_ip as if_nat_ip',
      'i.ipv6 as if_ipv6',
      'i.network_id as if_network_id',
      'i.notes as if_notes',
      'i.created_at as if_created_at',
      'i.updated_at as if_updated_at',
    ]);
}

function assetWithPrimaryQuery(db: DbOrTrx, id: number) {
  return assetsWithPrimaryQuery(db).where('a.id', '=', id);
}

export type AssetWithPrimaryRow = InferResult<ReturnType<typeof assetsWithPrimaryQuery>>[number];

// The most frequent query of all: its SQL is built once per dialect and only the id changes, which
// saves Kysely's per-call query building (a third of a lookup's time on SQLite).
const assetWithPrimarySql = new Map<string, string>();

/** The asset and its primary interface in one query. */
export async function findAssetWithPrimary(ctx: Ctx, id: number): Promise<AssetWithPrimary | null> {
  let text = assetWithPrimarySql.get(ctx.dialect);
  if (text === undefined) {
    text = assetWithPrimaryQuery(ctx.db, 0).compile().sql;
    assetWithPrimarySql.set(ctx.dialect, text);
  }
  const row = (await ctx.db.executeQuery<AssetWithPrimaryRow>(CompiledQuery.raw(text, [id]))).rows[0];
  return row ? assetWithPrimaryRowToAsset(row) : null;
}

export function assetWithPrimaryRowToAsset(row: AssetWithPrimaryRow): AssetWithPrimary {
  const primaryInterface: AssetInterface | null =
    row.if_id === null
      ? null
      : {
          id: row.if_id,
          assetId: row.id,
          name: row.if_name!,
          description: row.if_description,
          type: row.if_type,
          mac: row.if_mac,
          ip: row.if_ip,
          natIp: row.if_nat_ip,
          ipv6: row.if_ipv6,
          networkId: row.if_network_id,
          notes: row.if_notes,
          primary: true,
          createdAt: row.if_created_at!,
          updatedAt: row.if_updated_at,
        };
  return { ...assetRowToAsset(row), primaryInterface };
}

export async function listInterfaces(ctx: Ctx, assetId: number): Promise<AssetInterface[]> {
  const rows = await ctx.db
    .selectFrom('asset_interfaces')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('is_primary', 'desc')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(interfaceRowToInterface);
}

export async function findInterface(ctx: Ctx, id: number): Promise<AssetInterface | null> {
  const row = await ctx.db.selectFrom('asset_interfaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? interfaceRowToInterface(row) : null;
}

export interface AssetPageQuery {
  clientId: number;
  archived?: boolean;
  limit?: number;
  /** Keyset paging: continue after this (folded name, id). */
  after?: { name: string; id: number } | null;
}

/** One client's assets sorted by name (case-insensitive), with their primary interface. */
export async function listClientAssetsByName(ctx: Ctx, query: AssetPageQuery): Promise<AssetWithPrimary[]> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  let q = ctx.db
    .selectFrom('assets as a')
    .leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true)))
    .selectAll('a')
    .select([
      'i.id as if_id',
      'i.name as if_name',
      'i.ip as if_ip',
      'i.mac as if_mac',
      'i.ipv6 as if_ipv6',
      'i.nat_ip as if_nat_ip',
      'i.network_id as if_network_id',
    ])
    .where('a.client_id', '=', query.clientId)
    .where('a.archived_at', query.archived ? 'is not' : 'is', null);
  if (query.after) {
    const { name, id } = query.after;
    q = q.where(sql<boolean>`(lower(a.name), a.id) > (${name}, ${id})`);
  }
  const rows = await q.orderBy(sql`lower(a.name)`).orderBy('a.id').limit(limit).execute();
  return rows.map((row) => ({
    ...assetRowToAsset(row),
    primaryInterface:
      row.if_id === null
        ? null
        : {
            id: row.if_id,
            assetId: row.id,
            name: row.if_name!,
            description: null,
            type: null,
            mac: row.if_mac,
            ip: row.if_ip,
            natIp: row.if_nat_ip,
            ipv6: row.if_ipv6,
            networkId: row.if_network_id,
            notes: null,
            primary: true,
            createdAt: row.created_at,
            updatedAt: null,
          },
  }));
}

export async function writeSearchDocument(ctx: Ctx, assetId: number, doc: string): Promise<void> {
  if (ctx.dialect === 'sqlite') {
    await sql`delete from asset_search where rowid = ${assetId}`.execute(ctx.db);
    await sql`insert into asset_search (rowid, doc) values (${assetId}, ${doc})`.execute(ctx.db);
    return;
  }
  await ctx.db
    .insertInto('asset_search')
    .values({ asset_id: assetId, doc })
    .onConflict((oc) => oc.column('asset_id').doUpdateSet({ doc }))
    .execute();
}

/** Refreshes the search text after any change to an asset or one of its interfaces. */
export async function refreshSearchDocument(ctx: Ctx, assetId: number): Promise<void> {
  const asset = await findAssetById(ctx, assetId);
  if (asset) await writeSearchDocument(ctx, assetId, searchDocument(asset, await listInterfaces(ctx, assetId)));
}

/**
 * Ids of assets whose own text contains `term` (case- and accent-insensitive), within the given
 * clients (null: all). A MAC in any notation and an address with a prefix length are looked for as the
 * index holds them (searchTermVariants). Terms shorter than three characters fall back to a name
 * prefix match.
 */
export async function searchAssetIds(ctx: Ctx, term: string, clientIds: number[] | null, limit = 50): Promise<number[]> {
  const folded = foldText(term.trim());
  if (folded === '') return [];
  if (clientIds && clientIds.length === 0) return [];
  const needles = [...new Set(searchTermVariants(term).map(foldText))].filter((v) => v.length >= 3);
  if (needles.length === 0) {
    let q = ctx.db
      .selectFrom('assets')
      .select('id')
      .where(likePattern(sql`lower(name)`, `${escapeLike(folded)}%`));
    if (clientIds) q = q.where('client_id', 'in', clientIds);
    return (await q.orderBy(sql`lower(name)`).limit(limit).execute()).map((r) => r.id);
  }
  if (ctx.dialect === 'sqlite') {
    const match = needles.map((n) => `"${n.replaceAll('"', '""')}"`).join(' OR ');
    const clientFilter = clientIds ? sql`and a.client_id in (${sql.join(clientIds)})` : sql``;
    const rows = await sql<{ id: number }>`
      select a.id from asset_search s join assets a on a.id = s.rowid
      where asset_search match ${match} ${clientFilter}
      order by lower(a.name), a.id limit ${limit}`.execute(ctx.db);
    return rows.rows.map((r) => r.id);
  }
  let q = ctx.db
    .selectFrom('asset_search as s')
    .innerJoin('assets as a', 'a.id', 's.asset_id')
    .select('a.id')
    .where((eb) => eb.or(needles.map((n) => likePattern(sql.ref('s.doc'), `%${escapeLike(n)}%`))));
  if (clientIds) q = q.where('a.client_id', 'in', clientIds);
  return (await q.orderBy(sql`lower(a.name)`).orderBy('a.id').limit(limit).execute()).map((r) => r.id);
}
