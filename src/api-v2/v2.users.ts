// /api/v2/users (administrators only): list, read, add, change (name, role, active, client limits) and
// disable users, through the user administration service. No password travels in a request: a new
// user gets a temporary password, answered once (no-store), that they must replace at their first
// sign-in, as after an administrator's reset on the web. No answer ever holds a password hash.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { addUserWithTemporaryPassword, setClientAccess, updateUser } from '../accounts/user-admin.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { ValidationError } from '../platform/errors.ts';
import { MAX_ID } from '../platform/text.ts';
import { answersSecret } from './v2.idempotency.ts';
import { v2Call, type V2Call } from './v2.call.ts';
import { checkIfMatch, digestEtag, sendRecord } from './v2.etag.ts';
import { snakeCase } from './v2.names.ts';
import { Id, IdParams, Nullable, recordSchema, registerResource } from './v2.resource.ts';
import { Problem } from './v2.schemas.ts';
import { listUserRows, readUserRow, userFields, type UserApiRow } from './v2.users.query.ts';

const ClientIds = (description: string) => Type.Array(Id, { maxItems: 10_000, uniqueItems: true, description });
const ALLOW = 'Clients the user is limited to; empty: every client (except those denied).';
const DENY = 'Clients the user may not see.';

const User = recordSchema(
  'User',
  {
    name: Type.String(),
    email: Type.String(),
    role_id: Id,
    role: Type.String({ description: 'The role’s name.' }),
    administrator: Type.Boolean(),
    active: Type.Boolean({ description: 'false: disabled (cannot sign in; their API keys stop working).' }),
    two_factor: Type.Boolean({ description: 'Two-factor sign-in is on.' }),
    must_change_password: Type.Boolean({ description: 'Must choose a new password at the next sign-in.' }),
    last_login_at: Nullable(Type.String({ format: 'date-time' })),
    allow_client_ids: ClientIds(ALLOW),
    deny_client_ids: ClientIds(DENY),
  },
  { description: 'A user of Steward (administrators only).' },
);
const CreatedUser = Type.Object(
  { ...User.properties, temporary_password: Type.String({ description: 'Shown once: the user signs in with it and must then choose their own.' }) },
  { title: 'CreatedUser' },
);

const NewUser = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 1, maxLength: 200 }),
    role_id: Id,
    allow_client_ids: Type.Optional(ClientIds(ALLOW)),
    deny_client_ids: Type.Optional(ClientIds(DENY)),
  },
  { additionalProperties: false },
);
const UserChange = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role_id: Id,
    active: Type.Boolean(),
    allow_client_ids: ClientIds(ALLOW),
    deny_client_ids: ClientIds(DENY),
  },
  { additionalProperties: false },
);

function toJson(row: UserApiRow) {
  return {
    id: row.id,
    url: `/api/v2/users/${row.id}`,
    display: row.name,
    name: row.name,
    email: row.email,
    role_id: row.role_id,
    role: row.role_name,
    administrator: Boolean(row.is_admin),
    active: Boolean(row.active),
    two_factor: Boolean(row.two_factor),
    must_change_password: Boolean(row.must_change_password),
    last_login_at: row.last_login_at ?? null,
    allow_client_ids: row.allow,
    deny_client_ids: row.deny,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
  };
}

/** The services' field names as this API names them. */
const FIELD_NAMES: Record<string, string> = { roleId: 'role_id', role: 'role_id', status: 'active', allow: 'allow_client_ids', deny: 'deny_client_ids' };
async function apiFieldNames<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.issues.map((i) => ({ ...i, field: FIELD_NAMES[i.field] ?? i.field })));
    throw error;
  }
}

/** Applies the fields given (the others keep their values) through the service, in the caller's transaction. */
async function changeUser(call: V2Call, ctx: Ctx, id: number, input: Partial<Static<typeof UserChange>>): Promise<void> {
  const current = toJson(await readUserRow(call, ctx, id));
  await apiFieldNames(async () => {
    if (input.name !== undefined || input.role_id !== undefined || input.active !== undefined)
      await updateUser(ctx, id, {
        name: input.name ?? current.name,
        roleId: input.role_id ?? current.role_id,
        status: (input.active ?? current.active) ? 'active' : 'disabled',
      });
    if (input.allow_client_ids !== undefined || input.deny_client_ids !== undefined)
      await setClientAccess(
        ctx,
        id,
        { allow: input.allow_client_ids ?? current.allow_client_ids, deny: input.deny_client_ids ?? current.deny_client_ids },
        { refuseUnknown: true },
      );
  });
}

export function registerV2Users(v2: FastifyInstance): void {
  const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));
  const one = async (call: V2Call, ctx: Ctx, id: number) => {
    const json = toJson(await readUserRow(call, ctx, id));
    return { json, etag: digestEtag(json) };
  };

  registerResource<UserApiRow>(v2, {
    path: '/users',
    tag: 'Users',
    singular: 'User',
    plural: 'Users',
    record: User,
    fields: userFields,
    defaultSort: 'name',
    list: listUserRows,
    read: readUserRow,
    toJson: async (_call, rows) => rows.map(toJson),
    update: {
      body: UserChange,
      // The body's keys arrive camelCase (camelKeys); the change speaks the API's names.
      run: (ctx, id, input, request) => {
        const given = Object.fromEntries(Object.entries(input).map(([k, v]) => [snakeCase(k), v]));
        return changeUser(v2Call(request), ctx, id, given as Partial<Static<typeof UserChange>>);
      },
    },
  });

  v2.post<{ Body: Static<typeof NewUser> }>(
    '/users',
    {
      schema: {
        tags: ['Users'],
        operationId: 'createUser',
        summary: 'Add a user with a temporary password (administrators)',
        description:
          'The answer holds `temporary_password`, once and never again (Cache-Control: no-store): give it to the user, who must choose their own password at their first sign-in.',
        body: NewUser,
        response: { 201: CreatedUser, ...problems(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const body = request.body;
      const { id, temporaryPassword } = await apiFieldNames(() =>
        addUserWithTemporaryPassword(call.ctx, {
          name: body.name,
          email: body.email,
          roleId: body.role_id,
          allow: body.allow_client_ids,
          deny: body.deny_client_ids,
        }),
      );
      const { json, etag } = await one(call, call.ctx, id);
      answersSecret(request, reply).header('location', json.url);
      return sendRecord(request, reply, { ...json, temporary_password: temporaryPassword }, etag, 201);
    },
  );

  v2.post<{ Params: IdParams }>(
    '/users/:id/disable',
    {
      schema: {
        tags: ['Users'],
        operationId: 'disableUser',
        summary: 'Disable a user: their sessions end and their API keys stop working (administrators)',
        params: IdParams,
        response: { 200: User, ...problems(401, 403, 404, 412, 422, 429) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const id = Number(request.params.id);
      if (id < 1 || id > MAX_ID) throw new ValidationError([{ field: 'id', code: 'id_invalid', message: `"${request.params.id}" is not a record id` }]);
      await inTransaction(call.ctx, async (ctx) => {
        checkIfMatch(request, (await one(call, ctx, id)).etag);
        await changeUser(call, ctx, id, { active: false });
      });
      const now = await one(call, call.ctx, id);
      return sendRecord(request, reply, now.json, now.etag);
    },
  );
}
