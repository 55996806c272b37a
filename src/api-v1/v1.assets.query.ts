// The reads of /api/v1/assets: one asset by id, a page of the list with ITFlow's filters, and the asset a
// write names together with its client. Rows come out as v1 JSON text built by the database
// (v1.asset-json.ts). Each read checks the acting user (ctx.principal) itself: the support module at
// the level, and only the clients they may see; an asset of a client they may not see is found exactly
// as a missing one is, that is not at all.
import { isDeepStrictEqual } from 'node:util';
import { CompiledQuery, sql } from 'kysely';
import { canSeeClient, clientScopeFilter } from '../access/access.ts';
import { requireAssetFor } from '../assets/asset-access.ts';
import type { Asset } from '../assets/asset.ts';
import type { DbOrTrx } from '../database.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError } from '../platform/errors.ts';
import { normaliseMac } from '../platform/fields.ts';
import { assetJson } from './v1.asset-json.ts';
import { readableScope, type V1Page } from './v1.records.query.ts';

/** ITFlow's list filters of assets, one at a time (by id is v1AssetById). */
export type V1AssetFilter = 'asset_type' | 'asset_name' | 'asset_serial' | 'asset_mac' | 'asset_uri' | 'asset_uri_2';

export interface V1AssetsQuery extends V1Page {
  /** Only this client's assets. */
  clientId: number | null;
  /** The filter sent and its value, trimmed. */
  filter: { name: V1AssetFilter; value: string } | null;
}

/**
 * The rows of a page: all of them for a page of up to CHUNK rows; for a larger one, how many there are
 * (counted first: the envelope puts the count before the rows) and the rows in chunks by id, read as
 * they are consumed, so memory stays bounded whatever the page size.
 */
export type V1AssetRows = { count: number; rows: string[] } | { count: number; chunks: AsyncIterable<string[]> };

const CHUNK = 1_000;

/** The asset as v1 JSON when it exists, the acting user may read it and it belongs to `clientId` (when given); else null. */
export async function v1AssetById(ctx: Ctx, store: Store, id: number, clientId: number | null): Promise<string | null> {
  readableScope(ctx, 'support');
  // The commonest call of all: one prepared statement; scope and client are checked on the row.
  const row = (await store.read(CompiledQuery.raw(byIdSql(ctx), [id])))[0] as { client_id: number; j: string } | undefined;
  if (!row || (ctx.principal && !canSeeClient(ctx.principal, row.client_id)) || (clientId !== null && row.client_id !== clientId)) return null;
  return row.j;
}

/** A page of the list in id order, of the clients the acting user sees, as v1 JSON text. */
export async function readV1Assets(ctx: Ctx, store: Store, query: V1AssetsQuery): Promise<V1AssetRows> {
  const scope = readableScope(ctx, 'support');
  const { clientId, limit, offset } = query;
  const filter = query.filter?.name;
  const value = query.filter?.value ?? '';
  const withInterface = filter === undefined || filter === 'asset_mac';
  // The filter's values, in the order its SQL takes them (checked when the SQL is first built).
  const mac = filter === 'asset_mac' ? (normaliseMac(value) ?? value.toUpperCase()) : '';
  const filterValue = filter === 'asset_mac' ? mac : filter === 'asset_uri' || filter === 'asset_uri_2' ? value : value.toLowerCase();
  const params: unknown[] = [...(scope.kind === 'all' ? [] : scope.ids), ...(clientId === null ? [] : [clientId]), ...(filter ? [filterValue] : [])];
  const buildIds = (): IdQuery => {
    let ids: IdQuery = idQuery(ctx.db).where(clientScopeFilter(scope, 'a.client_id'));
    if (clientId !== null) ids = ids.where('a.client_id', '=', clientId);
    switch (filter) {
      case 'asset_type':
        return ids.where(sql`lower(a.type)`, '=', filterValue);
      case 'asset_name':
        return ids.where(sql`lower(a.name)`, '=', filterValue);
      // "is not null" lets the partial index on lower(serial) serve the lookup.
      case 'asset_serial':
        return ids.where('a.serial', 'is not', null).where(sql`lower(a.serial)`, '=', filterValue);
      case 'asset_mac':
        return ids.where('a.id', 'in', (eb) =>
          eb.selectFrom('asset_interfaces').select('asset_id').where('is_primary', '=', sql.lit(true)).where('mac', '=', filterValue),
        );
      case 'asset_uri':
        return ids.where('a.uri', '=', filterValue);
      case 'asset_uri_2':
        return ids.where('a.uri_2', '=', filterValue);
      default:
        return ids;
    }
  };
  if (limit <= CHUNK) {
    const shape = `${ctx.dialect}|${scope.kind}:${scope.kind === 'all' ? 0 : scope.ids.length}|${clientId !== null}|${filter ?? ''}`;
    const page = pageQuery(shape, [...params, limit, offset], () => jsonRows(ctx, buildIds().orderBy('a.id').limit(limit).offset(offset), withInterface));
    const rows = (await store.read(page)).map((r) => r.j);
    return { count: rows.length, rows };
  }
  const ids = buildIds();
  const counted = await store.read(
    ctx.db
      .selectFrom(ids.orderBy('a.id').limit(limit).offset(offset).as('page'))
      .select((eb) => eb.fn.countAll().as('n'))
      .compile(),
  );
  const count = Number(counted[0]?.n ?? 0);
  const rowsOf = async (page: IdQuery) => (await store.read(jsonRows(ctx, page, withInterface).compile())).map((r) => r.j);
  return { count, chunks: chunksOf(ids, rowsOf, count, offset) };
}

