// /api/v1/assets: ITFlow's read, create, update and delete, through the asset rules and history.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { authorize, canSeeClient, clientScope, clientScopeFilter } from '../access/access.ts';
import type { AssetCreateInput, AssetUpdateInput } from '../assets/asset.service.ts';
import { createAsset, deleteAsset, updateAsset } from '../assets/asset.service.ts';
import { assetsWithPrimaryQuery, assetWithPrimaryRowToAsset, findAssetById, type AssetWithPrimaryRow } from '../assets/asset.repository.ts';
import { normaliseMac } from '../platform/fields.ts';
import { ValidationError } from '../platform/errors.ts';
import { sql } from 'kysely';
import type { Store } from '../platform/db/store.ts';
import { assetToV1, V1_ASSET_FIELDS, V1_INTERFACE_FIELDS, v1FieldName } from './v1.assets-format.ts';
import { paging, v1Endpoint, type V1Call, type V1Input } from './v1.endpoint.ts';
import { created, failure, NOT_FOUND, written } from './v1.format.ts';

const FILTERS = ['asset_id', 'asset_type', 'asset_name', 'asset_serial', 'asset_mac', 'asset_uri', 'asset_uri_2'] as const;

export function registerV1Assets(app: FastifyInstance, store: Store): void {
  v1Endpoint(app, store, 'assets', 'read', 'GET', readAssets, v1FieldName);
  v1Endpoint(app, store, 'assets', 'create', 'POST', createV1Asset, v1FieldName);
  v1Endpoint(app, store, 'assets', 'update', 'POST', updateV1Asset, v1FieldName);
  v1Endpoint(app, store, 'assets', 'delete', 'POST', deleteV1Asset, v1FieldName);
}

function given(input: V1Input, key: string): boolean {
  return input[key] !== undefined && input[key] !== null && input[key] !== '';
}

function requiredId(input: V1Input, key: string): number {
  const raw = input[key];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!given(input, key)) throw new ValidationError([{ field: key, code: 'required', message: 'is required' }]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError([{ field: key, code: 'id_invalid', message: `"${String(raw)}" is not an id` }]);
  return n;
}

async function readAssets({ ctx, principal, input }: V1Call, reply: FastifyReply) {
  authorize(principal, 'support', 1);
  const filter = FILTERS.find((f) => given(input, f));
  const value = filter ? String(input[filter]).trim() : '';
  let q = assetsWithPrimaryQuery(ctx.db).where(clientScopeFilter(clientScope(principal), 'a.client_id'));
  if (given(input, 'client_id')) q = q.where('a.client_id', '=', requiredId(input, 'client_id'));
  switch (filter) {
    case 'asset_id': q = q.where('a.id', '=', requiredId(input, 'asset_id')); break;
    case 'asset_type': q = q.where(sql`lower(a.type)`, '=', value.toLowerCase()); break;
    case 'asset_name': q = q.where(sql`lower(a.name)`, '=', value.toLowerCase()); break;
    case 'asset_serial': q = q.where(sql`lower(a.serial)`, '=', value.toLowerCase()); break;
    case 'asset_mac': q = q.where('i.mac', '=', normaliseMac(value) ?? value.toUpperCase()); break;
    case 'asset_uri': q = q.where('a.uri', '=', value); break;
    case 'asset_uri_2': q = q.where('a.uri_2', '=', value); break;
  }
  const withInterface = filter === undefined || filter === 'asset_mac';
  if (filter === 'asset_id') {
    const rows = await q.execute();
    if (rows.length === 0) return failure(NOT_FOUND);
    return { success: 'True', count: rows.length, data: rows.map((r) => assetToV1(assetWithPrimaryRowToAsset(r), withInterface)) };
  }
  const limit = paging(input, 'limit', 50);
  const offset = paging(input, 'offset', 0);
  const counted = await ctx.db
    .selectFrom(q.clearSelect().select('a.id').orderBy('a.id').limit(limit).offset(offset).as('page'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const count = Number(counted.n);
  if (count === 0) return failure(NOT_FOUND);
  reply.type('application/json; charset=utf-8');
  return reply.send(Readable.from(streamRows(q, count, offset, withInterface)));
}

const CHUNK = 1_000;

/**
 * ITFlow's list envelope, written as rows are read: a large `limit` is fetched in chunks by id, so
 * memory stays bounded whatever the page size.
 */
async function* streamRows(q: ReturnType<typeof assetsWithPrimaryQuery>, count: number, offset: number, withInterface: boolean): AsyncGenerator<string> {
  yield `{"success":"True","count":${count},"data":[`;
  let sent = 0;
  let lastId: number | null = null;
  while (sent < count) {
    const chunk: typeof q = lastId === null ? q : q.where('a.id', '>', lastId);
    const rows: AssetWithPrimaryRow[] = await chunk.orderBy('a.id').limit(Math.min(CHUNK, count - sent)).offset(lastId === null ? offset : 0).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      yield (sent++ === 0 ? '' : ',') + JSON.stringify(assetToV1(assetWithPrimaryRowToAsset(row), withInterface));
    }
    lastId = rows[rows.length - 1]!.id;
  }
  yield ']}';
}

/** The asset and interface fields present in a v1 body, under the rules' names. */
function assetFieldsOf(input: V1Input): AssetUpdateInput {
  const fields: Record<string, unknown> = {};
  for (const [v1, field] of Object.entries(V1_ASSET_FIELDS)) if (input[v1] !== undefined) fields[field] = input[v1];
  const iface: Record<string, unknown> = {};
  for (const [v1, field] of Object.entries(V1_INTERFACE_FIELDS)) if (input[v1] !== undefined) iface[field] = input[v1];
  return { ...fields, ...(Object.keys(iface).length ? { primaryInterface: iface } : {}) };
}

async function createV1Asset({ ctx, principal, input }: V1Call) {
  authorize(principal, 'support', 2);
  const clientId = requiredId(input, 'client_id');
  // A client the key may not see is answered like one that does not exist.
  if (!canSeeClient(principal, clientId)) throw new ValidationError([{ field: 'clientId', code: 'not_found', message: `client ${clientId} does not exist` }]);
  const asset = await createAsset(ctx, { ...assetFieldsOf(input), clientId } as AssetCreateInput);
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
  if (!asset) return failure(`asset ${String(call.input.asset_id)} does not exist for client ${String(call.input.client_id)}`);
  await updateAsset(call.ctx, asset.id, assetFieldsOf(call.input));
  return written(1);
}

async function deleteV1Asset(call: V1Call) {
  authorize(call.principal, 'support', 3);
  const asset = await assetInClient(call);
  if (!asset) return failure(`asset ${String(call.input.asset_id)} does not exist for client ${String(call.input.client_id)}`);
  await deleteAsset(call.ctx, asset.id);
  return written(1);
}
