// /api/v2/contacts over a real socket on each database: create, read, patch, list with a filter and a
// sort, archive, restore and delete through the contacts service; another client's contact is "not
// found" for a key limited to one client; a read-only role may not write; bad fields are named in snake_case.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Rec = { id: number; name: string; email: string | null; location_id: number | null; archived_at: string | null };
type Problem = { errors: Array<{ field: string }> };

describe.each(DIALECTS)('/api/v2/contacts on %s', (dialect) => {
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
    const created = await call('POST', '/api/v2/contacts', { client_id: a.client.id, name: 'Zoe Zhang', email: 'zoe@alpha.test', location_id: a.location.id });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Rec;
    expect(rec).toMatchObject({ client_id: a.client.id, name: 'Zoe Zhang', email: 'zoe@alpha.test', location_id: a.location.id, mobile: null });
    expect((await call('GET', `/api/v2/contacts/${rec.id}`)).json()).toEqual(rec);

    const patched = await call('PATCH', `/api/v2/contacts/${rec.id}`, { mobile: '+44 7700 900123', location_id: null });
    expect(patched.json()).toMatchObject({ name: 'Zoe Zhang', mobile: '+44 7700 900123', location_id: null });

    const list = (await call('GET', `/api/v2/contacts?client_id=${a.client.id}&sort=-name`)).json() as { results: Rec[] };
    expect(list.results.map((r) => r.name)).toEqual(['Zoe Zhang', 'Ana Alvarez']);
    expect(((await call('GET', '/api/v2/contacts?mobile__empty=false')).json() as { results: Rec[] }).results.map((r) => r.id)).toEqual([rec.id]);

    expect(((await call('POST', `/api/v2/contacts/${rec.id}/archive`)).json() as Rec).archived_at).not.toBeNull();
    expect(((await call('POST', `/api/v2/contacts/${rec.id}/restore`)).json() as Rec).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/contacts/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/contacts/${rec.id}`)).statusCode).toBe(404);
  });

  it('hides other clients’ contacts from a limited key, refuses writes to a read-only role, and names bad fields', async () => {
    expect((await call('GET', `/api/v2/contacts/${a.contact.id}`, undefined, keys.onlyB)).statusCode).toBe(404);
    const seen = (await call('GET', '/api/v2/contacts', undefined, keys.onlyB)).json() as { results: Array<{ client_id: number }> };
    expect(seen.results.map((r) => r.client_id)).toEqual([b.client.id]);
    expect((await call('POST', '/api/v2/contacts', { client_id: b.client.id, name: 'Nope' }, keys.reader)).statusCode).toBe(403);

    const bad = await call('POST', '/api/v2/contacts', { client_id: a.client.id, name: 'Cross', location_id: b.location.id });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as Problem).errors.map((e) => e.field)).toEqual(['location_id']);
  });
});
