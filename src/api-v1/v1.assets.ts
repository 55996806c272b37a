// /api/v1/assets: ITFlow's read, create, update and delete, through the asset rules and history.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isIPv6 } from 'node:net';
import { Readable } from 'node:stream';
import { authorize } from '../access/access.ts';
import type { AssetCreateInput, AssetUpdateInput } from '../assets/asset.service.ts';
import { createAsset, deleteAsset, updateAsset } from '../assets/asset.service.ts';
import type { Store } from '../platform/db/store.ts';
import { readEnvelope } from './v1.asset-json.ts';
import { V1_ASSET_FIELDS, V1_INTERFACE_FIELDS, v1FieldName } from './v1.assets-format.ts';
import { readV1Assets, v1AssetById, v1AssetOfClient } from './v1.assets.query.ts';
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
  const wantedClient = given(input, 'client_id') ? requiredId(input, 'client_id') : null;
  reply.type('application/json; charset=utf-8');
  if (filter === 'asset_id') {
    const row = await v1AssetById(ctx, store, requiredId(input, 'asset_id'), wantedClient);
    return row === null ? failure(NOT_FOUND) : readEnvelope([row]);
  }
  const found = await readV1Assets(ctx, store, {
    clientId: wantedClient,
    filter: filter ? { name: filter, value: String(input[filter]).trim() } : null,
    limit: paging(input, 'limit', 50),
    offset: paging(input, 'offset', 0),
  });
  if (found.count === 0) return failure(NOT_FOUND);
  if ('rows' in found) return readEnvelope(found.rows);
  return reply.send(Readable.from(streamEnvelope(found.count, found.chunks)));
}

/** ITFlow's list envelope around a large page, written a chunk of rows at a time as they are read. */
async function* streamEnvelope(count: number, chunks: AsyncIterable<string[]>): AsyncGenerator<string> {
  yield `{"success":"True","count":${count},"data":[`;
  let first = true;
  for await (const rows of chunks) {
    // One write per chunk, not per row: many small writes cost more than the rows themselves.
    yield (first ? '' : ',') + rows.join(',');
    first = false;
  }
  yield ']}';
}

const DATE_FIELDS = new Set(['purchaseDate', 'warrantyExpire', 'installDate']);

/**
 * The asset and interface fields present in a v1 body, under the rules' names. As ITFlow does, types
 * and statuses outside the admin lists are kept as given, dates out of order are accepted (the history
 * records a warning), and `asset_ip` may be an IPv6 address (a
 * VM's first address), kept as the primary interface's IPv6.
 */
function assetFieldsOf(input: V1Input, mode: 'create' | 'update'): AssetUpdateInput {
  // ITFlow accepts dates in any order: kept, with a warning in the asset's history.
  const fields: Record<string, unknown> = { unlistedValues: 'keep', dateOrder: 'warn' };
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

/** The asset, if it exists in the given client and the key may act on it at this level; else null, for the v1 failure. */
async function assetInClient(call: V1Call, level: 2 | 3) {
  const assetId = requiredId(call.input, 'asset_id');
  const clientId = requiredId(call.input, 'client_id');
  return v1AssetOfClient(call.ctx, assetId, clientId, level);
}

async function updateV1Asset(call: V1Call) {
  authorize(call.principal, 'support', 2);
  const asset = await assetInClient(call, 2);
  if (!asset) return missing('asset', call.input);
  await updateAsset(call.ctx, asset.id, assetFieldsOf(call.input, 'update'));
  return written(1);
}

async function deleteV1Asset(call: V1Call) {
  authorize(call.principal, 'support', 3);
  const asset = await assetInClient(call, 3);
  if (!asset) return missing('asset', call.input);
  await deleteAsset(call.ctx, asset.id);
  return written(1);
}
