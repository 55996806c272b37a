// /api/v2 over a real socket, on each database: bearer keys, problem details, transfers with a dry
// run, the asset history with its lineage (and what a user limited to one client sees of it), and the
// OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { createAsset, updateAsset } from '../assets/asset.service.ts';
import { loadConfig } from '../platform/config.ts';

describe.each(DIALECTS)('/api/v2 on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'accountant', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'From Co');
    b = await makeClientWithRecords(t.ctx, 'To Co');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', accountant: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, key: string | null, payload?: unknown) =>
    http({ method, url, payload, headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('answers problems as RFC 9457 documents: no key, a bad key, a bad body', async () => {
    const none = await call('GET', '/api/v2/assets/1/history', null);
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.json()).toMatchObject({ status: 401, title: 'Authentication required', instance: '/api/v2/assets/1/history' });
    expect((await call('GET', '/api/v2/assets/1/history', 'nope-nope-nope-nope')).statusCode).toBe(401);
    const bad = await call('POST', '/api/v2/assets/transfers', keys.admin, { asset_ids: [], to_client_id: 'x', colour: 'red' });
    expect(bad.statusCode).toBe(422);
    const fields = (bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect(fields.length).toBeGreaterThan(0);
    expect(bad.json()).toMatchObject({ status: 422, title: 'Invalid request' });
    const forbidden = await call('POST', '/api/v2/assets/transfers', keys.accountant, { asset_ids: [1], to_client_id: b.client.id });
    expect(forbidden.statusCode).toBe(403);
  });

  it('previews a transfer without changing anything, then transfers; v1 reads both records', async () => {
    const asset = await createAsset(t.ctx, {
      clientId: a.client.id,
      name: 'API-MOVE',
      serial: 'SER-API',
      locationId: a.location.id,
      primaryInterface: { ip: '10.5.5.5', networkId: a.network.id },
    });
    const preview = await call('POST', '/api/v2/assets/transfers', keys.admin, { asset_ids: [asset.id], to_client_id: b.client.id, dry_run: true });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      dry_run: true,
      to_client: { id: b.client.id, name: 'To Co' },
      assets: [
        {
          asset_id: asset.id,
          mappings: expect.arrayContaining([expect.objectContaining({ kind: 'location', to: { id: b.location.id, name: 'Head Office' }, automatic: true })]),
        },
      ],
    });
    expect((await t.store.db.selectFrom('assets').select('archived_at').where('id', '=', asset.id).executeTakeFirstOrThrow()).archived_at).toBeNull();

    const done = await call('POST', '/api/v2/assets/transfers', keys.admin, {
      asset_ids: [asset.id],
      to_client_id: b.client.id,
      reason: 'Moved to the new office',
      mappings: { location: { [a.location.id]: null } },
    });
    expect(done.statusCode).toBe(201);
    const { transfers, correlation_id } = done.json() as { correlation_id: string; transfers: Array<{ from_asset_id: number; to_asset_id: number }> };
    expect(correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    const newId = transfers[0]!.to_asset_id;

    const { admin } = await makeKeyedUsers(t.ctx, { admin: 'admin' });
    const v1 = async (id: number) =>
      (await http({ url: '/api/v1/assets/read.php', query: { api_key: admin, asset_id: String(id) } })).json() as {
        data: Array<Record<string, string | null>>;
      };
    expect((await v1(asset.id)).data[0]).toMatchObject({ asset_client_id: String(a.client.id), asset_archived_at: expect.any(String) });
    expect((await v1(newId)).data[0]).toMatchObject({
      asset_client_id: String(b.client.id),
      asset_archived_at: null,
      asset_serial: 'SER-API',
      asset_location_id: '0',
    });

    const again = await call('POST', '/api/v2/assets/transfers', keys.admin, { asset_ids: [asset.id], to_client_id: b.client.id });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ title: 'Conflict', detail: expect.stringContaining('already transferred') });
  });

  it('reads history newest first with cursor paging; with lineage, earlier records too, but not of a client the key may not see', async () => {
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'STORY' });
    await updateAsset(t.ctx, asset.id, { os: 'Linux' });
    const moved = (await call('POST', '/api/v2/assets/transfers', keys.admin, { asset_ids: [asset.id], to_client_id: b.client.id })).json() as {
      transfers: Array<{ to_asset_id: number }>;
    };
    const copyId = moved.transfers[0]!.to_asset_id;
    await updateAsset(t.ctx, copyId, { os: 'Linux 2' });

    const history = async (key: string, query: string) =>
      (await call('GET', `/api/v2/assets/${copyId}/history?${query}`, key)).json() as {
        events: Array<{ action: string; asset_id: number; details: Record<string, unknown> | null }>;
        next_cursor: number | null;
      };
    const own = await history(keys.admin, '');
    expect(own.events.map((e) => e.action)).toEqual(['updated', 'transferred_in']);
    const story = await history(keys.admin, 'include_lineage=true');
    expect(story.events.map((e) => e.action)).toEqual(['updated', 'transferred_in', 'transferred_out', 'updated', 'created']);
    expect(story.events[1]!.details).toMatchObject({ from_client_name: 'From Co', from_asset_id: asset.id });

    const first = await history(keys.admin, 'include_lineage=true&limit=2');
    expect(first.events).toHaveLength(2);
    const second = await history(keys.admin, `include_lineage=true&limit=2&cursor=${first.next_cursor}`);
    expect(second.events.map((e) => e.action)).toEqual(['transferred_out', 'updated']);

    const limited = await history(keys.onlyB, 'include_lineage=true');
    expect(limited.events.map((e) => e.action)).toEqual(['updated', 'transferred_in']);
    expect(limited.events[1]!.details).toMatchObject({ came_from_another_client: true });
    expect(JSON.stringify(limited.events)).not.toContain('From Co');
    expect((await call('GET', `/api/v2/assets/${asset.id}/history`, keys.onlyB)).statusCode).toBe(404);
  });

  it('describes itself in an OpenAPI 3.1 document, no key needed', async () => {
    const doc = await call('GET', '/api/v2/openapi.json', null);
    expect(doc.statusCode).toBe(200);
    const body = doc.json() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/assets/transfers', '/assets/{id}/history']));
    expect(Object.keys(body.components.schemas)).toContain('Problem');
  });
});
