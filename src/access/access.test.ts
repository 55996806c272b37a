import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from '../accounts/api-key.service.ts';
import { createUser } from '../accounts/user.service.ts';
import { createClient } from '../clients/client.service.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { authorize, canSeeClient, clientScope, loadPrincipal, type Principal } from './access.ts';

describe.each(DIALECTS)('authorization and API keys on %s', (dialect) => {
  const t = useTestDb(dialect);
  let a: number;
  let b: number;
  let c: number;
  beforeAll(async () => {
    a = (await createClient(t.ctx, { name: 'Client A' })).id;
    b = (await createClient(t.ctx, { name: 'Client B' })).id;
    c = (await createClient(t.ctx, { name: 'Client C' })).id;
  });

  async function principal(role: string, access: Array<[number, 'allow' | 'deny']> = []): Promise<Principal> {
    const user = await createUser(t.ctx, { email: `${role}-${Math.random().toString(36).slice(2)}@x.test`, name: `A ${role}`, password: 'oak-kite-472', role });
    if (access.length)
      await t.store.db
        .insertInto('user_client_access')
        .values(access.map(([client_id, mode]) => ({ user_id: user.id, client_id, mode })))
        .execute();
    return (await loadPrincipal(t.ctx, user.id))!;
  }

  it("gives roles ITFlow's levels: technicians write assets but cannot delete, accountants only read, admins do all", async () => {
    const tech = await principal('technician');
    const acct = await principal('accountant');
    const admin = await principal('admin');
    expect(() => authorize(tech, 'support', 2)).not.toThrow();
    expect(() => authorize(tech, 'support', 3)).toThrow(ForbiddenError);
    expect(() => authorize(acct, 'support', 1)).not.toThrow();
    expect(() => authorize(acct, 'support', 2)).toThrow(/read access to assets; this needs write access/);
    expect(() => authorize(admin, 'support', 3, { clientId: c, entity: 'asset', id: 1 })).not.toThrow();
  });

  it('limits a user to allowed clients, keeps denied ones out, and hides them as if missing', async () => {
    const limited = await principal('technician', [[a, 'allow']]);
    expect(canSeeClient(limited, a)).toBe(true);
    expect(canSeeClient(limited, b)).toBe(false);
    expect(clientScope(limited)).toEqual({ kind: 'only', ids: [a] });
    expect(() => authorize(limited, 'support', 1, { clientId: b, entity: 'asset', id: 42 })).toThrow(NotFoundError);
    expect(() => authorize(limited, 'support', 1, { clientId: b, entity: 'asset', id: 42 })).toThrow('asset 42 does not exist');

    const denied = await principal('technician', [[b, 'deny']]);
    expect(canSeeClient(denied, a)).toBe(true);
    expect(canSeeClient(denied, b)).toBe(false);
    expect(clientScope(denied)).toEqual({ kind: 'except', ids: [b] });

    const two = await principal('technician', [
      [a, 'allow'],
      [b, 'allow'],
    ]);
    expect(clientScope(two)).toEqual({ kind: 'only', ids: expect.arrayContaining([a, b]) });
    expect(canSeeClient(two, c)).toBe(false);
    expect(clientScope(await principal('admin', [[a, 'deny']]))).toEqual({ kind: 'all' });
  });

  it('API keys authenticate as their user, through the expiry day, and stop when revoked or the user is disabled', async () => {
    const user = await createUser(t.ctx, { email: 'rmm@x.test', name: 'RMM', password: 'oak-kite-472', role: 'technician' });
    const today = new Date().toISOString().slice(0, 10);
    const { id, secret } = await createApiKey(t.ctx, { userEmail: 'RMM@x.test', name: 'RMM sync', expiresOn: today });
    const stored = await t.store.db.selectFrom('api_keys').select(['secret_hash', 'prefix']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(secret);
    expect(secret.startsWith(stored.prefix)).toBe(true);

    const auth = await authenticateApiKey({ ...t.ctx, ip: '198.51.100.4' }, secret);
    expect(auth).toMatchObject({ keyId: id, keyName: 'RMM sync', principal: { userId: user.id, isAdmin: false } });
    expect((await listApiKeys(t.ctx)).find((k) => k.id === id)).toMatchObject({ lastUsedIp: '198.51.100.4', userEmail: 'rmm@x.test' });

    const tomorrow = { ...t.ctx, now: () => new Date(Date.now() + 86_400_000) };
    expect(await authenticateApiKey(tomorrow, secret)).toBeNull();
    expect(await authenticateApiKey(t.ctx, secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a'))).toBeNull();
    expect(await authenticateApiKey(t.ctx, 'nonsense-key-value')).toBeNull();

    await t.store.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expect(await authenticateApiKey(t.ctx, secret)).toBeNull();
    await t.store.db.updateTable('users').set({ status: 'active' }).where('id', '=', user.id).execute();
    expect(await authenticateApiKey(t.ctx, secret)).not.toBeNull();
    await revokeApiKey(t.ctx, id);
    expect(await authenticateApiKey(t.ctx, secret)).toBeNull();

    const failures = await t.store.db.selectFrom('audit_log').select('details').where('action', '=', 'api_key.auth_failed').execute();
    const reasons = failures.map((f) => (typeof f.details === 'string' ? JSON.parse(f.details) : f.details).reason);
    expect(reasons).toEqual(expect.arrayContaining(['expired key', 'wrong secret', 'unknown key', "key's user is disabled or archived", 'revoked key']));
  });

  it('refuses keys for unknown users and past expiry dates', async () => {
    const error = await createApiKey(t.ctx, { userEmail: 'ghost@x.test', name: '', expiresOn: '2020-02-30' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field).sort()).toEqual(['expires', 'name', 'user']);
  });
});
