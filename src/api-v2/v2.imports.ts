// /api/v2/imports: the web's CSV import over v2, step by step as on the web (upload → mapping →
// preview → commit), through the same import service and so with the same verdicts: POST /imports
// uploads a file (multipart field `file`, or the CSV itself as a text/csv body), PATCH /imports/{id}
// sets the mapping and options, GET /imports/{id}/preview answers each row's verdict page by page, and
// POST /imports/{id}/commit writes the rows in one transaction and answers the summary.
import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { MISSING_MODES, REFERENCE_COLUMN_NAMES, type ImportReport, type RowVerdict } from '../imports/asset-import.ts';
import { IMPORT_FIELDS } from '../imports/import-headings.ts';
import {
  changeImportOptions,
  commitImport,
  IMPORT_KINDS,
  importColumns,
  importTarget,
  ImportRejectedError,
  previewImport,
  receiveImport,
  requireImport,
  type ImportKind,
} from '../imports/import-flow.service.ts';
import type { UploadedImport } from '../imports/import-uploads.ts';
import { MAX_UPLOAD_BYTES } from '../imports/import-uploads.ts';
import type { Ctx } from '../platform/context.ts';
import { ValidationError } from '../platform/errors.ts';
import { withoutControlCharacters } from '../platform/http/input-guard.ts';
import { MAX_ID } from '../platform/text.ts';
import { v2Call } from './v2.call.ts';
import { camelCase, snakeCase } from './v2.names.ts';
import { Problem } from './v2.schemas.ts';
import { v2ValidatorCompiler } from './v2.validation.ts';

const tags = ['Imports'];
const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The fields an asset import's columns can fill, as v2 names them. */
const FIELD_NAMES = Object.keys(IMPORT_FIELDS).map(snakeCase);
const FieldName = Type.Union(
  FIELD_NAMES.map((f) => Type.Literal(f)),
  { description: 'A field an asset import fills.' },
);
const Kind = Type.Union(
  IMPORT_KINDS.map((k) => Type.Literal(k)),
  { description: 'What the file holds.' },
);
const Missing = Type.Union(
  MISSING_MODES.map((m) => Type.Literal(m)),
  { description: 'What a name the client does not have does: create the record, leave the field empty, or reject the row.' },
);
const Counts = Type.Object({
  create: Type.Integer({ minimum: 0 }),
  update: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
});
const CreatedCounts = Type.Object({ locations: Type.Integer(), contacts: Type.Integer(), vendors: Type.Integer() });

const ImportRecord = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String(),
    kind: Kind,
    client_id: Nullable(Type.Integer({ description: 'The client imported into; null when each row names its client (Client column).' })),
    asset_id: Nullable(Type.Integer({ description: 'For an interface import: the asset.' })),
    file_name: Type.String(),
    file_size: Type.Integer({ minimum: 0 }),
    status: Type.Union([Type.Literal('uploaded'), Type.Literal('committed')]),
    columns: Type.Array(Type.String(), { description: "The file's headings, in file order (empty once committed: the file's rows are released)." }),
    mapping: Nullable(
      Type.Array(Nullable(FieldName), {
        description:
          'Asset imports: the field each column fills (null: not imported), as set or as suggested from the headings. Null for other kinds, whose columns are matched by heading.',
      }),
    ),
    unknown_columns: Type.Array(Type.String(), { description: 'Headings that name no field (not imported).' }),
    duplicate_columns: Type.Array(Type.String(), { description: 'Headings naming a field an earlier column fills (not imported).' }),
    samples: Type.Array(Type.Array(Type.String()), { description: 'The first rows, as read.' }),
    options: Type.Object({
      match: Type.Union([Type.Literal('none'), Type.Literal('name'), Type.Literal('serial')]),
      valid_only: Type.Boolean(),
      missing: Type.Object(Object.fromEntries(REFERENCE_COLUMN_NAMES.map((c) => [c, Missing]))),
      existing: Type.Union([Type.Literal('skip'), Type.Literal('update')]),
    }),
    summary: Nullable(Type.Object({ ...Counts.properties, created_records: Type.Optional(CreatedCounts) })),
    created_at: Type.String({ format: 'date-time' }),
    committed_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { title: 'Import' },
);

const UploadQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    client_id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'The client to import into (required for locations and contacts).' })),
    asset_id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'For interfaces: the asset to import into.' })),
    file_name: Type.Optional(Type.String({ maxLength: 255, description: 'A text/csv body: the name to remember it by.' })),
  },
  { additionalProperties: false },
);
type UploadQuery = Static<typeof UploadQuery>;

const UploadBody = {
  description:
    'The CSV file: as multipart/form-data (the fields kind, client_id, asset_id before the file part `file`), or as the body itself with Content-Type text/csv and the parameters in the query string. UTF-8, UTF-16 or Windows-1252; up to 256 MB.',
  content: {
    'multipart/form-data': {
      schema: Type.Object({
        kind: Type.Optional(Kind),
        client_id: Type.Optional(Type.Integer()),
        asset_id: Type.Optional(Type.Integer()),
        file: Type.String({ format: 'binary' }),
      }),
    },
    'text/csv': { schema: Type.String({ description: 'The CSV text.' }) },
  },
};

const OptionsBody = Type.Object(
  {
    mapping: Type.Optional(
      Type.Array(Nullable(FieldName), { maxItems: 1000, description: 'Asset imports: the field each column fills, in file order; null leaves it out.' }),
    ),
    match: Type.Optional(
      Type.Union([Type.Literal('none'), Type.Literal('name'), Type.Literal('serial')], {
        description: 'Asset imports: a row updates the asset of the same name (default) or serial in its client, or always creates one.',
      }),
    ),
    missing: Type.Optional(
      Type.Object(Object.fromEntries(REFERENCE_COLUMN_NAMES.map((c) => [c, Type.Optional(Missing)])), {
        additionalProperties: false,
        description: 'Asset imports: per reference column, what a name the client lacks does (default create).',
      }),
    ),
    valid_only: Type.Optional(
      Type.Boolean({ description: 'Import the valid rows and leave the rejected ones (default false: nothing unless every row is valid).' }),
    ),
    existing: Type.Optional(
      Type.Union([Type.Literal('skip'), Type.Literal('update')], {
        description: 'Location and contact imports: a row naming an existing record leaves it (skip, default) or updates it.',
      }),
    ),
  },
  { additionalProperties: false },
);
type OptionsBody = Static<typeof OptionsBody>;

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'The import id.' }) });
type IdParams = Static<typeof IdParams>;

const Verdict = Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('unchanged'), Type.Literal('rejected')]);
const PreviewQuery = Type.Object(
  {
    verdict: Type.Optional(Verdict),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Rows per page.' })),
    cursor: Type.Optional(Type.String({ maxLength: 100, description: 'Where the page starts: take it from `next`.' })),
  },
  { additionalProperties: false },
);
type PreviewQuery = Static<typeof PreviewQuery>;

const Row = Type.Object({
  line: Type.Integer({ description: 'The line of the file where the row starts.' }),
  name: Type.String(),
  verdict: Verdict,
  record_id: Nullable(Type.Integer({ description: 'The record the row updates or leaves unchanged.' })),
  changes: Type.Array(Type.String(), { description: 'For an update: the headings of the fields that change.' }),
  problems: Type.Array(Type.Object({ field: Type.String({ description: 'The heading at fault (or "row").' }), code: Type.String(), message: Type.String() })),
  warnings: Type.Array(Type.String()),
  creates: Type.Array(Type.String(), { description: 'What the row brings into being besides itself: "will create location \'Head Office\'".' }),
  messages: Type.Array(Type.String(), { description: 'All of the above as sentences, as the web preview shows them.' }),
});
const Created = Type.Object({
  counts: CreatedCounts,
  names: Type.Object({ locations: Type.Array(Type.String()), contacts: Type.Array(Type.String()), vendors: Type.Array(Type.String()) }),
});
const Preview = Type.Object({
  counts: Type.Object(Counts.properties, { description: 'Every row of the file, whatever the page.' }),
  created: Nullable(Type.Object(Created.properties, { description: 'Asset imports: the records rows name that would be created.' })),
  unknown_columns: Type.Array(Type.String()),
  duplicate_columns: Type.Array(Type.String()),
  results: Type.Array(Row),
  next: Nullable(Type.String()),
});
const Summary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  status: Type.Literal('committed'),
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
  created_records: Nullable(CreatedCounts),
});

