// /api/v2/clients over a real socket on each database: create, read, patch, list with a filter and a
// sort, archive, restore and delete through the clients service; a hidden client is "not found" for a
// key limited to another; a read-only role may not write; bad fields are named in snake_case.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Rec = { id: number; name: string; type: string | null; favorite: boolean; archived_at: string | null };
type Problem = { errors: Array<{ field: string }> };

describe.each(DIALECTS)('/api/v2/clients on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Co');
    b = await makeClientWithRecords(t.ctx, 'Beta Co');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}` } });

  it('creates, reads, patches, lists by filter and sort, archives, restores and deletes', async () => {
    const created = await call('POST', '/api/v2/clients', { name: 'Gamma Ltd', type: 'Retail', favorite: true });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Rec;
    expect(rec).toMatchObject({ name: 'Gamma Ltd', type: 'Retail', favorite: true, website: null, archived_at: null, url: `/api/v2/clients/${rec.id}` });
    expect((await call('GET', `/api/v2/clients/${rec.id}`)).json()).toEqual(rec);

    const patched = await call('PATCH', `/api/v2/clients/${rec.id}`, { website: 'gamma.example', favorite: false });
    expect(patched.json()).toMatchObject({ name: 'Gamma Ltd', website: 'gamma.example', favorite: false });

    const favs = (await call('GET', '/api/v2/clients?favorite=false&sort=-name')).json() as { results: Rec[] };
    expect(favs.results.map((r) => r.name)).toEqual(['Gamma Ltd', 'Beta Co', 'Alpha Co']);
    expect(((await call('GET', '/api/v2/clients?type__ic=ret')).json() as { results: Rec[] }).results.map((r) => r.name)).toEqual(['Gamma Ltd']);

    expect(((await call('POST', `/api/v2/clients/${rec.id}/archive`)).json() as Rec).archived_at).not.toBeNull();
    expect(((await call('GET', '/api/v2/clients?archived=true')).json() as { results: Rec[] }).results.map((r) => r.id)).toEqual([rec.id]);
    expect(((await call('POST', `/api/v2/clients/${rec.id}/restore`)).json() as Rec).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/clients/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/clients/${rec.id}`)).statusCode).toBe(404);
  });

  it('hides other clients from a limited key, refuses writes to a read-only role, and names bad fields', async () => {
    expect((await call('GET', `/api/v2/clients/${a.client.id}`, undefined, keys.onlyB)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v2/clients/${a.client.id}`, { name: 'Mine' }, keys.onlyB)).statusCode).toBe(404);
    const seen = (await call('GET', '/api/v2/clients', undefined, keys.onlyB)).json() as { results: Rec[] };
    expect(seen.results.map((r) => r.id)).toEqual([b.client.id]);

    const refused = await call('POST', '/api/v2/clients', { name: 'Nope' }, keys.reader);
    expect(refused.statusCode).toBe(403);
    expect(((await call('GET', `/api/v2/clients/${a.client.id}`, undefined, keys.reader)).json() as Rec).name).toBe('Alpha Co');

    const bad = await call('POST', '/api/v2/clients', { name: 'X', client_id: 4 });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as Problem).errors.map((e) => e.field)).toContain('client_id');
  });
});
