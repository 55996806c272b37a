// Authorization, decided in one place for every entry point: a principal (a user, or an API key acting
// as its user) may do an action on a module at a level, for a client. A client the principal may not
// see answers exactly like a missing record, so its existence never leaks.
import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalId, type Raw } from '../platform/fields.ts';

import { MODULES, type Module, type Principal } from '../platform/principal.ts';

export { MODULES, type Module, type Principal } from '../platform/principal.ts';

/** 1 read, 2 write (create and edit), 3 full (also delete). */
export const LEVELS = { none: 0, read: 1, write: 2, full: 3 } as const;
export type Level = (typeof LEVELS)[keyof typeof LEVELS];

const MODULE_LABELS: Record<Module, string> = {
  client: 'clients',
  support: 'assets',
  credential: 'logins',
  sales: 'sales',
  financial: 'finance',
  reporting: 'reports',
};
const LEVEL_LABELS = ['no', 'read', 'write', 'full'];

/** Which clients a principal sees, in a form list queries can apply. */
export type ClientScope = { kind: 'all' } | { kind: 'only'; ids: number[] } | { kind: 'except'; ids: number[] };

/** The principal for an active user, or null if the user does not exist, is disabled or archived. */
export async function loadPrincipal(ctx: Ctx, userId: number): Promise<Principal | null> {
  const user = await ctx.db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select(['users.id', 'users.name', 'users.status', 'users.archived_at', 'roles.is_admin', 'roles.id as role_id'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active' || user.archived_at !== null) return null;
  const [permissions, access] = await Promise.all([
    ctx.db.selectFrom('role_permissions').select(['module', 'level']).where('role_id', '=', user.role_id).execute(),
    ctx.db.selectFrom('user_client_access').select(['client_id', 'mode']).where('user_id', '=', userId).execute(),
  ]);
  const isAdmin = Boolean(user.is_admin);
  const levels = Object.fromEntries(MODULES.map((m) => [m, isAdmin ? LEVELS.full : 0])) as Record<Module, number>;
  if (!isAdmin) for (const p of permissions) if ((MODULES as readonly string[]).includes(p.module)) levels[p.module as Module] = p.level;
  const allowed = access.filter((a) => a.mode === 'allow').map((a) => a.client_id);
  return {
    userId: user.id,
    name: user.name,
    isAdmin,
    levels,
    allow: isAdmin || allowed.length === 0 ? null : new Set(allowed),
    deny: new Set(isAdmin ? [] : access.filter((a) => a.mode === 'deny').map((a) => a.client_id)),
  };
}

export function canSeeClient(p: Principal, clientId: number): boolean {
  if (p.isAdmin) return true;
  if (p.deny.has(clientId)) return false;
  return p.allow === null || p.allow.has(clientId);
}

export function clientScope(p: Principal): ClientScope {
  if (p.isAdmin || (p.allow === null && p.deny.size === 0)) return { kind: 'all' };
  if (p.allow !== null) return { kind: 'only', ids: [...p.allow].filter((id) => !p.deny.has(id)) };
  return { kind: 'except', ids: [...p.deny] };
}

/**
 * Checks that the principal has at least `level` on `module`, and, for a client's record, may see that
 * client. Throws ForbiddenError naming the missing permission, or NotFoundError for a hidden client's
 * record (`entity` and `id` name it in the same words a missing record would get).
 */
export function authorize(p: Principal, module: Module, level: Exclude<Level, 0>, record?: { clientId: number; entity: string; id: number | string }): void {
  if (record && !canSeeClient(p, record.clientId)) throw new NotFoundError(record.entity, record.id);
  if (p.levels[module] < level) {
    throw new ForbiddenError(`${p.name} has ${LEVEL_LABELS[p.levels[module]]} access to ${MODULE_LABELS[module]}; this needs ${LEVEL_LABELS[level]} access`);
  }
}

/** Narrows a query on a client-owned table to the clients the principal sees. */
export function clientScopeFilter(scope: ClientScope, column: string) {
  if (scope.kind === 'all') return sql<boolean>`1 = 1`;
  if (scope.ids.length === 0) return scope.kind === 'only' ? sql<boolean>`1 = 0` : sql<boolean>`1 = 1`;
  const list = sql.join(scope.ids);
  return scope.kind === 'only' ? sql<boolean>`${sql.ref(column)} in (${list})` : sql<boolean>`${sql.ref(column)} not in (${list})`;
}

/**
 * The rule for a client's record, applied by its service to the user the call acts for
 * (ctx.principal), so that no entry point can skip it: a record of a client they may not see is "not
 * found", too low a level of the module is "forbidden". The system acting for itself (no principal:
 * CLI commands, jobs) may do anything.
 */
export function checkActingUser(ctx: Ctx, module: Module, level: Exclude<Level, 0>, record: { clientId: number; entity: string; id: number | string }): void {
  if (ctx.principal) authorize(ctx.principal, module, level, record);
}

/**
 * For a new record of a client: the acting user needs the module at write level, and a client they
 * may not see is reported on the field as one that does not exist (requireActiveClient's words for a
 * missing client), so its existence does not leak. False when the client was refused.
 */
export function mayCreateInClient(ctx: Ctx, issues: IssueList, module: Module, rawClientId: unknown, field = 'clientId'): boolean {
  if (!ctx.principal) return true;
  authorize(ctx.principal, module, LEVELS.write);
  // An id that is not one is left for requireActiveClient to report, in its own words.
  const id = optionalId(new IssueList(), field, rawClientId as Raw);
  if (id === null || canSeeClient(ctx.principal, id)) return true;
  issues.add(field, 'not_found', `client ${id} does not exist`);
  return false;
}
