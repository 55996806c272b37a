// /api/v2/tags over a real socket on each database: anyone with the assets module reads tags;
// administrators create them, change their colour and description, and delete them.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Tag = { id: number; name: string; color: string | null; description: string | null; asset_count: number };

describe.each(DIALECTS)('/api/v2/tags on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'tech' | 'reader', string>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', tech: 'technician', reader: 'accountant' });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('creates, reads, patches and deletes a tag as an administrator, with ETags', async () => {
    const created = await call('POST', '/api/v2/tags', { name: 'Audit 2027', color: '#1e88e5' });
    expect(created.statusCode).toBe(201);
    const tag = created.json() as Tag;
    expect(tag).toMatchObject({ name: 'Audit 2027', color: '#1e88e5', description: null, asset_count: 0, display: 'Audit 2027' });
    expect(created.headers.location).toBe(`/api/v2/tags/${tag.id}`);
    const etag = created.headers.etag as string;
    expect((await call('GET', `/api/v2/tags/${tag.id}`, undefined, { 'if-none-match': etag })).statusCode).toBe(304);
    const patched = await call('PATCH', `/api/v2/tags/${tag.id}`, { color: null, description: 'Due next year' }, { 'if-match': etag });
    expect(patched.json()).toMatchObject({ name: 'Audit 2027', color: null, description: 'Due next year' });
    expect((await call('PATCH', `/api/v2/tags/${tag.id}`, { color: '#000000' }, { 'if-match': etag })).statusCode).toBe(412);
    expect((await call('DELETE', `/api/v2/tags/${tag.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/tags/${tag.id}`)).statusCode).toBe(404);
  });

  it('names bad fields, refuses a name taken in any case, and lets only administrators manage tags', async () => {
    await call('POST', '/api/v2/tags', { name: 'Spare' });
    const taken = await call('POST', '/api/v2/tags', { name: 'SPARE' });
    expect(taken.statusCode).toBe(422);
    expect((taken.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('name');
    const bad = await call('POST', '/api/v2/tags', { name: 'X', color: 'red', colour: 'red' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(expect.arrayContaining(['color', 'colour']));
    // The name stays once created: the assets' history names tags as they were.
    expect((await call('PATCH', '/api/v2/tags/1', { name: 'Other' })).statusCode).toBe(422);

    const created = await call('POST', '/api/v2/tags', { name: 'Tech tag' }, {}, keys.tech);
    expect(created.statusCode).toBe(403);
    expect((created.json() as { detail: string }).detail).toContain('administrator');
    const spare = ((await call('GET', '/api/v2/tags?name=spare', undefined, {}, keys.tech)).json() as { results: Tag[] }).results;
    expect(spare.map((s) => s.name)).toEqual(['Spare']);
    expect((await call('PATCH', `/api/v2/tags/${spare[0]!.id}`, { color: '#ff0000' }, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v2/tags/${spare[0]!.id}`, undefined, {}, keys.tech)).statusCode).toBe(403);
    expect((await call('GET', '/api/v2/tags', undefined, {}, keys.reader)).statusCode).toBe(200);
  });

  it('filters and sorts, with empties last', async () => {
    for (const [name, color] of [
      ['Sort b', '#000002'],
      ['Sort a', null],
      ['Sort c', '#000001'],
    ])
      await call('POST', '/api/v2/tags', { name, color });
    const byColour = (await call('GET', '/api/v2/tags?name__ic=sort&sort=color')).json() as { results: Tag[] };
    expect(byColour.results.map((r) => r.name)).toEqual(['Sort c', 'Sort b', 'Sort a']);
    const empty = (await call('GET', '/api/v2/tags?name__ic=sort&color__empty=true')).json() as { results: Tag[] };
    expect(empty.results.map((r) => r.name)).toEqual(['Sort a']);
    const brief = (await call('GET', '/api/v2/tags?name=sort%20b&brief=true')).json() as { results: object[] };
    expect(brief.results).toEqual([{ id: expect.any(Number), url: expect.any(String), display: 'Sort b' }]);
  });
});
