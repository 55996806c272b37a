// Roles and their level per module (none, read, write, full). The administrator role always has full
// access everywhere; other roles are edited here and take effect at the users' next request.
import { sql } from 'kysely';
import { LEVELS, MODULES, type Module } from '../access/access.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError, ValidationError } from '../platform/errors.ts';
import { requiredText } from '../platform/fields.ts';
import { guardedByUniqueIndex } from '../platform/record-rules.ts';
import { bumpAccessRevision } from './api-key.service.ts';

export interface RoleLevels {
  id: number;
  name: string;
  isAdmin: boolean;
  users: number;
  levels: Record<Module, number>;
}

export async function listRoleLevels(ctx: Ctx): Promise<RoleLevels[]> {
  const [roles, permissions, users] = await Promise.all([
    ctx.db.selectFrom('roles').select(['id', 'name', 'is_admin']).where('archived_at', 'is', null).orderBy('id').execute(),
    ctx.db.selectFrom('role_permissions').select(['role_id', 'module', 'level']).execute(),
    ctx.db
      .selectFrom('users')
      .select(['role_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('archived_at', 'is', null)
      .groupBy('role_id')
      .execute(),
  ]);
  return roles.map((r) => {
    const levels = Object.fromEntries(
      MODULES.map((m) => [m, r.is_admin ? LEVELS.full : (permissions.find((p) => p.role_id === r.id && p.module === m)?.level ?? 0)]),
    ) as Record<Module, number>;
    return { id: r.id, name: r.name, isAdmin: Boolean(r.is_admin), users: Number(users.find((u) => u.role_id === r.id)?.n ?? 0), levels };
  });
}

export async function createRole(ctx: Ctx, raw: unknown): Promise<number> {
  const issues = new IssueList();
  const name = requiredText(issues, 'name', raw, 100);
  const taken = { field: 'name', code: 'taken', message: `a role named "${name}" already exists` };
  if (name && (await ctx.db.selectFrom('roles').select('id').where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst()))
    issues.add(taken.field, taken.code, taken.message);
  issues.throwIfAny();
  const { id } = await guardedByUniqueIndex('roles_name', taken, () =>
    ctx.db
      .insertInto('roles')
      .values({ name, description: null, is_admin: 0, created_at: nowIso(ctx) })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await recordAudit(ctx, { action: 'role.created', entityType: 'role', entityId: id, details: { name } });
  return id;
}

/** Sets every module's level at once: each must be given (a form that leaves one out changes nothing). */
export async function setRoleLevels(ctx: Ctx, id: number, levels: Partial<Record<Module, unknown>>): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const role = await ctx.db.selectFrom('roles').select(['id', 'is_admin']).where('id', '=', id).executeTakeFirst();
    if (!role) throw new NotFoundError('role', id);
    if (role.is_admin) throw new ValidationError([{ field: 'role', code: 'admin_role', message: 'the administrator role always has full access' }]);
    const issues = new IssueList();
    const parsed = MODULES.map((m) => {
      const raw = levels[m];
      const missing = raw === undefined || raw === null || raw === '';
      const n = missing ? 0 : Number(raw);
      if (missing) issues.add(m, 'required', 'is required: choose a level (0 none, 1 read, 2 write, 3 full)');
      else if (![0, 1, 2, 3].includes(n)) issues.add(m, 'invalid', `"${String(raw)}" is not a level (0 none, 1 read, 2 write, 3 full)`);
      return { role_id: id, module: m, level: n };
    });
    issues.throwIfAny();
    await ctx.db.deleteFrom('role_permissions').where('role_id', '=', id).execute();
    await ctx.db.insertInto('role_permissions').values(parsed).execute();
    await bumpAccessRevision(ctx);
    await recordAudit(ctx, {
      action: 'role.levels_changed',
      entityType: 'role',
      entityId: id,
      details: Object.fromEntries(parsed.map((p) => [p.module, p.level])),
    });
  });
}
