// /api/v2/logins: a client's credentials. Lists, reads and every write answer the open fields only,
// with `has_username`, `has_password`, `has_totp` for the secrets; the secrets themselves are written
// (never read back) through the login service, and shown only by `POST /logins/{id}/reveal`, which
// the login service authorizes and audits, answered `Cache-Control: no-store`.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveLogin, createLogin, deleteLogin, restoreLogin, revealLoginSecrets, totpCodeNow, updateLogin } from '../logins/login.service.ts';
import { ValidationError } from '../platform/errors.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { answersSecret } from './v2.idempotency.ts';
import { v2Call } from './v2.call.ts';
import type { ListFields } from './v2.list.ts';
import { listRecords, readRecord, type RecordReads, type RecordRow } from './v2.records.query.ts';
import { Id, IdParams, Nullable, recordSchema, registerResource } from './v2.resource.ts';
import { Problem } from './v2.schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by the v2 plugin: the key to the logins' secrets. */
    v2SecretBox: (() => SecretBox) | null;
  }
}

const TEXT = ['description', 'uri', 'uri_2', 'notes'] as const;
const SECRET_COLUMNS = ['username_secret', 'password_secret', 'otp_secret'];

const fields: ListFields = {
  id: { column: 'logins.id', type: 'integer' },
  client_id: { column: 'logins.client_id', type: 'integer' },
  asset_id: { column: 'logins.asset_id', type: 'integer', nullable: true },
  contact_id: { column: 'logins.contact_id', type: 'integer', nullable: true },
  name: { column: 'logins.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `logins.${c}`, type: 'text', nullable: true, sort: c !== 'notes' && c !== 'description' }])),
  favorite: { column: 'logins.favorite', type: 'boolean' },
  password_changed_at: { column: 'logins.password_changed_at', type: 'time', nullable: true },
  created_at: { column: 'logins.created_at', type: 'time' },
  updated_at: { column: 'logins.updated_at', type: 'time', nullable: true },
};

// The secret columns are read only to say whether each is set (toJson); `q` never looks in them.
const reads: RecordReads = { table: 'logins', entity: 'login', module: 'credential', fields, searched: ['name', 'description', 'uri'] };

const Text = Nullable(Type.String({ maxLength: 65_535 }));
const Secret = (description: string) => Type.Optional(Nullable(Type.String({ maxLength: 500, description: `${description} Write-only: never answered.` })));
const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(TEXT.map((c) => [c, Type.Optional(Text)])),
  favorite: Type.Optional(Nullable(Type.Boolean())),
  contact_id: Type.Optional(Nullable(Id)),
  asset_id: Type.Optional(Nullable(Id)),
  username: Secret('The user name, stored encrypted. Empty or left out keeps the stored one.'),
  password: Secret('The password, stored encrypted. Empty or left out keeps the stored one.'),
  otp_secret: Secret('The TOTP key (base32), stored encrypted. Empty or left out keeps the stored one.'),
};

const Login = recordSchema(
  'Login',
  {
    client_id: Id,
    asset_id: Nullable(Id),
    contact_id: Nullable(Id),
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
    favorite: Type.Boolean(),
    has_username: Type.Boolean({ description: 'A user name is stored (see reveal).' }),
    has_password: Type.Boolean({ description: 'A password is stored (see reveal).' }),
    has_totp: Type.Boolean({ description: 'A TOTP key is stored (reveal answers its current code).' }),
    password_changed_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { archives: true, description: 'A credential of a client. Its secrets are never part of it: see POST /logins/{id}/reveal.' },
);

const Revealed = Type.Object(
  {
    username: Nullable(Type.String()),
    password: Nullable(Type.String()),
    totp_code: Type.Optional(Type.String({ description: 'The TOTP code now, when a TOTP key is stored.' })),
  },
  { additionalProperties: false },
);

function toJson(row: RecordRow) {
  return {
    id: row.id,
    url: `/api/v2/logins/${row.id}`,
    display: row.name as string,
    client_id: row.client_id,
    asset_id: (row.asset_id as number | null) ?? null,
    contact_id: (row.contact_id as number | null) ?? null,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    favorite: Boolean(row.favorite),
    has_username: row.username_secret != null,
    has_password: row.password_secret != null,
    has_totp: row.otp_secret != null,
    password_changed_at: row.password_changed_at ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

/** The secret columns, gone from a row once toJson has read whether they are set. */
function withoutSecrets(row: RecordRow): RecordRow {
  const copy = { ...row };
  for (const c of SECRET_COLUMNS) copy[c] = copy[c] == null ? null : true;
  return copy;
}

/** The service names `uri_2` as `uri2`; v2 names it as the request did. */
async function namingUri2<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.issues.map((i) => (i.field === 'uri2' ? { ...i, field: 'uri_2' } : i)));
    throw error;
  }
}

export function registerV2Logins(v2: FastifyInstance): void {
  const box = (): SecretBox => {
    if (!v2.v2SecretBox) throw new Error('API v2 was started without the secrets key');
    return v2.v2SecretBox();
  };
  const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));

  registerResource<RecordRow>(v2, {
    path: '/logins',
    tag: 'Logins',
    singular: 'Login',
    plural: 'Logins',
    record: Login,
    fields,
    defaultSort: 'name',
    archives: true,
    list: async (request) => {
      const page = await listRecords(reads, request);
      return { rows: page.rows.map(withoutSecrets), cursor: page.cursor };
    },
    read: async (call, ctx, id) => withoutSecrets(await readRecord(reads, call, ctx, id)),
    toJson: async (_call, rows) => rows.map(toJson),
    create: {
      body: Type.Object({ client_id: Id, ...writable }, { additionalProperties: false }),
      run: (ctx, input) => namingUri2(async () => (await createLogin(ctx, box(), input as unknown as Parameters<typeof createLogin>[2])).id),
    },
    update: {
      body: Type.Object(
        { ...writable, clear_otp: Type.Optional(Type.Boolean({ description: 'true removes the stored TOTP key.' })) },
        { additionalProperties: false },
      ),
      run: (ctx, id, input) => namingUri2(() => updateLogin(ctx, box(), id, { ...input, clearOtp: input.clearOtp === true })),
    },
    archive: async (ctx, id) => {
      await archiveLogin(ctx, id);
    },
    restore: async (ctx, id) => {
      await restoreLogin(ctx, id);
    },
    remove: (ctx, id) => deleteLogin(ctx, id),
  });

  v2.post<{ Params: IdParams }>(
    '/logins/:id/reveal',
    {
      schema: {
        tags: ['Logins'],
        operationId: 'revealLogin',
        summary: 'Show a login’s secrets (audited; never cached)',
        description:
          'Answers the user name, the password and, when a TOTP key is stored, its current code. Needs read access to logins for the login’s client; every reveal is written to the audit log, as in the web UI.',
        params: IdParams,
        response: { 200: Revealed, ...problems(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const id = Number(request.params.id);
      // The same "not found" as a read for a login the key may not see; the service checks who may reveal.
      await readRecord(reads, call, call.ctx, id);
      const secrets = await revealLoginSecrets(call.ctx, box(), id);
      answersSecret(request, reply);
      return reply.send({
        username: secrets.username,
        password: secrets.password,
        ...(secrets.otpSecret ? { totp_code: totpCodeNow(secrets.otpSecret).value } : {}),
      });
    },
  );
}
