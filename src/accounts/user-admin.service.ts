// What an administrator does to users: list them, change name, role and status, set which clients a
// user is limited to (allow) or kept from (deny), and reset their two-factor sign-in. Every change is
// audited; disabling a user ends their sessions. Steward never lets the last active administrator
// be disabled or demoted, so it cannot be locked out of its own administration.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { bumpAccessRevision } from './api-key.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { ForbiddenError, IssueList, NotFoundError, ValidationError } from '../platform/errors.ts';
import { optionalId, requiredText, type Raw } from '../platform/fields.ts';
import { createUser } from './user.service.ts';

/** Only administrators (or the system itself: the CLI) see and manage users. */
function requireAdministrator(ctx: Ctx): void {
  if (ctx.principal && !ctx.principal.isAdmin) throw new ForbiddenError(`${ctx.principal.name} is not an administrator`);
}

export interface UserRow {
  id: number;
  name: string;
  email: string;
  roleId: number;
  roleName: string;
  isAdmin: boolean;
  status: 'active' | 'disabled';
  twoFactor: boolean;
  /** An administrator reset the password; the user has not chosen their own yet. */
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  allow: number[];
  deny: number[];
}

export async function listUsers(ctx: Ctx): Promise<UserRow[]> {
  requireAdministrator(ctx);
  const [users, access] = await Promise.all([
    ctx.db
      .selectFrom('users as u')
      .innerJoin('roles as r', 'r.id', 'u.role_id')
      .select([
        'u.id',
        'u.name',
        'u.email',
        'u.role_id',
        'r.name as role_name',
        'r.is_admin',
        'u.status',
        'u.totp_secret',
        'u.last_login_at',
        'u.must_change_password',
      ])
      .where('u.archived_at', 'is', null)
      .orderBy(sql`lower(u.name)`)
      .execute(),
    ctx.db.selectFrom('user_client_access').select(['user_id', 'client_id', 'mode']).execute(),
  ]);
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    roleId: u.role_id,
    roleName: u.role_name,
    isAdmin: Boolean(u.is_admin),
    status: u.status,
    twoFactor: u.totp_secret !== null,
    mustChangePassword: Boolean(u.must_change_password),
    lastLoginAt: u.last_login_at,
    allow: access.filter((a) => a.user_id === u.id && a.mode === 'allow').map((a) => a.client_id),
    deny: access.filter((a) => a.user_id === u.id && a.mode === 'deny').map((a) => a.client_id),
  }));
}

export async function listRoles(ctx: Ctx): Promise<Array<{ id: number; name: string; isAdmin: boolean }>> {
  const rows = await ctx.db.selectFrom('roles').select(['id', 'name', 'is_admin']).where('archived_at', 'is', null).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, isAdmin: Boolean(r.is_admin) }));
}

async function activeAdmins(ctx: Ctx): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('users as u')
    .innerJoin('roles as r', 'r.id', 'u.role_id')
    .select('u.id')
    .where('r.is_admin', '=', sql.lit(true))
    .where('u.status', '=', 'active')
    .where('u.archived_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function updateUser(ctx: Ctx, id: number, input: { name: Raw; roleId: Raw; status: Raw }): Promise<void> {
  requireAdministrator(ctx);
  await inTransaction(ctx, async (ctx) => {
    const user = await ctx.db
      .selectFrom('users')
      .select(['id', 'name', 'role_id', 'status'])
      .where('id', '=', id)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!user) throw new NotFoundError('user', id);
    const issues = new IssueList();
    const name = requiredText(issues, 'name', input.name, 200);
    const roleId = optionalId(new IssueList(), 'roleId', input.roleId);
    const role =
      roleId !== null
        ? await ctx.db.selectFrom('roles').select(['id', 'is_admin']).where('id', '=', roleId).where('archived_at', 'is', null).executeTakeFirst()
        : undefined;
    if (!role) issues.add('roleId', 'unknown_value', 'choose one of the roles');
    const status = input.status === 'disabled' ? 'disabled' : input.status === 'active' ? 'active' : null;
    if (!status) issues.add('status', 'unknown_value', 'must be active or disabled');
    const admins = await activeAdmins(ctx);
    const staysAdmin = role && Boolean(role.is_admin) && status === 'active';
    if (admins.length === 1 && admins[0] === id && !staysAdmin)
      issues.add(role && !role.is_admin ? 'roleId' : 'status', 'last_admin', 'this is the last active administrator; make someone else an administrator first');
    issues.throwIfAny();
    await ctx.db.updateTable('users').set({ name, role_id: role!.id, status: status! }).where('id', '=', id).execute();
    if (status === 'disabled') await ctx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await bumpAccessRevision(ctx);
    await recordAudit(ctx, { action: 'user.updated', entityType: 'user', entityId: id, details: { name, roleId: role!.id, status } });
  });
}

