// What an API key may do on top of its user's rights: read only, some modules, some clients. A scope
// only ever narrows: the key's principal is its user's, with levels capped and clients intersected, so
// every service, which authorizes through ctx.principal, holds the key to it on every API alike.
import { MODULES, type Module, type Principal } from '../platform/principal.ts';

export interface ApiKeyScope {
  /** Every module at most at read level (1). */
  readOnly: boolean;
  /** The modules the key may use; null: all of its user's. */
  modules: Module[] | null;
  /** The clients the key may see, within its user's; null: all of its user's. */
  clientIds: number[] | null;
}

export const NO_SCOPE: ApiKeyScope = { readOnly: false, modules: null, clientIds: null };

const MODULE_NAMES: Record<Module, string> = {
  client: 'Clients',
  support: 'Assets',
  credential: 'Logins',
  sales: 'Sales',
  financial: 'Finance',
  reporting: 'Reports',
};

export function isScoped(scope: ApiKeyScope): boolean {
  return scope.readOnly || scope.modules !== null || scope.clientIds !== null;
}

/**
 * The principal a key acts with: its user's, narrowed by the key's scope. A scoped key never carries
 * its user's administrator rights (administrators bypass client limits and manage users and keys), so
 * a narrowed key cannot widen itself again.
 */
export function narrowPrincipal(user: Principal, scope: ApiKeyScope): Principal {
  if (!isScoped(scope)) return user;
  const levels = { ...user.levels };
  for (const m of MODULES) {
    if (scope.modules && !scope.modules.includes(m)) levels[m] = 0;
    else if (scope.readOnly) levels[m] = Math.min(levels[m], 1);
  }
  const deny = user.isAdmin ? new Set<number>() : user.deny;
  const userAllow = user.isAdmin ? null : user.allow;
  const allow = scope.clientIds ? new Set(scope.clientIds.filter((id) => !deny.has(id) && (userAllow === null || userAllow.has(id)))) : userAllow;
  return { ...user, isAdmin: false, levels, allow, deny };
}

/** The scope in words, as the key lists show it: "Read only · Assets · 2 clients", or "Same as its user". */
export function scopeInWords(scope: ApiKeyScope): string {
  const parts: string[] = [];
  if (scope.readOnly) parts.push('Read only');
  if (scope.modules) parts.push(scope.modules.length ? scope.modules.map((m) => MODULE_NAMES[m]).join(', ') : 'No modules');
  if (scope.clientIds) parts.push(scope.clientIds.length === 1 ? '1 client' : `${scope.clientIds.length} clients`);
  return parts.length ? parts.join(' · ') : 'Same as its user';
}

/** The name a module is shown with in the key forms and lists. */
export function moduleName(m: Module): string {
  return MODULE_NAMES[m];
}
