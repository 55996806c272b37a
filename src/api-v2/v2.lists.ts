// /api/v2/lists/{kind}: the lists administrators keep (asset types, asset statuses, note types,
// interface types). Anyone with the assets module reads them; administrators add a value and archive
// or restore one through the list service. Values are neither renamed nor deleted (assets hold the
// text and their history names it), and a list's order is that of the values' addition.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addListValue, setListValueArchived, type ListName } from '../lists/list.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';
import { MAX_ID } from '../platform/text.ts';
import { v2Call, type V2Call } from './v2.call.ts';
import { checkIfMatch, digestEtag, sendRecord } from './v2.etag.ts';
import { listValueRows, readListValueRow, type ListValueRow } from './v2.lists.query.ts';
import { camelKeys } from './v2.names.ts';
import { Id, Nullable } from './v2.resource.ts';
import { Problem } from './v2.schemas.ts';

const KINDS = ['asset_type', 'asset_status', 'note_type', 'interface_type'] as const satisfies readonly ListName[];

const Kind = Type.Union(
  KINDS.map((k) => Type.Literal(k)),
  { description: 'The list: asset_type, asset_status, note_type or interface_type.' },
);
const KindParams = Type.Object({ kind: Kind }, { additionalProperties: false });
const ValueParams = Type.Object({ kind: Kind, id: Type.String({ pattern: '^[0-9]{1,10}$', description: 'The value’s id.' }) }, { additionalProperties: false });
type ValueParams = Static<typeof ValueParams>;

const ListValue = Type.Object(
  {
    id: Id,
    url: Type.String(),
    display: Type.String(),
    kind: Kind,
    name: Type.String(),
    description: Nullable(Type.String()),
    icon: Nullable(Type.String()),
    position: Type.Integer({ description: 'Where the value comes in the list (lists are in this order).' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Nullable(Type.String({ format: 'date-time' })),
    archived_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { title: 'ListValue', description: 'A value of one of the administrators’ lists.' },
);
const ListPage = Type.Object({ results: Type.Array(ListValue), next: Type.Null({ description: 'Always null: a list comes in one page.' }) });
const ListQuery = Type.Object(
  {
    archived: Type.Optional(
      Type.Union([Type.Literal('false'), Type.Literal('true'), Type.Literal('all')], {
        description: 'false (default): the values offered; true: archived ones; all: both.',
      }),
    ),
  },
  { additionalProperties: false },
);
const NewValue = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));
const tags = ['Lists'];

function toJson(row: ListValueRow) {
  return {
    id: row.id,
    url: `/api/v2/lists/${row.list}/${row.id}`,
    display: row.name,
    kind: row.list,
    name: row.name,
    description: row.description ?? null,
    icon: row.icon ?? null,
    position: Number(row.sort_order),
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

function idOf(params: ValueParams, kind: ListName): number {
  const id = Number(params.id);
  if (id < 1 || id > MAX_ID) throw new NotFoundError('list value', params.id);
  return id;
}

async function one(call: V2Call, ctx: Ctx, kind: ListName, id: number) {
  const json = toJson(await readListValueRow(call, ctx, kind, id));
  return { json, etag: digestEtag(json) };
}

export function registerV2Lists(v2: FastifyInstance): void {
  v2.get<{ Params: Static<typeof KindParams>; Querystring: Static<typeof ListQuery> }>(
    '/lists/:kind',
    {
      schema: {
        tags,
        operationId: 'listListValues',
        summary: 'List the values of a list',
        params: KindParams,
        querystring: ListQuery,
        response: { 200: ListPage, ...problems(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const rows = await listValueRows(v2Call(request), request.params.kind, request.query.archived);
      return reply.send({ results: rows.map(toJson), next: null });
    },
  );

  v2.get<{ Params: ValueParams }>(
    '/lists/:kind/:id',
    {
      schema: {
        tags,
        operationId: 'getListValue',
        summary: 'Read a value of a list',
        params: ValueParams,
        response: { 200: ListValue, 304: Type.Null(), ...problems(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const { json, etag } = await one(call, call.ctx, request.params.kind, idOf(request.params, request.params.kind));
      return sendRecord(request, reply, json, etag);
    },
  );

  v2.post<{ Params: Static<typeof KindParams>; Body: Static<typeof NewValue> }>(
    '/lists/:kind',
    {
      schema: {
        tags,
        operationId: 'createListValue',
        summary: 'Add a value to a list (administrators)',
        params: KindParams,
        body: NewValue,
        response: { 201: ListValue, ...problems(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const { kind } = request.params;
      const id = await addListValue(call.ctx, kind, camelKeys<Static<typeof NewValue>>(request.body).name);
      const { json, etag } = await one(call, call.ctx, kind, id);
      reply.header('location', json.url);
      return sendRecord(request, reply, json, etag, 201);
    },
  );

  for (const action of ['archive', 'restore'] as const) {
    v2.post<{ Params: ValueParams }>(
      `/lists/:kind/:id/${action}`,
      {
        schema: {
          tags,
          operationId: `${action}ListValue`,
          summary:
            action === 'archive' ? 'Archive a value: no longer offered; records keep it (administrators)' : 'Offer an archived value again (administrators)',
          params: ValueParams,
          response: { 200: ListValue, ...problems(401, 403, 404, 412, 422, 429) },
        },
      },
      async (request: FastifyRequest<{ Params: ValueParams }>, reply: FastifyReply) => {
        const call = v2Call(request);
        const { kind } = request.params;
        const id = idOf(request.params, kind);
        await inTransaction(call.ctx, async (ctx) => {
          const current = await one(call, ctx, kind, id);
          checkIfMatch(request, current.etag);
          await setListValueArchived(ctx, id, action === 'archive');
        });
        const now = await one(call, call.ctx, kind, id);
        return sendRecord(request, reply, now.json, now.etag);
      },
    );
  }
}
