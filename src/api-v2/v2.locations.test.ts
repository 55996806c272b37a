// The v2 conventions (docs/api-v2.md) through one resource, locations, over a real socket on each
// database: filters, sort and cursor paging, fields and brief, ETags with If-Match and If-None-Match,
// idempotent creates, PUT and PATCH, archive and restore, delete, and bulk writes all-or-nothing or not.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Rec = { id: number; name: string; city: string | null; url: string; display: string; primary: boolean; archived_at: string | null };

describe.each(DIALECTS)('/api/v2/locations on %s', (dialect) => {
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

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('creates, reads with an ETag, answers 304 to If-None-Match, and refuses a stale If-Match with 412', async () => {
    const created = await call('POST', '/api/v2/locations', { client_id: a.client.id, name: 'Warehouse', city: 'Leeds' });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Rec;
    expect(rec).toMatchObject({
      name: 'Warehouse',
      city: 'Leeds',
      display: 'Warehouse',
      primary: false,
      archived_at: null,
      url: `/api/v2/locations/${rec.id}`,
    });
    expect(created.headers.location).toBe(`/api/v2/locations/${rec.id}`);
    const etag = created.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);

    const read = await call('GET', `/api/v2/locations/${rec.id}`);
    expect(read.headers.etag).toBe(etag);
    expect((await call('GET', `/api/v2/locations/${rec.id}`, undefined, { 'if-none-match': etag })).statusCode).toBe(304);

    const patched = await call('PATCH', `/api/v2/locations/${rec.id}`, { city: 'York' }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect((patched.json() as Rec).city).toBe('York');
    expect(patched.headers.etag).not.toBe(etag);

    const stale = await call('PATCH', `/api/v2/locations/${rec.id}`, { city: 'Hull' }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(((await call('GET', `/api/v2/locations/${rec.id}`)).json() as Rec).city).toBe('York');

    const replaced = await call('PUT', `/api/v2/locations/${rec.id}`, { name: 'Warehouse 2' });
    expect(replaced.json()).toMatchObject({ name: 'Warehouse 2', city: null });

    const archived = await call('POST', `/api/v2/locations/${rec.id}/archive`);
    expect((archived.json() as Rec).archived_at).not.toBeNull();
    expect(((await call('POST', `/api/v2/locations/${rec.id}/restore`)).json() as Rec).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/locations/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/locations/${rec.id}`)).statusCode).toBe(404);
  });

  it('names bad fields in snake_case, and hides other clients’ records from a limited key', async () => {
    const bad = await call('POST', '/api/v2/locations', { client_id: a.client.id, name: '', colour: 'red' });
    expect(bad.statusCode).toBe(422);
    const fields = (bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect(fields).toContain('colour');
    const archivedClient = await call('POST', '/api/v2/locations', { client_id: 999999, name: 'X' });
    expect(archivedClient.statusCode).toBe(422);
    expect((archivedClient.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('client_id');

    expect((await call('GET', `/api/v2/locations/${a.location.id}`, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    const list = (await call('GET', '/api/v2/locations?limit=1000', undefined, {}, keys.onlyB)).json() as { results: Array<{ client_id: number }> };
    expect(list.results.length).toBeGreaterThan(0);
    expect(list.results.every((r) => r.client_id === b.client.id)).toBe(true);
    expect((await call('POST', '/api/v2/locations', { client_id: b.client.id, name: 'Nope' }, {}, keys.reader)).statusCode).toBe(403);
  });

  it('filters, sorts with empties last, pages by cursor with a Link header, and shapes with fields and brief', async () => {
    const names = ['Site 05', 'Site 01', 'Site 04', 'Site 02', 'Site 03'];
    for (const [i, name] of names.entries()) await call('POST', '/api/v2/locations', { client_id: b.client.id, name, city: i === 2 ? null : `City ${i % 2}` });
    const seen: string[] = [];
    let url: string | null = `/api/v2/locations?client_id=${b.client.id}&name__ic=site&sort=-city,name&limit=2`;
    while (url) {
      const res = await call('GET', url);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { results: Rec[]; next: string | null };
      if (page.next) expect(res.headers.link).toBe(`<${page.next}>; rel="next"`);
      seen.push(...page.results.map((r) => `${r.city ?? '-'}/${r.name}`));
      url = page.next;
    }
    expect(seen).toEqual(['City 1/Site 01', 'City 1/Site 02', 'City 0/Site 03', 'City 0/Site 05', '-/Site 04']);

    const empty = (await call('GET', `/api/v2/locations?client_id=${b.client.id}&name__ic=site&city__empty=true`)).json() as { results: Rec[] };
    expect(empty.results.map((r) => r.name)).toEqual(['Site 04']);
    const exact = (await call('GET', `/api/v2/locations?name=site%2003`)).json() as { results: Rec[] };
    expect(exact.results.map((r) => r.name)).toEqual(['Site 03']);
    const brief = (await call('GET', `/api/v2/locations?name=site%2003&brief=true`)).json() as { results: object[] };
    expect(brief.results[0]).toEqual({ id: expect.any(Number), url: expect.any(String), display: 'Site 03' });
    const some = (await call('GET', `/api/v2/locations?name=site%2003&fields=name,city`)).json() as { results: object[] };
    expect(some.results[0]).toEqual({ id: expect.any(Number), name: 'Site 03', city: 'City 0' });

    expect((await call('GET', '/api/v2/locations?sort=colour')).statusCode).toBe(422);
    const first = (await call('GET', `/api/v2/locations?client_id=${b.client.id}&limit=1`)).json() as { next: string };
    const cursor = new URL(first.next, 'http://x').searchParams.get('cursor')!;
    const misused = await call('GET', `/api/v2/locations?client_id=${a.client.id}&limit=1&cursor=${cursor}`);
    expect(misused.statusCode).toBe(422);
    expect((misused.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('cursor');
  });

  it('replays an idempotent create, refuses the key with another body, and writes once', async () => {
    const headers = { 'idempotency-key': 'sync-loc-1' };
    const first = await call('POST', '/api/v2/locations', { client_id: a.client.id, name: 'Once' }, headers);
    const again = await call('POST', '/api/v2/locations', { client_id: a.client.id, name: 'Once' }, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    const other = await call('POST', '/api/v2/locations', { client_id: a.client.id, name: 'Twice' }, headers);
    expect(other.statusCode).toBe(422);
    const list = (await call('GET', `/api/v2/locations?name=once`)).json() as { results: unknown[] };
    expect(list.results).toHaveLength(1);
  });

  it('bulk-creates all or nothing, or item by item with atomic=false; bulk-patches and bulk-deletes', async () => {
    const items = [
      { client_id: a.client.id, name: 'Bulk 1' },
      { client_id: a.client.id, name: '' },
      { client_id: a.client.id, name: 'Bulk 3' },
    ];
    const refused = await call('POST', '/api/v2/locations', items);
    expect(refused.statusCode).toBe(422);
    expect((refused.json() as { items: Array<{ index: number; errors: Array<{ field: string }> }> }).items).toEqual([
      expect.objectContaining({ index: 1, status: 422, errors: [expect.objectContaining({ field: '[1].name' })] }),
    ]);
    expect(((await call('GET', '/api/v2/locations?name__ic=bulk')).json() as { results: unknown[] }).results).toHaveLength(0);

    const partial = await call('POST', '/api/v2/locations?atomic=false', items);
    expect(partial.statusCode).toBe(200);
    const results = (partial.json() as { results: Array<{ index: number; status: number; id?: number }> }).results;
    expect(results.map((r) => r.status)).toEqual([201, 422, 201]);
    const ids = results.filter((r) => r.id).map((r) => r.id!);

    const patched = await call(
      'PATCH',
      '/api/v2/locations',
      ids.map((id) => ({ id, city: 'Bulkton' })),
    );
    expect(patched.statusCode).toBe(200);
    const cities = (await call('GET', '/api/v2/locations?city=bulkton')).json() as { results: unknown[] };
    expect(cities.results).toHaveLength(2);
    const removed = await call('DELETE', '/api/v2/locations', ids);
    expect(removed.statusCode).toBe(200);
    expect(((await call('GET', '/api/v2/locations?city=bulkton')).json() as { results: unknown[] }).results).toHaveLength(0);
  });
});
