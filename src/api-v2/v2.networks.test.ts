// /api/v2/networks over a real socket on each database: create, read, patch, list with a filter and a
// sort, archive, restore and delete through the networks service; another client's network is "not
// found" for a key limited to one client; a read-only role may not write; bad fields are named in snake_case.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Rec = { id: number; name: string; vlan: number | null; cidr: string | null; archived_at: string | null };
type Problem = { errors: Array<{ field: string }> };

describe.each(DIALECTS)('/api/v2/networks on %s', (dialect) => {
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
    const body = { client_id: a.client.id, name: 'Voice', cidr: '10.20.0.0/24', vlan: 20, gateway: '10.20.0.1', dhcp_range: '10.20.0.100-10.20.0.200' };
    const created = await call('POST', '/api/v2/networks', { ...body, location_id: a.location.id });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Rec;
    expect(rec).toMatchObject({ ...body, location_id: a.location.id, primary_dns: null, archived_at: null });
    expect((await call('GET', `/api/v2/networks/${rec.id}`)).json()).toEqual(rec);

    const patched = await call('PATCH', `/api/v2/networks/${rec.id}`, { vlan: 30, primary_dns: '10.20.0.2' });
    expect(patched.json()).toMatchObject({ name: 'Voice', vlan: 30, primary_dns: '10.20.0.2', gateway: '10.20.0.1' });

    const list = (await call('GET', `/api/v2/networks?client_id=${a.client.id}&sort=vlan`)).json() as { results: Rec[] };
    expect(list.results.map((r) => r.name)).toEqual(['Voice', 'LAN']);
    expect(((await call('GET', '/api/v2/networks?vlan__gte=25')).json() as { results: Rec[] }).results.map((r) => r.id)).toEqual([rec.id]);

    expect(((await call('POST', `/api/v2/networks/${rec.id}/archive`)).json() as Rec).archived_at).not.toBeNull();
    expect(((await call('POST', `/api/v2/networks/${rec.id}/restore`)).json() as Rec).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/networks/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/networks/${rec.id}`)).statusCode).toBe(404);
  });

  it('hides other clients’ networks from a limited key, refuses writes to a read-only role, and names bad fields', async () => {
    expect((await call('GET', `/api/v2/networks/${a.network.id}`, undefined, keys.onlyB)).statusCode).toBe(404);
    const seen = (await call('GET', '/api/v2/networks', undefined, keys.onlyB)).json() as { results: Array<{ client_id: number }> };
    expect(seen.results.map((r) => r.client_id)).toEqual([b.client.id]);
    expect((await call('PATCH', `/api/v2/networks/${b.network.id}`, { vlan: 5 }, keys.reader)).statusCode).toBe(403);

    const bad = await call('POST', '/api/v2/networks', { client_id: a.client.id, name: 'Bad', cidr: '10.0.0.0/99', primary_dns: 'not-an-ip' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as Problem).errors.map((e) => e.field).sort()).toEqual(['cidr', 'primary_dns']);
  });
});
