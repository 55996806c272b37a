// One v2 resource's routes from one declaration (docs/api-v2.md): list, read, create, replace, patch,
// archive, restore, delete, and their bulk forms, each with its schemas, tags and operationId, ETags
// and If-Match, `fields`/`brief`/`include`. The resource supplies the reads (a query module) and the
// writes (its feature's service, which owns the rules and the authorization); this file only speaks HTTP.
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { MAX_ID } from '../platform/text.ts';
import { ValidationError } from '../platform/errors.ts';
import { BulkRejectedError, MAX_BULK, runBulk, type ItemResult } from './v2.bulk.ts';
import { v2Call, type V2Call } from './v2.call.ts';
import { checkIfMatch, digestEtag, sendRecord } from './v2.etag.ts';
import { listQuerySchema, readInclude, readPage, sendPage, shapeRecord, type ListFields, type Page } from './v2.list.ts';
import { camelKeys } from './v2.names.ts';
import { BULK_ITEMS, checkItem } from './v2.validation.ts';
import { Problem } from './v2.schemas.ts';

export { BulkRejectedError };

const LOOKUPS_TEXT =
  'Each field filter `f=value` (exact; text case- and accent-insensitive) also takes lookups: `f__in=a,b` (any of), `f__ic=` (contains, text), `f__lt=`, `f__lte=`, `f__gt=`, `f__gte=` (numbers, dates, times), `f__empty=true|false` (optional fields). Sort with `sort=-f,g` (empties last); page with `cursor` from `next`. See docs/api-v2.md.';

export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,10}$', description: 'The record id.' }) });
export type IdParams = Static<typeof IdParams>;
const AtomicQuery = Type.Object(
  { atomic: Type.Optional(Type.Boolean({ description: 'false: apply the valid items and report the others (default true: all or nothing).' })) },
  { additionalProperties: false },
);
const ReadQuery = (include: readonly string[]) =>
  Type.Object(
    {
      fields: Type.Optional(Type.String({ maxLength: 1000, description: 'Comma-separated fields to return.' })),
      ...(include.length ? { include: Type.Optional(Type.String({ maxLength: 200, description: `Embedded: ${include.join(', ')}.` })) } : {}),
    },
    { additionalProperties: false },
  );

/** The common fields every record shows: id, url, display, and its times. */
export function recordSchema(name: string, properties: TProperties, options: { archives?: boolean; description?: string } = {}): TObject {
  return Type.Object(
    {
      id: Id,
      url: Type.String({ description: 'The record’s path in this API.' }),
      display: Type.String({ description: 'The record as a person names it.' }),
      ...properties,
      created_at: Type.String({ format: 'date-time' }),
      updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      ...(options.archives ? { archived_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) } : {}),
    },
    { $id: undefined, title: name, description: options.description },
  );
}

/** What a list read gets: the call, the query's filters, and the page (sort, cursor, limit). */
export interface ListRequest {
  call: V2Call;
  query: Record<string, unknown>;
  page: Page;
}

export interface ResourceSpec<Row> {
  /** The collection's path: `/locations`. */
  path: string;
  tag: string;
  /** For operation ids and messages: `Location` / `Locations`. */
  singular: string;
  plural: string;
  /** The record as the API shows it (every field). */
  record: TObject;
  fields: ListFields;
  defaultSort: string;
  include?: readonly string[];
  archives?: boolean;
  /** List parameters beyond the field filters (`mac`, `cidr`, `tag`…). */
  extraQuery?: TProperties;
  list(request: ListRequest): Promise<{ rows: Row[]; cursor: string | null }>;
  /** One record the call may see; NotFoundError otherwise. */
  read(call: V2Call, ctx: Ctx, id: number): Promise<Row>;
  /** Reads it needs go through `call.ctx`: inside a write's transaction, that transaction. */
  toJson(call: V2Call, rows: Row[], include: Set<string>): Promise<Array<Record<string, unknown>>>;
  /** Default: a digest of the record as shown. */
  etag?(row: Row, json: Record<string, unknown>): string;
  create?: { body: TObject; run(ctx: Ctx, input: Record<string, unknown>): Promise<number> };
  /** `input` holds camelCase keys; for PUT every writable field is present (null when left out). */
  update?: { body: TObject; run(ctx: Ctx, id: number, input: Record<string, unknown>, request: FastifyRequest): Promise<void> };
  /** `request` is given on single-record routes (for an If-Match the service checks itself), not in bulk. */
  archive?(ctx: Ctx, id: number, request?: FastifyRequest): Promise<void>;
  restore?(ctx: Ctx, id: number, request?: FastifyRequest): Promise<void>;
  remove?(ctx: Ctx, id: number, request?: FastifyRequest): Promise<void>;
}

export function problemResponses(...codes: number[]) {
  return Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));
}

