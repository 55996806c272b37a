// /api/v2/api-keys (administrators only): list and read keys (prefix, name, user, expiry, last use,
// scope), create one (the secret is answered once, no-store, and only its hash is kept) and revoke one
// with DELETE, through the API key service. A revoked key stays listed, with `revoked_at`.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createApiKey, revokeApiKey } from '../accounts/api-key.service.ts';
import { scopeInWords, type ApiKeyScope } from '../access/key-scope.ts';
import { MODULES, type Module } from '../platform/principal.ts';
import { ValidationError } from '../platform/errors.ts';
import { apiKeyFields, listApiKeyRows, readApiKeyRow, type ApiKeyRow } from './v2.api-keys.query.ts';
import { answersSecret } from './v2.idempotency.ts';
import { v2Call } from './v2.call.ts';
import { digestEtag, sendRecord } from './v2.etag.ts';
import { Id, Nullable, recordSchema, registerResource } from './v2.resource.ts';
import { Problem } from './v2.schemas.ts';

const ModuleName = Type.Union(
  MODULES.map((m) => Type.Literal(m)),
  { description: 'A module.' },
);
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

const ApiKey = recordSchema(
  'ApiKey',
  {
    name: Type.String(),
    user_id: Id,
    user_email: Type.String(),
    prefix: Type.String({ description: 'The first characters of the secret: how a key is recognised.' }),
    expires_on: Nullable(Type.String({ format: 'date', description: 'The key works through this day (UTC).' })),
    last_used_at: Nullable(Type.String({ format: 'date-time' })),
    last_used_ip: Nullable(Type.String()),
    revoked_at: Nullable(Type.String({ format: 'date-time' })),
    read_only: Type.Boolean({ description: 'Scope: at most read access to every module.' }),
    modules: Nullable(Type.Array(ModuleName, { description: 'Scope: the modules the key may use; null: all of its user’s.' })),
    client_ids: Nullable(Type.Array(Id, { description: 'Scope: the clients the key may see; null: all its user sees.' })),
    scope: Type.String({ description: 'The scope in words, as the administration page shows it.' }),
  },
  { description: 'An API key; its secret is shown only when it is created.' },
);
const CreatedKey = Type.Object(
  { ...ApiKey.properties, secret: Type.String({ description: 'The key, shown once: send it as "Authorization: Bearer <secret>".' }) },
  { title: 'CreatedApiKey' },
);
const NewKey = Type.Object(
  {
    user_email: Type.String({ minLength: 1, maxLength: 200, description: 'The user the key acts as.' }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    expires_on: Type.Optional(Nullable(Type.String({ pattern: DATE, description: 'YYYY-MM-DD; null or left out: never expires.' }))),
    read_only: Type.Optional(Type.Boolean()),
    modules: Type.Optional(Nullable(Type.Array(ModuleName, { minItems: 1, uniqueItems: true }))),
    client_ids: Type.Optional(Nullable(Type.Array(Id, { minItems: 1, maxItems: 10_000, uniqueItems: true }))),
  },
  { additionalProperties: false },
);

function scopeOf(row: ApiKeyRow): ApiKeyScope {
  return {
    readOnly: Boolean(row.read_only),
    modules: row.scope_modules === null ? null : MODULES.filter((m) => row.scope_modules!.split(',').includes(m)),
    clientIds: row.scope_client_ids === null ? null : row.scope_client_ids.split(',').filter(Boolean).map(Number),
  };
}

function toJson(row: ApiKeyRow) {
  const scope = scopeOf(row);
  return {
    id: row.id,
    url: `/api/v2/api-keys/${row.id}`,
    display: row.name,
    name: row.name,
    user_id: row.user_id,
    user_email: row.user_email,
    prefix: row.prefix,
    expires_on: row.expires_on ?? null,
    last_used_at: row.last_used_at ?? null,
    last_used_ip: row.last_used_ip ?? null,
    revoked_at: row.revoked_at ?? null,
    read_only: scope.readOnly,
    modules: scope.modules as Module[] | null,
    client_ids: scope.clientIds,
    scope: scopeInWords(scope),
    created_at: row.created_at,
    updated_at: row.revoked_at ?? null,
  };
}

/** The service's field names (those of the key form) as this API names them. */
const FIELD_NAMES: Record<string, string> = { user: 'user_email', expires: 'expires_on', clients: 'client_ids', read_only: 'read_only' };

export function registerV2ApiKeys(v2: FastifyInstance): void {
  const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));

  registerResource<ApiKeyRow>(v2, {
    path: '/api-keys',
    tag: 'API keys',
    singular: 'ApiKey',
    plural: 'ApiKeys',
    record: ApiKey,
    fields: apiKeyFields,
    defaultSort: 'id',
    list: listApiKeyRows,
    read: readApiKeyRow,
    toJson: async (_call, rows) => rows.map(toJson),
    remove: (ctx, id) => revokeApiKey(ctx, id),
  });

  v2.post<{ Body: Static<typeof NewKey> }>(
    '/api-keys',
    {
      schema: {
        tags: ['API keys'],
        operationId: 'createApiKey',
        summary: 'Create an API key, optionally scoped (administrators)',
        description:
          'The answer holds `secret`, once and never again (Cache-Control: no-store). A scope only narrows the user’s rights: read only, some modules, some of the clients the user sees.',
        body: NewKey,
        response: { 201: CreatedKey, ...problems(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const body = request.body;
      let created: { id: number; secret: string };
      try {
        created = await createApiKey(call.ctx, {
          userEmail: body.user_email,
          name: body.name,
          expiresOn: body.expires_on ?? null,
          readOnly: body.read_only ?? false,
          modules: body.modules ?? null,
          clientIds: body.client_ids ?? null,
        });
      } catch (error) {
        if (error instanceof ValidationError) throw new ValidationError(error.issues.map((i) => ({ ...i, field: FIELD_NAMES[i.field] ?? i.field })));
        throw error;
      }
      const json = toJson(await readApiKeyRow(call, call.ctx, created.id));
      answersSecret(request, reply).header('location', json.url);
      return sendRecord(request, reply, { ...json, secret: created.secret }, digestEtag(json), 201);
    },
  );
}
