// /api/v1/assets: ITFlow's read, create, update and delete, through the asset rules and history.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isIPv6 } from 'node:net';
import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { authorize, canSeeClient, clientScope, clientScopeFilter } from '../access/access.ts';
import type { AssetCreateInput, AssetUpdateInput } from '../assets/asset.service.ts';
import { createAsset, deleteAsset, updateAsset } from '../assets/asset.service.ts';
import { findAssetById } from '../assets/asset.service.ts';
import type { DbOrTrx } from '../database.ts';
import { normaliseMac } from '../platform/fields.ts';
import { CompiledQuery, sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { assetJson, readEnvelope } from './v1.asset-json.ts';
import type { Store } from '../platform/db/store.ts';
import { V1_ASSET_FIELDS, V1_INTERFACE_FIELDS, v1FieldName } from './v1.assets-format.ts';
import { given, missing, paging, requiredId, targetClient, v1Endpoint, type V1Call, type V1Input } from './v1.endpoint.ts';
import { created, failure, NOT_FOUND, written } from './v1.format.ts';

const FILTERS = ['asset_id', 'asset_type', 'asset_name', 'asset_serial', 'asset_mac', 'asset_uri', 'asset_uri_2'] as const;

export function registerV1Assets(app: FastifyInstance, store: Store): void {
  v1Endpoint(app, store, 'assets', 'read', 'GET', readAssets, v1FieldName);
  v1Endpoint(app, store, 'assets', 'create', 'POST', createV1Asset, v1FieldName);
  v1Endpoint(app, store, 'assets', 'update', 'POST', updateV1Asset, v1FieldName);
  v1Endpoint(app, store, 'assets', 'delete', 'POST', deleteV1Asset, v1FieldName);
}

async function readAssets({ ctx, store, principal, input }: V1Call, reply: FastifyReply) {
  authorize(principal, 'support', 1);
  const filter = FILTERS.find((f) => given(input, f));
  const value = filter ? String(input[filter]).trim() : '';
  const withInterface = filter === undefined || filter === 'asset_mac';
  const wantedClient = given(input, 'client_id') ? requiredId(input, 'client_id') : null;
  reply.type('application/json; charset=utf-8');
  if (filter === 'asset_id') {
    // The commonest call of all: one prepared statement; scope and client_id are checked on the row.
    const row = (await store.read(CompiledQuery.raw(byIdSql(ctx), [requiredId(input, 'asset_id')])))[0] as { client_id: number; j: string } | undefined;
    if (!row || !canSeeClient(principal, row.client_id) || (wantedClient !== null && row.client_id !== wantedClient)) return failure(NOT_FOUND);
    return readEnvelope([row.j]);
  }

  const scope = clientScope(principal);
  // The filter's values, in the order its SQL takes them (checked when the SQL is first built).
  const mac = filter === 'asset_mac' ? (normaliseMac(value) ?? value.toUpperCase()) : '';
  const filterValue = filter === 'asset_mac' ? mac : filter === 'asset_uri' || filter === 'asset_uri_2' ? value : value.toLowerCase();
  const params: unknown[] = [...(scope.kind === 'all' ? [] : scope.ids), ...(wantedClient === null ? [] : [wantedClient]), ...(filter ? [filterValue] : [])];
  const buildIds = (): IdQuery => {
    let ids: IdQuery = idQuery(ctx.db).where(clientScopeFilter(scope, 'a.client_id'));
    if (wantedClient !== null) ids = ids.where('a.client_id', '=', wantedClient);
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
  const limit = paging(input, 'limit', 50);
  const offset = paging(input, 'offset', 0);
  if (limit <= CHUNK) {
    const shape = `${ctx.dialect}|${scope.kind}:${scope.kind === 'all' ? 0 : scope.ids.length}|${wantedClient !== null}|${filter ?? ''}`;
    const page = pageQuery(shape, [...params, limit, offset], () => jsonRows(ctx, buildIds().orderBy('a.id').limit(limit).offset(offset), withInterface));
    const rows = (await store.read(page)).map((r) => r.j);
    return rows.length === 0 ? failure(NOT_FOUND) : readEnvelope(rows);
  }
  // A large page: counted first (the envelope puts the count before the rows), then streamed.
  const ids = buildIds();
  const counted = await store.read(
    ctx.db
      .selectFrom(ids.orderBy('a.id').limit(limit).offset(offset).as('page'))
      .select((eb) => eb.fn.countAll().as('n'))
      .compile(),
  );
  const count = Number(counted[0]?.n ?? 0);
  if (count === 0) return failure(NOT_FOUND);
  const rowsOf = async (page: IdQuery) => (await store.read(jsonRows(ctx, page, withInterface).compile())).map((r) => r.j);
  return reply.send(Readable.from(streamRows(ids, rowsOf, count, offset)));
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

const CHUNK = 1_000;

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

/**
 * ITFlow's list envelope, written as rows are read: a large `limit` is fetched in chunks by id, so
 * memory stays bounded whatever the page size.
 */
async function* streamRows(ids: IdQuery, rowsOf: (page: IdQuery) => Promise<string[]>, count: number, offset: number): AsyncGenerator<string> {
  yield `{"success":"True","count":${count},"data":[`;
  let sent = 0;
  let lastId: number | null = null;
  while (sent < count) {
    const from: IdQuery = lastId === null ? ids.offset(offset) : ids.where('a.id', '>', lastId).offset(0);
    const take = Math.min(CHUNK, count - sent);
    const rows = await rowsOf(from.orderBy('a.id').limit(take));
    if (rows.length === 0) break;
    // One write per chunk, not per row: many small writes cost more than the rows themselves.
    yield (sent === 0 ? '' : ',') + rows.join(',');
    sent += rows.length;
    lastId = Number((JSON.parse(rows[rows.length - 1]!) as { asset_id: string }).asset_id);
  }
  yield ']}';
}

const DATE_FIELDS = new Set(['purchaseDate', 'warrantyExpire', 'installDate']);

/**
 * The asset and interface fields present in a v1 body, under the rules' names. As ITFlow does, types
 * and statuses outside the admin lists are kept as given, and `asset_ip` may be an IPv6 address (a
 * VM's first address), kept as the primary interface's IPv6.
 */
function assetFieldsOf(input: V1Input, mode: 'create' | 'update'): AssetUpdateInput {
  const fields: Record<string, unknown> = { unlistedValues: 'keep' };
  for (const [v1, field] of Object.entries(V1_ASSET_FIELDS)) {
    const value = input[v1];
    if (value === undefined) continue;
    // ITFlow's update keeps a stored date sent as "" (update.ps1 sends its unset dates so); 0000-00-00 clears it.
    if (mode === 'update' && DATE_FIELDS.has(field) && (value ?? '').trim() === '') continue;
    fields[field] = value;
  }
  const iface: Record<string, unknown> = {};
  for (const [v1, field] of Object.entries(V1_INTERFACE_FIELDS)) if (input[v1] !== undefined) iface[field] = input[v1];
  if (typeof iface.ip === 'string' && isIPv6(iface.ip.trim())) {
    iface.ipv6 = iface.ip;
    delete iface.ip;
  }
  return { ...fields, ...(Object.keys(iface).length ? { primaryInterface: iface } : {}) };
}

async function createV1Asset(call: V1Call) {
  const { ctx, principal, input } = call;
  authorize(principal, 'support', 2);
  const clientId = targetClient(call);
  const asset = await createAsset(ctx, { ...assetFieldsOf(input, 'create'), clientId } as AssetCreateInput);
  return created(asset.id);
}

/** The asset, if it exists in the given client and the key may see it; else the v1 failure. */
async function assetInClient(call: V1Call) {
  const assetId = requiredId(call.input, 'asset_id');
  const clientId = requiredId(call.input, 'client_id');
  const asset = await findAssetById(call.ctx, assetId);
  if (!asset || asset.clientId !== clientId || !canSeeClient(call.principal, clientId)) return null;
  return asset;
}

async function updateV1Asset(call: V1Call) {
  authorize(call.principal, 'support', 2);
  const asset = await assetInClient(call);
  if (!asset) return missing('asset', call.input);
  await updateAsset(call.ctx, asset.id, assetFieldsOf(call.input, 'update'));
  return written(1);
}

async function deleteV1Asset(call: V1Call) {
  authorize(call.principal, 'support', 3);
  const asset = await assetInClient(call);
  if (!asset) return missing('asset', call.input);
  await deleteAsset(call.ctx, asset.id);
  return written(1);
}