/**
 * The asset a v1 write names together with its client: the asset when it exists in that client and the
 * acting user may act on it at `level` (through the asset loader), else null, so that a missing asset,
 * another client's and a hidden client's answer alike. A database failure stays one.
 */
export async function v1AssetOfClient(ctx: Ctx, id: number, clientId: number, level: 2 | 3): Promise<Asset | null> {
  try {
    const asset = await requireAssetFor(ctx, id, level);
    return asset.clientId === clientId ? asset : null;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

// A page's SQL depends only on its shape (database, scope, filters given), so it is built with Kysely
// once per shape; later calls bind new values to the same text. That skips the query building and
// lets SQLite's statement cache find the text by a string it has already hashed.
const pageSqlByShape = new Map<string, string>();

function pageQuery(shape: string, params: unknown[], build: () => { compile(): CompiledQuery<{ j: string }> }): CompiledQuery<{ j: string }> {
  let text = pageSqlByShape.get(shape);
  if (text === undefined) {
    const compiled = build().compile();
    if (!isDeepStrictEqual(compiled.parameters, params)) throw new Error(`v1 asset page "${shape}": its values are out of step with its SQL`);
    text = compiled.sql;
    if (pageSqlByShape.size < 1_000) pageSqlByShape.set(shape, text);
  }
  return CompiledQuery.raw(text, params) as CompiledQuery<{ j: string }>;
}

function idQuery(db: DbOrTrx) {
  return db.selectFrom('assets as a').select('a.id');
}
type IdQuery = ReturnType<typeof idQuery>;

/** Each asset of the page (a query of ids) as v1 JSON text, in id order. */
function jsonRows(ctx: Ctx, page: IdQuery, withInterface: boolean) {
  // "id in (page)" rather than a join: SQLite then walks the page's ids into the primary key, where
  // with a join it would scan every asset and build a temporary index.
  return ctx.db
    .selectFrom('assets as a')
    .leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true)))
    .select(assetJson(ctx.dialect, withInterface).as('j'))
    .where('a.id', 'in', page)
    .orderBy('a.id');
}

const byIdText = new Map<string, string>();

/** SQL text of the lookup by id (client and JSON), built once per dialect. */
function byIdSql(ctx: Ctx): string {
  let text = byIdText.get(ctx.dialect);
  if (text === undefined) {
    text = ctx.db
      .selectFrom('assets as a')
      .leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true)))
      .select(['a.client_id', assetJson(ctx.dialect, false).as('j')])
      .where('a.id', '=', 0)
      .compile().sql;
    byIdText.set(ctx.dialect, text);
  }
  return text;
}

/** The `count` rows of a large page, CHUNK at a time, each chunk after the last id of the one before. */
async function* chunksOf(ids: IdQuery, rowsOf: (page: IdQuery) => Promise<string[]>, count: number, offset: number): AsyncGenerator<string[]> {
  let sent = 0;
  let lastId: number | null = null;
  while (sent < count) {
    const from: IdQuery = lastId === null ? ids.offset(offset) : ids.where('a.id', '>', lastId).offset(0);
    const take = Math.min(CHUNK, count - sent);
    const rows = await rowsOf(from.orderBy('a.id').limit(take));
    if (rows.length === 0) return;
    yield rows;
    sent += rows.length;
    lastId = Number((JSON.parse(rows[rows.length - 1]!) as { asset_id: string }).asset_id);
  }
}
