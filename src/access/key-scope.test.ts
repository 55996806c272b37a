// How a key's scope narrows its user's principal: it can only take away, never add.
import { describe, expect, it } from 'vitest';
import { canSeeClient, clientScope, type Principal } from './access.ts';
import { NO_SCOPE, narrowPrincipal, scopeInWords } from './key-scope.ts';

const technician: Principal = {
  userId: 7,
  name: 'Tina',
  isAdmin: false,
  levels: { client: 2, support: 2, credential: 2, sales: 2, financial: 0, reporting: 0 },
  allow: new Set([1, 2]),
  deny: new Set([3]),
};
const admin: Principal = {
  userId: 1,
  name: 'Ada',
  isAdmin: true,
  levels: { client: 3, support: 3, credential: 3, sales: 3, financial: 3, reporting: 3 },
  allow: null,
  deny: new Set(),
};

describe('narrowPrincipal', () => {
  it('leaves an unscoped key exactly as its user', () => {
    expect(narrowPrincipal(admin, NO_SCOPE)).toBe(admin);
  });

  it('caps every level at read when read only, and takes away the modules not listed', () => {
    const p = narrowPrincipal(technician, { readOnly: true, modules: ['support', 'financial'], clientIds: null });
    expect(p.levels).toEqual({ client: 0, support: 1, credential: 0, sales: 0, financial: 0, reporting: 0 });
    expect(p.allow).toEqual(new Set([1, 2]));
  });

  it("intersects the key's clients with the user's, never widening them", () => {
    const p = narrowPrincipal(technician, { readOnly: false, modules: null, clientIds: [2, 3, 4] });
    expect([1, 2, 3, 4].filter((id) => canSeeClient(p, id))).toEqual([2]);
    expect(p.levels).toEqual(technician.levels);
    // The user lost client 2 since the key was made: the key now sees nothing, not everything.
    const later = narrowPrincipal({ ...technician, allow: new Set([1]) }, { readOnly: false, modules: null, clientIds: [2] });
    expect(clientScope(later)).toEqual({ kind: 'only', ids: [] });
  });

  it("holds an administrator's scoped key to its clients, without administrator rights", () => {
    const p = narrowPrincipal(admin, { readOnly: false, modules: null, clientIds: [5] });
    expect(p.isAdmin).toBe(false);
    expect(clientScope(p)).toEqual({ kind: 'only', ids: [5] });
    expect(p.levels.support).toBe(3);
  });
});

describe('scopeInWords', () => {
  it('says what a key is limited to', () => {
    expect(scopeInWords(NO_SCOPE)).toBe('Same as its user');
    expect(scopeInWords({ readOnly: true, modules: ['support'], clientIds: [1, 4] })).toBe('Read only · Assets · 2 clients');
    expect(scopeInWords({ readOnly: false, modules: ['client', 'credential'], clientIds: [9] })).toBe('Clients, Logins · 1 client');
  });
});
