// /api/v2/api-keys over a real socket on each database (administrators only): a key's secret answered
// once at creation, with its scope; the list shows prefixes, never secrets or hashes; DELETE revokes.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Key = { id: number; name: string; prefix: string; user_email: string; read_only: boolean; modules: string[] | null; client_ids: number[] | null };

describe.each(DIALECTS)('/api/v2/api-keys on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'tech', string>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', tech: 'technician' });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('creates a scoped key whose secret is shown once and works within its scope; revokes it with DELETE', async () => {
    const a = await makeClientWithRecords(t.ctx, 'Keys A');
    const b = await makeClientWithRecords(t.ctx, 'Keys B');
    const techEmail = ((await call('GET', '/api/v2/users?name=tech')).json() as { results: Array<{ email: string }> }).results[0]!.email;
    const created = await call('POST', '/api/v2/api-keys', {
      user_email: techEmail,
      name: 'RMM sync',
      expires_on: '2999-12-31',
      read_only: true,
      modules: ['client'],
      client_ids: [a.client.id],
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = created.json() as Key & { secret: string };
    expect(key).toMatchObject({ name: 'RMM sync', read_only: true, modules: ['client'], client_ids: [a.client.id], user_email: techEmail });
    expect(key.secret.startsWith(key.prefix)).toBe(true);

    const scoped = (method: string, url: string, payload?: unknown) => call(method, url, payload, {}, key.secret);
    expect((await scoped('GET', `/api/v2/locations/${a.location.id}`)).statusCode).toBe(200);
    expect((await scoped('GET', `/api/v2/locations/${b.location.id}`)).statusCode).toBe(404);
    expect((await scoped('POST', '/api/v2/locations', { client_id: a.client.id, name: 'No' })).statusCode).toBe(403);

    const read = await call('GET', `/api/v2/api-keys/${key.id}`);
    const list = await call('GET', '/api/v2/api-keys?name=rmm%20sync');
    for (const answer of [read, list]) {
      expect(answer.body).not.toContain(key.secret);
      expect(answer.body).not.toMatch(/secret/);
    }
    expect((list.json() as { results: Key[] }).results.map((k) => k.prefix)).toEqual([key.prefix]);
    expect(((await call('GET', '/api/v2/api-keys?read_only=true&revoked_at__empty=true')).json() as { results: Key[] }).results.map((k) => k.id)).toEqual([
      key.id,
    ]);

    expect((await call('DELETE', `/api/v2/api-keys/${key.id}`)).statusCode).toBe(204);
    expect((await scoped('GET', `/api/v2/locations/${a.location.id}`)).statusCode).toBe(401);
    expect(((await call('GET', `/api/v2/api-keys/${key.id}`)).json() as { revoked_at: string | null }).revoked_at).not.toBeNull();
  });

  it('names bad fields and refuses a key wider than its user', async () => {
    const bad = await call('POST', '/api/v2/api-keys', { user_email: 'nobody@keys.test', name: 'X', expires_on: '2000-01-01' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort()).toEqual(['expires_on', 'user_email']);
    const modules = await call('POST', '/api/v2/api-keys', { user_email: 'x@keys.test', name: 'X', modules: ['sales', 'payroll'] });
    expect(modules.statusCode).toBe(422);
    expect((modules.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toMatch(/^modules/);
    const missing = await call('POST', '/api/v2/api-keys', { user_email: 'x@keys.test', name: 'X', client_ids: [999999] });
    const fields = (missing.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect(fields).toContain('client_ids');
  });

  it('answers 403 to everyone but administrators', async () => {
    expect((await call('GET', '/api/v2/api-keys', undefined, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('GET', '/api/v2/api-keys/1', undefined, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('POST', '/api/v2/api-keys', { user_email: 'x@keys.test', name: 'Mine' }, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('DELETE', '/api/v2/api-keys/1', undefined, {}, keys.tech)).statusCode).toBe(403);
  });
});
