// The reads of /api/v2/users (administrators only): a page of users with the list's filters and sort,
// and one user, each with their role and client limits. Never the password hash or the two-factor key:
// only whether two-factor sign-in is on.
import { sql, type SqlBool } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import type { Principal } from '../platform/principal.ts';
import type { V2Call } from './v2.call.ts';
import { applyPage, filterConditions, pageRows, type ListFields } from './v2.list.ts';
import type { ListRequest } from './v2.resource.ts';

export interface UserApiRow {
  id: number;
  name: string;
  email: string;
  role_id: number;
  role_name: string;
  is_admin: number | boolean;
  active: number | boolean;
  two_factor: number | boolean;
  must_change_password: number | boolean;
  last_login_at: string | null;
  created_at: string;
  updated_at: string | null;
  allow: number[];
  deny: number[];
}

export const userFields: ListFields = {
  id: { column: 'users.id', type: 'integer' },
  name: { column: 'users.name', type: 'text' },
  email: { column: 'users.email', type: 'text' },
  role_id: { column: 'users.role_id', type: 'integer' },
  role: { column: 'roles.name', type: 'text', description: 'the role’s name' },
  administrator: { column: 'roles.is_admin', type: 'boolean' },
  active: { column: sql`(users.status = 'active')`, type: 'boolean' },
  two_factor: { column: sql`(users.totp_secret is not null)`, type: 'boolean', sort: false },
  must_change_password: { column: 'users.must_change_password', type: 'boolean', sort: false },
  last_login_at: { column: 'users.last_login_at', type: 'time', nullable: true },
  created_at: { column: 'users.created_at', type: 'time' },
  updated_at: { column: 'users.updated_at', type: 'time', nullable: true },
};

/** Users are the administrators' to see, as on the administration pages. */
function requireAdministrator(principal: Principal): void {
  if (!principal.isAdmin) throw new ForbiddenError(`${principal.name} is not an administrator`);
}

function userQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.role_id',
      'roles.name as role_name',
      'roles.is_admin',
      'users.must_change_password',
      'users.last_login_at',
      'users.created_at',
      'users.updated_at',
    ])
    .select([sql<boolean>`(users.status = 'active')`.as('active'), sql<boolean>`(users.totp_secret is not null)`.as('two_factor')])
    .where('users.archived_at', 'is', null);
}

async function withClientLimits(ctx: Ctx, rows: Array<Omit<UserApiRow, 'allow' | 'deny'>>): Promise<UserApiRow[]> {
  if (!rows.length) return [];
  const access = await ctx.db
    .selectFrom('user_client_access')
    .select(['user_id', 'client_id', 'mode'])
    .where(
      'user_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('client_id')
    .execute();
  return rows.map((r) => ({
    ...r,
    allow: access.filter((a) => a.user_id === r.id && a.mode === 'allow').map((a) => a.client_id),
    deny: access.filter((a) => a.user_id === r.id && a.mode === 'deny').map((a) => a.client_id),
  }));
}

export async function listUserRows({ call, query, page }: ListRequest): Promise<{ rows: UserApiRow[]; cursor: string | null }> {
  requireAdministrator(call.principal);
  const { ctx } = call;
  let q = userQuery(ctx);
  for (const condition of filterConditions(ctx.dialect, userFields, query)) q = q.where(condition);
  if (typeof query.updated_since === 'string') q = q.where(sql<SqlBool>`coalesce(users.updated_at, users.created_at) >= ${query.updated_since}`);
  if (typeof query.q === 'string' && query.q.trim()) {
    const term = query.q.trim();
    q = q.where(sql<SqlBool>`(${foldedContains(ctx.dialect, sql.ref('users.name'), term)} or ${foldedContains(ctx.dialect, sql.ref('users.email'), term)})`);
  }
  const rows = (await applyPage(q, page, 'users.id').execute()) as unknown as Array<Omit<UserApiRow, 'allow' | 'deny'> & Record<string, unknown>>;
  const out = pageRows(rows, page, (r) => r.id);
  return { rows: await withClientLimits(ctx, out.rows), cursor: out.cursor };
}

export async function readUserRow(call: V2Call, ctx: Ctx, id: number): Promise<UserApiRow> {
  requireAdministrator(call.principal);
  const row = await userQuery(ctx).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('user', id);
  return (await withClientLimits(ctx, [row as unknown as Omit<UserApiRow, 'allow' | 'deny'>]))[0]!;
}