function idOf(params: IdParams): number {
  const id = Number(params.id);
  if (id < 1 || id > MAX_ID) throw new ValidationError([{ field: 'id', code: 'id_invalid', message: `"${params.id}" is not a record id` }]);
  return id;
}

/** Every writable field present: those the body leaves out are null (PUT replaces the record). */
function replacing(body: TObject, input: Record<string, unknown>): Record<string, unknown> {
  const all = Object.fromEntries(Object.keys(body.properties).map((k) => [k, null]));
  return { ...all, ...input };
}

export function registerResource<Row>(v2: FastifyInstance, spec: ResourceSpec<Row>): void {
  const include = spec.include ?? [];
  const Record = spec.record;
  const known = Object.keys(Record.properties);
  const ListQuery = listQuerySchema(spec.fields, { extra: spec.extraQuery, include, archives: spec.archives });
  const Page = Type.Object({ results: Type.Array(Type.Partial(Record)), next: Type.Union([Type.String(), Type.Null()]) });
  const tags = [spec.tag];
  const etagOf = (row: Row, json: Record<string, unknown>) => (spec.etag ? spec.etag(row, json) : digestEtag(json));

  async function one(call: V2Call, ctx: Ctx, id: number, wanted = new Set<string>()) {
    const row = await spec.read(call, ctx, id);
    const [json] = await spec.toJson({ ...call, ctx }, [row], wanted);
    return { row, json: json!, etag: etagOf(row, json!) };
  }

  /** Runs a write on one record under its If-Match, then answers the record as it is now. */
  async function write(request: FastifyRequest, reply: FastifyReply, id: number, run: (ctx: Ctx) => Promise<void>, status = 200) {
    const call = v2Call(request);
    await inTransaction(call.ctx, async (ctx) => {
      if (request.headers['if-match']) checkIfMatch(request, (await one(call, ctx, id)).etag);
      await run(ctx);
    });
    const now = await one(call, call.ctx, id);
    return sendRecord(request, reply, now.json, now.etag, status);
  }

  v2.get<{ Querystring: Record<string, unknown> }>(
    spec.path,
    {
      schema: {
        tags,
        operationId: `list${spec.plural}`,
        summary: `List ${spec.plural.toLowerCase()}`,
        description: LOOKUPS_TEXT,
        querystring: ListQuery,
        response: { 200: Page, ...problemResponses(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const page = readPage(spec.fields, request.query, spec.defaultSort);
      const wanted = readInclude(request.query.include as string | undefined, include);
      const { rows, cursor } = await spec.list({ call, query: request.query, page });
      const json = await spec.toJson(call, rows, wanted);
      const q = request.query as { fields?: string; brief?: boolean };
      return sendPage(
        request,
        reply,
        json.map((r) => shapeRecord(r, q, known)),
        cursor,
      );
    },
  );

  v2.get<{ Params: IdParams; Querystring: { fields?: string; include?: string } }>(
    `${spec.path}/:id`,
    {
      schema: {
        tags,
        operationId: `get${spec.singular}`,
        summary: `Read a ${spec.singular.toLowerCase()}`,
        params: IdParams,
        querystring: ReadQuery(include),
        response: { 200: Type.Partial(Record), 304: Type.Null(), ...problemResponses(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const { json, etag } = await one(call, call.ctx, idOf(request.params), readInclude(request.query.include, include));
      return sendRecord(request, reply, shapeRecord(json, request.query, known), etag);
    },
  );

  if (spec.create) {
    const create = spec.create;
    v2.post<{ Body: Record<string, unknown> | Array<Record<string, unknown>>; Querystring: Static<typeof AtomicQuery> }>(
      spec.path,
      {
        schema: {
          tags,
          operationId: `create${spec.singular}`,
          summary: `Create a ${spec.singular.toLowerCase()}, or up to ${MAX_BULK} with an array`,
          querystring: AtomicQuery,
          body: Type.Union([create.body, Type.Array(create.body, { minItems: 1, maxItems: MAX_BULK, [BULK_ITEMS]: true })]),
          response: { 201: Record, 200: BulkResults, ...problemResponses(400, 401, 403, 404, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const call = v2Call(request);
        if (Array.isArray(request.body)) {
          const results = await runBulk(call.ctx, request.body, request.query.atomic ?? true, async (ctx, item, index) => {
            checkItem(create.body, item);
            const id = await create.run(ctx, camelKeys(item));
            const [json] = await spec.toJson({ ...call, ctx }, [await spec.read(call, ctx, id)], new Set());
            return { index, status: 201, id, record: json } satisfies ItemResult;
          });
          return reply.code(200).send({ results });
        }
        const id = await create.run(call.ctx, camelKeys(request.body));
        const { json, etag } = await one(call, call.ctx, id);
        reply.header('location', `/api/v2${spec.path}/${id}`);
        return sendRecord(request, reply, json, etag, 201);
      },
    );
  }

  if (spec.update) {
    const update = spec.update;
    const Patch = Type.Partial(update.body, { additionalProperties: false });
    for (const method of ['put', 'patch'] as const) {
      v2[method]<{ Params: IdParams; Body: Record<string, unknown> }>(
        `${spec.path}/:id`,
        {
          schema: {
            tags,
            operationId: `${method === 'put' ? 'replace' : 'patch'}${spec.singular}`,
            summary:
              method === 'put'
                ? `Replace a ${spec.singular.toLowerCase()}: fields left out are cleared`
                : `Change some fields of a ${spec.singular.toLowerCase()}`,
            params: IdParams,
            body: method === 'put' ? update.body : Patch,
            response: { 200: Record, ...problemResponses(401, 403, 404, 409, 412, 422, 429) },
          },
        },
        async (request, reply) => {
          const id = idOf(request.params);
          const input = camelKeys(method === 'put' ? replacing(update.body, request.body) : request.body);
          return write(request, reply, id, (ctx) => update.run(ctx, id, input, request));
        },
      );
    }
    const PatchItem = Type.Object({ id: Id, ...Patch.properties }, { additionalProperties: false });
    v2.patch<{ Body: Array<Record<string, unknown> & { id: number }>; Querystring: Static<typeof AtomicQuery> }>(
      spec.path,
      {
        schema: {
          tags,
          operationId: `patch${spec.plural}`,
          summary: `Change some fields of up to ${MAX_BULK} ${spec.plural.toLowerCase()}`,
          querystring: AtomicQuery,
          body: Type.Array(PatchItem, { minItems: 1, maxItems: MAX_BULK, [BULK_ITEMS]: true }),
          response: { 200: BulkResults, ...problemResponses(401, 403, 422, 429) },
        },
      },
      async (request, reply) => {
        const call = v2Call(request);
        const results = await runBulk(call.ctx, request.body, request.query.atomic ?? true, async (ctx, item, index) => {
          checkItem(PatchItem, item);
          const { id, ...fields } = item;
          await update.run(ctx, id, camelKeys(fields), request);
          const [json] = await spec.toJson({ ...call, ctx }, [await spec.read(call, ctx, id)], new Set());
          return { index, status: 200, id, record: json } satisfies ItemResult;
        });
        return reply.send({ results });
      },
    );
  }

  const action = (name: 'archive' | 'restore', run: ((ctx: Ctx, id: number, request?: FastifyRequest) => Promise<void>) | undefined) => {
    if (!run) return;
    v2.post<{ Params: IdParams }>(
      `${spec.path}/:id/${name}`,
      {
        schema: {
          tags,
          operationId: `${name}${spec.singular}`,
          summary: `${name === 'archive' ? 'Archive' : 'Restore'} a ${spec.singular.toLowerCase()}`,
          params: IdParams,
          response: { 200: Record, ...problemResponses(401, 403, 404, 409, 412, 422, 429) },
        },
      },
      async (request, reply) => {
        const id = idOf(request.params);
        return write(request, reply, id, (ctx) => run(ctx, id, request));
      },
    );
  };
  action('archive', spec.archive);
  action('restore', spec.restore);

  if (spec.remove) {
    const remove = spec.remove;
    v2.delete<{ Params: IdParams }>(
      `${spec.path}/:id`,
      {
        schema: {
          tags,
          operationId: `delete${spec.singular}`,
          summary: `Delete a ${spec.singular.toLowerCase()} for good`,
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409, 412, 422, 429) },
        },
      },
      async (request, reply) => {
        const call = v2Call(request);
        const id = idOf(request.params);
        await inTransaction(call.ctx, async (ctx) => {
          if (request.headers['if-match']) checkIfMatch(request, (await one(call, ctx, id)).etag);
          await remove(ctx, id, request);
        });
        return reply.code(204).send();
      },
    );
    v2.delete<{ Body: number[]; Querystring: Static<typeof AtomicQuery> }>(
      spec.path,
      {
        schema: {
          tags,
          operationId: `delete${spec.plural}`,
          summary: `Delete up to ${MAX_BULK} ${spec.plural.toLowerCase()} for good`,
          querystring: AtomicQuery,
          body: Type.Array(Id, { minItems: 1, maxItems: MAX_BULK }),
          response: { 200: BulkResults, ...problemResponses(401, 403, 422, 429) },
        },
      },
      async (request, reply) => {
        const call = v2Call(request);
        const results = await runBulk(call.ctx, request.body, request.query.atomic ?? true, async (ctx, id, index) => {
          await remove(ctx, id);
          return { index, status: 204, id } satisfies ItemResult;
        });
        return reply.send({ results });
      },
    );
  }
}

const ItemError = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
export const BulkItem = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  status: Type.Integer(),
  id: Type.Optional(Id),
  record: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(ItemError)),
});
export const BulkResults = Type.Object({ results: Type.Array(BulkItem) });

/** Nullable field helpers for record and body schemas. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
