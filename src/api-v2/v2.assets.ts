// /api/v2/assets: transfers between clients (with a dry run that answers the preview) and an asset's
// history, newest first, with the records it was transferred from when asked.
import type { FastifyInstance } from 'fastify';
import { authorize } from '../access/access.ts';
import { readAssetHistory } from '../history/history.read.ts';
import type { AssetEvent } from '../history/history.ts';
import { ValidationError } from '../platform/errors.ts';
import { planTransfer, transferAssets, type TransferMappings, type TransferRequest } from '../transfers/transfer.service.ts';
import { requireHistoryClientFor } from './v2.assets.query.ts';
import { v2Call } from './v2.call.ts';
import { snakeFieldPath, snakeKeys } from './v2.names.ts';
import { HistoryPage, HistoryQuery, Problem, TransferBody, TransferPreview, TransferResult } from './v2.schemas.ts';
import { Type } from '@sinclair/typebox';
import { MAX_ID } from '../platform/text.ts';

function toRequest(body: TransferBody): TransferRequest {
  const mappings: TransferMappings = {};
  for (const [kind, map] of Object.entries(body.mappings ?? {})) {
    mappings[kind as keyof TransferMappings] = Object.fromEntries(Object.entries(map ?? {}).map(([from, to]) => [idOf(`mappings.${kind}.${from}`, from), to]));
  }
  return { assetIds: body.asset_ids, toClientId: body.to_client_id, mappings, reason: body.reason ?? null };
}

/** A record id written in decimal, 1 to 2³¹−1 (the schema checks the digits; this the range). */
function idOf(field: string, text: string): number {
  const id = /^[0-9]{1,10}$/.test(text) ? Number(text) : 0;
  if (id < 1 || id > MAX_ID) throw new ValidationError([{ field, code: 'id_invalid', message: `"${text}" is not a record id` }]);
  return id;
}

export function eventToV2(e: AssetEvent) {
  return {
    id: e.id,
    asset_id: e.assetId,
    client_id: e.clientId,
    asset_name: e.assetName,
    action: e.action,
    actor: { type: e.actor.type, user_id: e.actor.userId, api_key_id: e.actor.apiKeyId, name: e.actor.name },
    source: e.source,
    ip: e.ip,
    reason: e.reason,
    correlation_id: e.correlationId,
    changes: e.changes.map((c) => ({ ...snakeKeys<Record<string, unknown>>(c), field: snakeFieldPath(c.field) })),
    details: snakeKeys(e.details),
    created_at: e.createdAt,
  };
}

const AssetIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,10}$', description: 'The asset id.' }) });

export function registerV2Assets(v2: FastifyInstance): void {
  const transferSchema = {
    tags: ['assets'],
    operationId: 'transferAssets',
    summary: 'Transfer assets to another client',
    description:
      'Each original is archived under its client and a copy with every field, interface, tag and note is made under the target client, in one transaction. With dry_run, answers the preview and changes nothing.',
    body: TransferBody,
    response: {
      200: { ...TransferPreview, description: 'The preview (dry_run).' },
      201: { ...TransferResult, description: 'Transferred.' },
      403: Problem,
      404: Problem,
      409: Problem,
    },
  };
  v2.post<{ Body: TransferBody }>('/assets/transfers', { schema: transferSchema }, async (request, reply) => {
    const { ctx, principal } = v2Call(request);
    const transfer = toRequest(request.body);
    if (request.body.dry_run) {
      const plan = await planTransfer(ctx, principal, transfer);
      return {
        dry_run: true,
        to_client: plan.toClient,
        assets: plan.assets.map((p) => ({
          asset_id: p.asset.id,
          name: p.asset.name,
          from_client: p.fromClient,
          copied: p.copied,
          mappings: p.mappings.map((m) => ({ kind: m.kind, from: m.from, to: m.to, automatic: m.automatic })),
          stays_behind: p.staysBehind,
        })),
      };
    }
    const result = await transferAssets(ctx, principal, transfer);
    return reply.code(201).send({
      correlation_id: result.correlationId,
      transfers: result.transfers.map((x) => ({ from_asset_id: x.fromAssetId, to_asset_id: x.toAssetId, name: x.name })),
    });
  });

  const historySchema = {
    tags: ['assets', 'history'],
    operationId: 'getAssetHistory',
    summary: "An asset's history, newest first",
    params: AssetIdParams,
    querystring: HistoryQuery,
    response: { 200: { ...HistoryPage, description: 'A page of events.' }, 403: Problem, 404: Problem },
  };
  v2.get<{ Params: { id: string }; Querystring: HistoryQuery }>('/assets/:id/history', { schema: historySchema }, async (request) => {
    const { ctx, principal } = v2Call(request);
    authorize(principal, 'support', 1);
    const id = idOf('id', request.params.id);
    // A deleted asset's history is still readable: its events say which client it belonged to.
    await requireHistoryClientFor(ctx, id, request.params.id);
    const page = await readAssetHistory(ctx, principal, id, {
      includeLineage: request.query.include_lineage ?? false,
      cursor: request.query.cursor ?? null,
      limit: request.query.limit ?? 50,
    });
    return { events: page.events.map(eventToV2), next_cursor: page.nextCursor };
  });
}
