// /api/v2/lists/{kind} over a real socket on each database: the values of the administrators' lists,
// read by anyone with the assets module, added to, archived and restored by administrators.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

type Value = { id: number; kind: string; name: string; url: string; archived_at: string | null; position: number };

describe.each(DIALECTS)('/api/v2/lists on %s', (dialect) => {
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
  const names = async (url: string, key = keys.admin) =>
    ((await call('GET', url, undefined, {}, key)).json() as { results: Value[] }).results.map((v) => v.name);

  it('adds a value at the end, archives it out of the offered values and restores it', async () => {
    const before = await names('/api/v2/lists/asset_type', keys.tech);
    expect(before.length).toBeGreaterThan(0);
    const added = await call('POST', '/api/v2/lists/asset_type', { name: 'Mainframe' });
    expect(added.statusCode).toBe(201);
    const value = added.json() as Value;
    expect(value).toMatchObject({ kind: 'asset_type', name: 'Mainframe', archived_at: null, url: `/api/v2/lists/asset_type/${value.id}` });
    expect(added.headers.location).toBe(value.url);
    expect(await names('/api/v2/lists/asset_type')).toEqual([...before, 'Mainframe']);

    const etag = (await call('GET', value.url)).headers.etag as string;
    const archived = await call('POST', `${value.url}/archive`, undefined, { 'if-match': etag });
    expect((archived.json() as Value).archived_at).not.toBeNull();
    expect((await call('POST', `${value.url}/restore`, undefined, { 'if-match': etag })).statusCode).toBe(412);
    expect(await names('/api/v2/lists/asset_type')).toEqual(before);
    expect(await names('/api/v2/lists/asset_type?archived=true')).toEqual(['Mainframe']);
    expect(((await call('POST', `${value.url}/restore`)).json() as Value).archived_at).toBeNull();
    expect(await names('/api/v2/lists/asset_type?archived=all')).toContain('Mainframe');
  });

  it('lets only administrators change a list; refuses a taken name, an unknown kind, and a value of another list', async () => {
    const refused = await call('POST', '/api/v2/lists/note_type', { name: 'Call' }, {}, keys.tech);
    expect(refused.statusCode).toBe(403);
    const status = ((await call('GET', '/api/v2/lists/asset_status', undefined, {}, keys.tech)).json() as { results: Value[] }).results[0]!;
    expect((await call('POST', `${status.url}/archive`, undefined, {}, keys.tech)).statusCode).toBe(403);
    const taken = await call('POST', '/api/v2/lists/asset_status', { name: status.name.toUpperCase() });
    expect(taken.statusCode).toBe(422);
    expect((taken.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('name');
    const unknown = await call('GET', '/api/v2/lists/colours');
    expect(unknown.statusCode).toBe(422);
    expect((unknown.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('kind');
    expect((await call('GET', `/api/v2/lists/note_type/${status.id}`)).statusCode).toBe(404);
    expect((await call('POST', `/api/v2/lists/note_type/${status.id}/archive`)).statusCode).toBe(404);
  });
});
