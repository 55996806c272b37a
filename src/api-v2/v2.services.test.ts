// /api/v2/services over a real socket on each database: create, read (with its linked assets), patch,
// list with a filter and a sort, archive, restore and delete through the services service; another
// client's service is "not found" for a key limited to one client; a read-only role may not write;
// bad fields are named in snake_case.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { linkService } from '../assets/asset-links.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createService } from '../services/service.service.ts';
import { loadConfig } from '../platform/config.ts';

type Rec = { id: number; name: string; importance: string | null; review_due: string | null; asset_ids: number[]; archived_at: string | null };
type Problem = { errors: Array<{ field: string }> };

describe.each(DIALECTS)('/api/v2/services on %s', (dialect) => {
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

  it('creates, reads with linked assets, patches, lists by filter and sort, archives, restores and deletes', async () => {
    const created = await call('POST', '/api/v2/services', { client_id: a.client.id, name: 'Email', importance: 'high', review_due: '2027-03-01' });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Rec;
    expect(rec).toMatchObject({ client_id: a.client.id, name: 'Email', importance: 'High', review_due: '2027-03-01', category: null, asset_ids: [] });
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'MAIL-01' });
    await linkService(t.ctx, asset.id, rec.id);
    expect(((await call('GET', `/api/v2/services/${rec.id}`)).json() as Rec).asset_ids).toEqual([asset.id]);

    const patched = await call('PATCH', `/api/v2/services/${rec.id}`, { category: 'Communication', review_due: null });
    expect(patched.json()).toMatchObject({ name: 'Email', category: 'Communication', review_due: null, importance: 'High' });

    await call('POST', '/api/v2/services', { client_id: a.client.id, name: 'Backup', importance: 'Low' });
    const list = (await call('GET', `/api/v2/services?client_id=${a.client.id}&sort=-name`)).json() as { results: Rec[] };
    expect(list.results.map((r) => [r.name, r.asset_ids])).toEqual([
      ['Email', [asset.id]],
      ['Backup', []],
    ]);
    expect(((await call('GET', '/api/v2/services?importance=high')).json() as { results: Rec[] }).results.map((r) => r.id)).toEqual([rec.id]);

    expect(((await call('POST', `/api/v2/services/${rec.id}/archive`)).json() as Rec).archived_at).not.toBeNull();
    expect(((await call('POST', `/api/v2/services/${rec.id}/restore`)).json() as Rec).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/services/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/services/${rec.id}`)).statusCode).toBe(404);
  });

  it('hides other clients’ services from a limited key, refuses writes to a read-only role, and names bad fields', async () => {
    const hidden = await createService(t.ctx, { clientId: a.client.id, name: 'Hidden' });
    expect((await call('GET', `/api/v2/services/${hidden.id}`, undefined, keys.onlyB)).statusCode).toBe(404);
    expect((await call('POST', `/api/v2/services/${hidden.id}/archive`, undefined, keys.onlyB)).statusCode).toBe(404);
    expect((await call('POST', '/api/v2/services', { client_id: b.client.id, name: 'Nope' }, keys.reader)).statusCode).toBe(403);

    const bad = await call('POST', '/api/v2/services', { client_id: a.client.id, name: 'Bad', review_due: '2027-02-30', importance: 'Vital' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as Problem).errors.map((e) => e.field).sort()).toEqual(['importance', 'review_due']);
  });
});