/** Replaces the user's client limits: allowed clients (none = every client) and denied ones. */
export async function setClientAccess(
  ctx: Ctx,
  id: number,
  access: { allow: number[]; deny: number[] },
  options: { refuseUnknown?: boolean } = {},
): Promise<void> {
  requireAdministrator(ctx);
  await inTransaction(ctx, async (ctx) => {
    if (!(await ctx.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst())) throw new NotFoundError('user', id);
    const known = new Set((await ctx.db.selectFrom('clients').select('id').execute()).map((c) => c.id));
    if (options.refuseUnknown) {
      // Scripts name clients by id: an unknown one is a mistake to report, not to drop (the form lists only real ones).
      const issues = new IssueList();
      for (const field of ['allow', 'deny'] as const) {
        const unknown = access[field].filter((c) => !known.has(c));
        if (unknown.length) issues.add(field, 'not_found', `client ${unknown.join(', ')} does not exist`);
      }
      issues.throwIfAny();
    }
    const allow = [...new Set(access.allow)].filter((c) => known.has(c));
    const deny = [...new Set(access.deny)].filter((c) => known.has(c) && !allow.includes(c));
    await ctx.db.deleteFrom('user_client_access').where('user_id', '=', id).execute();
    const rows = [
      ...allow.map((c) => ({ user_id: id, client_id: c, mode: 'allow' as const })),
      ...deny.map((c) => ({ user_id: id, client_id: c, mode: 'deny' as const })),
    ];
    if (rows.length) await ctx.db.insertInto('user_client_access').values(rows).execute();
    await bumpAccessRevision(ctx);
    await recordAudit(ctx, { action: 'user.client_access', entityType: 'user', entityId: id, details: { allow, deny } });
  });
}

/** Turns a user's two-factor sign-in off (a lost phone); they can set it up again after signing in. */
export async function resetTwoFactor(ctx: Ctx, id: number): Promise<void> {
  requireAdministrator(ctx);
  const result = await ctx.db.updateTable('users').set({ totp_secret: null, totp_recovery_codes: null }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError('user', id);
  await recordAudit(ctx, { action: 'user.two_factor_reset', entityType: 'user', entityId: id });
}

/**
 * An administrator adds a user without choosing their password (API v2, where no password travels in
 * a request): Steward makes a temporary one, answered once, which the user must replace at their first
 * sign-in, as after an administrator's reset. Role and client limits are set in the same transaction.
 */
export async function addUserWithTemporaryPassword(
  ctx: Ctx,
  input: { name: Raw; email: Raw; roleId: Raw; allow?: number[]; deny?: number[] },
): Promise<{ id: number; temporaryPassword: string }> {
  requireAdministrator(ctx);
  const roleId = optionalId(new IssueList(), 'roleId', input.roleId);
  const role =
    roleId !== null
      ? await ctx.db.selectFrom('roles').select(['id', 'name']).where('id', '=', roleId).where('archived_at', 'is', null).executeTakeFirst()
      : undefined;
  // 144 random bits: never guessable, and it passes the password policy.
  const temporaryPassword = randomBytes(18).toString('base64url');
  return inTransaction(ctx, async (ctx) => {
    let user: { id: number };
    try {
      user = await createUser(ctx, { name: input.name, email: input.email, password: temporaryPassword, role: role?.name ?? '' });
    } catch (error) {
      // createUser names the role by name; here it was given by id.
      if (error instanceof ValidationError)
        throw new ValidationError(error.issues.map((i) => (i.field === 'role' ? { ...i, field: 'roleId', message: 'choose one of the roles' } : i)));
      throw error;
    }
    if (!role) throw new ValidationError([{ field: 'roleId', code: 'unknown_value', message: 'choose one of the roles' }]);
    await ctx.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', user.id).execute();
    if (input.allow?.length || input.deny?.length)
      await setClientAccess(ctx, user.id, { allow: input.allow ?? [], deny: input.deny ?? [] }, { refuseUnknown: true });
    await recordAudit(ctx, { action: 'user.created', entityType: 'user', entityId: user.id, details: { roleId: role.id, mustChangePassword: true } });
    return { id: user.id, temporaryPassword };
  });
}

/** One user as the administrators' list shows it; NotFoundError when there is none (or it is archived). */
export async function readUser(ctx: Ctx, id: number): Promise<UserRow> {
  const user = (await listUsers(ctx)).find((u) => u.id === id);
  if (!user) throw new NotFoundError('user', id);
  return user;
}