function importJson(upload: UploadedImport, columns: Awaited<ReturnType<typeof importColumns>> | null) {
  const mapped = columns?.map.columns.length ? columns.map.columns : (upload.options.columns ?? []);
  const { created, ...counts } = upload.summary ?? {};
  return {
    id: upload.id,
    url: `/api/v2/imports/${upload.id}`,
    kind: upload.kind,
    client_id: upload.clientId,
    asset_id: upload.assetId,
    file_name: upload.fileName,
    file_size: upload.fileSize,
    status: upload.status === 'committed' ? 'committed' : 'uploaded',
    columns: columns?.map.headings ?? [],
    mapping: upload.kind === 'assets' ? mapped.map((f) => (f ? snakeCase(f) : null)) : null,
    unknown_columns: columns?.map.unknown ?? [],
    duplicate_columns: columns?.map.duplicates ?? [],
    samples: columns?.samples ?? [],
    options: {
      match: upload.options.match,
      valid_only: upload.options.validOnly,
      missing: Object.fromEntries(REFERENCE_COLUMN_NAMES.map((c) => [c, upload.options.missing?.[c] ?? 'create'])),
      existing: upload.options.existing ?? 'skip',
    },
    summary: upload.summary ? { create: 0, update: 0, unchanged: 0, rejected: 0, ...counts, ...(created ? { created_records: created } : {}) } : null,
    created_at: upload.createdAt,
    committed_at: upload.committedAt,
  };
}

function rowJson(v: RowVerdict) {
  const problems = v.problems ?? [];
  const messages = [
    ...problems.map((p) => `${p.field}: ${p.message}`),
    ...(v.changes?.length ? [`Changes: ${v.changes.join(', ')}`] : []),
    ...(v.warnings ?? []),
    ...(v.creates ?? []),
  ];
  return {
    line: v.line,
    name: v.name,
    verdict: v.verdict,
    record_id: v.assetId ?? null,
    changes: v.changes ?? [],
    problems: problems.map((p) => ({ field: p.field, code: p.code, message: p.message })),
    warnings: v.warnings ?? [],
    creates: v.creates ?? [],
    messages,
  };
}

function createdJson(report: ImportReport) {
  return report.created ? { counts: report.created.counts, names: report.created.names } : null;
}

/** The preview's cursor: the line of the last row given. */
const cursorOf = (line: number) => Buffer.from(JSON.stringify(['p', line]), 'utf8').toString('base64url');
function lineAfter(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded) && decoded[0] === 'p' && Number.isInteger(decoded[1])) return decoded[1] as number;
  } catch {
    // refused below
  }
  throw new ValidationError([{ field: 'cursor', code: 'invalid', message: 'is not a cursor of this preview; start again without it' }]);
}

const SINGLE = /^[a-z_]+$/;
const ID = /^[1-9][0-9]{0,9}$/;

/** The upload's parameters from the query string and (multipart) the fields before the file. */
function uploadParams(query: UploadQuery, fields: Record<string, string>): { kind: ImportKind; clientId: number | null; assetId: number | null } {
  const issues: Array<{ field: string; code: string; message: string }> = [];
  const kindText = fields.kind ?? query.kind ?? 'assets';
  if (!SINGLE.test(kindText) || !IMPORT_KINDS.includes(kindText as ImportKind))
    issues.push({ field: 'kind', code: 'invalid', message: `must be one of ${IMPORT_KINDS.join(', ')}` });
  const id = (name: 'client_id' | 'asset_id'): number | null => {
    const raw = fields[name] ?? (query[name] === undefined ? undefined : String(query[name]));
    if (raw === undefined || raw === '') return null;
    if (!ID.test(raw) || Number(raw) > MAX_ID) {
      issues.push({ field: name, code: 'invalid', message: 'must be a record id' });
      return null;
    }
    return Number(raw);
  };
  const clientId = id('client_id');
  const assetId = id('asset_id');
  if (issues.length) throw new ValidationError(issues);
  return { kind: kindText as ImportKind, clientId, assetId };
}

