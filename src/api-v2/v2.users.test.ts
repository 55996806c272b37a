// /api/v2/users over a real socket on each database (administrators only): a new user gets a temporary
// password answered once, no answer holds a password hash, and role, status and client limits change
// through the user administration service.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type User = {
  id: number;
  name: string;
  email: string;
  role: string;
  role_id: number;
  active: boolean;
  must_change_password: boolean;
  allow_client_ids: number[];
  deny_client_ids: number[];
  temporary_password?: string;
};

describe.each(DIALECTS)('/api/v2/users on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'tech', string>;
  let roles: Record<string, number>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', tech: 'technician' });
    roles = Object.fromEntries((await t.store.db.selectFrom('roles').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('adds a user with a temporary password shown once, which they must change; never a hash', async () => {
    const client = await makeClientWithRecords(t.ctx, 'Users Co');
    const created = await call('POST', '/api/v2/users', {
      name: 'Dana Field',
      email: 'dana@users.test',
      role_id: roles.Technician,
      allow_client_ids: [client.client.id],
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const user = created.json() as User;
    expect(user).toMatchObject({ name: 'Dana Field', role: 'Technician', active: true, must_change_password: true, allow_client_ids: [client.client.id] });
    expect(user.temporary_password).toMatch(/^.{20,}$/);
    expect(created.headers.location).toBe(`/api/v2/users/${user.id}`);

    const read = await call('GET', `/api/v2/users/${user.id}`);
    expect(read.json()).not.toHaveProperty('temporary_password');
    const list = await call('GET', '/api/v2/users?limit=1000');
    for (const answer of [created, read, list]) {
      expect(answer.body).not.toContain('argon2');
      expect(answer.body).not.toMatch(/password_hash|totp_secret/);
    }
    expect(((list.json() as { results: User[] }).results.find((u) => u.id === user.id) ?? null)?.email).toBe('dana@users.test');

    const taken = await call('POST', '/api/v2/users', { name: 'Dana 2', email: 'DANA@users.test', role_id: roles.Technician });
    expect(taken.statusCode).toBe(422);
    expect((taken.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['email']);
    const bad = await call('POST', '/api/v2/users', { name: 'Eve', email: 'eve@users.test', role_id: 999999, password: 'plum-orchard-lantern-47' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain('password');
    const badRole = await call('POST', '/api/v2/users', { name: 'Eve', email: 'eve@users.test', role_id: 999999 });
    expect((badRole.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['role_id']);
  });

  it('patches name, role and client limits, disables a user, filters and sorts', async () => {
    const user = (await call('POST', '/api/v2/users', { name: 'Finn Gale', email: 'finn@users.test', role_id: roles.Accountant })).json() as User;
    const etag = (await call('GET', `/api/v2/users/${user.id}`)).headers.etag as string;
    const patched = await call('PATCH', `/api/v2/users/${user.id}`, { role_id: roles.Technician, deny_client_ids: [] }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Finn Gale', role: 'Technician', active: true });
    expect((await call('PATCH', `/api/v2/users/${user.id}`, { name: 'Finn' }, { 'if-match': etag })).statusCode).toBe(412);
    const unknownClient = await call('PATCH', `/api/v2/users/${user.id}`, { allow_client_ids: [999999] });
    expect(unknownClient.statusCode).toBe(422);
    expect((unknownClient.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('allow_client_ids');

    const disabled = await call('POST', `/api/v2/users/${user.id}/disable`);
    expect(disabled.json()).toMatchObject({ active: false });
    const inactive = (await call('GET', '/api/v2/users?active=false&email__ic=users.test')).json() as { results: User[] };
    expect(inactive.results.map((u) => u.name)).toEqual(['Finn Gale']);
    expect(((await call('PATCH', `/api/v2/users/${user.id}`, { active: true })).json() as User).active).toBe(true);
    const sorted = (await call('GET', '/api/v2/users?email__ic=users.test&sort=-name')).json() as { results: User[] };
    expect(sorted.results.map((u) => u.name)).toEqual(['Finn Gale', 'Dana Field']);
  });

  it('answers 403 to everyone but administrators', async () => {
    expect((await call('GET', '/api/v2/users', undefined, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('GET', '/api/v2/users/1', undefined, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('POST', '/api/v2/users', { name: 'Gil', email: 'gil@users.test', role_id: roles.Administrator }, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('PATCH', '/api/v2/users/1', { role_id: roles.Administrator }, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('POST', '/api/v2/users/1/disable', undefined, {}, keys.tech)).statusCode).toBe(403);
  });
});