/** The route's body is a stream (the CSV, or multipart parts), read by the handler: only its parameters are checked here. */
const streamedBody: FastifySchemaCompiler<FastifySchema> = (route) =>
  route.httpPart === 'body' ? () => ({ value: undefined }) : v2ValidatorCompiler(route as Parameters<typeof v2ValidatorCompiler>[0]);

/** The text/csv bodies of requests in flight, as streams. */
const csvBodies = new WeakMap<FastifyRequest, Readable>();

export function registerV2Imports(v2: FastifyInstance): void {
  void v2.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1_000 } });
    // A text/csv body reaches the handler as the stream it is, read as it arrives (kept beside the
    // request, not as its body, which the input guard walks as parsed data).
    scope.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
      csvBodies.set(request, payload);
      done(null, undefined);
    });

    scope.post<{ Querystring: UploadQuery }>(
      '/imports',
      {
        validatorCompiler: streamedBody,
        schema: {
          tags,
          operationId: 'createImport',
          summary: 'Upload a CSV file to import',
          description:
            'Reads the file as it arrives and keeps its rows for the next steps (for a day). Answers the columns and, for assets, the suggested mapping. Assets go into client_id, or into the client each row names (Client column) without it; locations and contacts into client_id; interfaces into asset_id.',
          querystring: UploadQuery,
          body: UploadBody,
          response: { 201: ImportRecord, ...problems(401, 403, 404, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        const { ctx, principal } = v2Call(request);
        // The idempotency record keys on the JSON body, which an upload does not have: two different
        // files under one key would look alike. Commits are safe to retry (a second one is 409).
        if (request.headers['idempotency-key'] !== undefined)
          throw new ValidationError([
            {
              field: 'Idempotency-Key',
              code: 'not_supported',
              message: 'is not taken on uploads; retry an upload without it (an unused upload expires after a day)',
            },
          ]);
        let upload: UploadedImport | null = null;
        if (request.isMultipart()) {
          const fields: Record<string, string> = {};
          for await (const part of request.parts()) {
            if (part.type === 'field') {
              fields[part.fieldname] = String(part.value);
              continue;
            }
            if (part.fieldname !== 'file' || upload) {
              part.file.resume();
              throw new ValidationError([{ field: part.fieldname, code: 'unknown', message: 'send the CSV file in the part named "file"' }]);
            }
            upload = await receive(ctx, request.query, fields, part.filename ?? '', part.file);
          }
          if (!upload) throw new ValidationError([{ field: 'file', code: 'required', message: 'send the CSV file in the part named "file"' }]);
        } else if (csvBodies.has(request)) {
          upload = await receive(ctx, request.query, {}, request.query.file_name ?? '', csvBodies.get(request)!);
        } else {
          throw Object.assign(new Error('Send the CSV file as multipart/form-data (part "file") or as a text/csv body'), { statusCode: 415 });
        }
        reply.header('location', `/api/v2/imports/${upload.id}`);
        return reply.code(201).send(importJson(upload, await importColumns(ctx, upload)));

        async function receive(c: Ctx, query: UploadQuery, fields: Record<string, string>, name: string, file: Readable): Promise<UploadedImport> {
          try {
            const params = uploadParams(query, fields);
            const target = await importTarget(c, principal, params.kind, params.clientId, params.assetId);
            return await receiveImport(c, principal, target, withoutControlCharacters(name).trim(), file);
          } catch (error) {
            file.resume();
            throw error;
          }
        }
      },
    );

    scope.get<{ Params: IdParams }>(
      '/imports/:id',
      {
        schema: {
          tags,
          operationId: 'getImport',
          summary: 'Read an import: its columns, mapping, options and, once committed, its summary',
          params: IdParams,
          response: { 200: ImportRecord, ...problems(401, 403, 404, 422, 429) },
        },
      },
      async (request) => {
        const { ctx, principal } = v2Call(request);
        const upload = await requireImport(ctx, principal, request.params.id);
        return importJson(upload, upload.status === 'committed' ? null : await importColumns(ctx, upload));
      },
    );

    scope.patch<{ Params: IdParams; Body: OptionsBody }>(
      '/imports/:id',
      {
        schema: {
          tags,
          operationId: 'patchImport',
          summary: 'Set the mapping and options of an import',
          description:
            'As the web’s mapping screen: the field of each column, how rows match existing assets, and what names the client lacks do. Before the commit only (409 after).',
          params: IdParams,
          body: OptionsBody,
          response: { 200: ImportRecord, ...problems(401, 403, 404, 409, 422, 429) },
        },
      },
      async (request) => {
        const { ctx, principal } = v2Call(request);
        const body = request.body;
        const upload = await changeImportOptions(ctx, principal, request.params.id, {
          ...(body.mapping ? { mapping: body.mapping.map((f) => (f === null ? null : camelCase(f))) } : {}),
          ...(body.match ? { match: body.match } : {}),
          ...(body.missing ? { missing: body.missing as Record<string, never> } : {}),
          ...(body.valid_only !== undefined ? { validOnly: body.valid_only } : {}),
          ...(body.existing ? { existing: body.existing } : {}),
        });
        return importJson(upload, await importColumns(ctx, upload));
      },
    );

    scope.get<{ Params: IdParams; Querystring: PreviewQuery }>(
      '/imports/:id/preview',
      {
        schema: {
          tags,
          operationId: 'previewImport',
          summary: "Each row's verdict, as the commit would find it now",
          description:
            'Runs the import without writing: every row gets create, update (with the fields that change), unchanged or rejected (with each column at fault), and what it would bring into being ("will create location \'Head Office\'"). The counts cover the whole file; the rows come a page at a time, in file order, optionally only those of one verdict.',
          params: IdParams,
          querystring: PreviewQuery,
          response: { 200: Preview, ...problems(401, 403, 404, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const { ctx, principal } = v2Call(request);
        const limit = request.query.limit ?? 100;
        const after = lineAfter(request.query.cursor);
        const wanted = request.query.verdict;
        const rows: RowVerdict[] = [];
        const report = await previewImport(ctx, principal, request.params.id, (verdict) => {
          if (verdict.line <= after || (wanted && verdict.verdict !== wanted) || rows.length > limit) return;
          rows.push(verdict);
        });
        const more = rows.length > limit;
        const page = more ? rows.slice(0, limit) : rows;
        let next: string | null = null;
        if (more) {
          const url = new URL(request.url, 'http://x');
          url.searchParams.set('cursor', cursorOf(page.at(-1)!.line));
          next = `${url.pathname}${url.search}`;
          reply.header('link', `<${next}>; rel="next"`);
        }
        return {
          counts: report.counts,
          created: createdJson(report),
          unknown_columns: report.headings.unknown,
          duplicate_columns: report.headings.duplicates,
          results: page.map(rowJson),
          next,
        };
      },
    );

    scope.post<{ Params: IdParams }>(
      '/imports/:id/commit',
      {
        schema: {
          tags,
          operationId: 'commitImport',
          summary: 'Import the rows',
          description:
            'Checks every row again and writes them in one transaction, with their history: all of them, or nothing if a row is rejected (422, with the counts) unless valid_only is set. An import is committed once: again is 409.',
          params: IdParams,
          response: { 200: Summary, ...problems(401, 403, 404, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const { ctx, principal } = v2Call(request);
        try {
          const { upload, report } = await commitImport(ctx, principal, request.params.id);
          return {
            id: upload.id,
            url: `/api/v2/imports/${upload.id}`,
            status: 'committed',
            created: report.counts.create,
            updated: report.counts.update,
            unchanged: report.counts.unchanged,
            rejected: report.counts.rejected,
            created_records: report.created?.counts ?? null,
          };
        } catch (error) {
          if (!(error instanceof ImportRejectedError)) throw error;
          // The plugin's 422, with the counts the preview would show.
          const issue = error.issues[0]!;
          return reply
            .code(422)
            .type('application/problem+json')
            .send({
              type: 'https://steward.invalid/problems/invalid-request',
              title: 'Invalid request',
              status: 422,
              detail: `${issue.field}: ${issue.message}.`,
              instance: request.url.split('?')[0],
              errors: error.issues,
              counts: error.report.counts,
            });
        }
      },
    );
  });
}
