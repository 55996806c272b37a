// Replays the /api/v1/assets contract (../shared/spec/api-v1.md) against the real app on each database.
import type { FastifyInstance } from 'fastify';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { buildApp } from '../app.ts';
import { generateAssets } from '../demo/generate.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { loadConfig } from '../platform/config.ts';

const ROW_KEYS = [
  'asset_id', 'asset_type', 'asset_name', 'asset_description', 'asset_make', 'asset_model', 'asset_serial', 'asset_os',
  'asset_uri', 'asset_uri_2', 'asset_uri_client', 'asset_status', 'asset_purchase_reference', 'asset_purchase_date',
  'asset_warranty_expire', 'asset_install_date', 'asset_photo', 'asset_physical_location', 'asset_notes', 'asset_favorite',
  'asset_created_at', 'asset_updated_at', 'asset_archived_at', 'asset_accessed_at', 'asset_vendor_id', 'asset_location_id',
  'asset_contact_id', 'asset_client_id',
];

describe.each(DIALECTS)('/api/v1/assets on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let keys: Record<'admin' | 'tech' | 'accountant' | 'limited', string>;
  let clientA: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let clientB: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    clientA = await makeClientWithRecords(t.ctx, 'Client A');
    clientB = await makeClientWithRecords(t.ctx, 'Client B');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', tech: 'technician', accountant: 'accountant', limited: 'technician' }, { name: 'limited', clientId: clientA.client.id });
  });
  afterAll(async () => app.close());

  const get = (query: Record<string, unknown>) => app.inject({ method: 'GET', url: '/api/v1/assets/read.php', query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
  const post = (op: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/v1/assets/${op}.php`, payload: body });

  it('answers 401 with an empty body without a key, and 401 with a message for a bad key', async () => {
    const none = await get({});
    expect(none.statusCode).toBe(401);
    expect(none.body).toBe('');
    expect(none.headers['content-type']).toContain('application/json');
    const bad = await get({ api_key: 'not-a-real-key-at-all' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ success: 'False', message: 'Authentication failed. API key is invalid or has expired.' });
  });

  it('reads the key from a JSON body on GET, as ITFlow does', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/assets/read.php', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ api_key: keys.admin, limit: 1 }) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: expect.any(String) });
    const noKey = await app.inject({ method: 'GET', url: '/api/v1/assets/read.php', headers: { 'content-type': 'application/json' }, payload: '{"limit": 1}' });
    expect(noKey.statusCode).toBe(401);
  });

  it('answers 405 with a JSON message for the wrong method', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/assets/read.php', payload: { api_key: keys.admin } });
    expect(res.statusCode).toBe(405);
    expect(res.json()).toEqual({ success: 'False', message: 'Can only send GET requests to this endpoint.' });
    const put = await app.inject({ method: 'PUT', url: '/api/v1/assets/create.php', payload: { api_key: keys.admin } });
    expect(put.json()).toEqual({ success: 'False', message: 'Can only send POST requests to this endpoint.' });
  });

  it('creates, reads back in ITFlow\'s shape, updates only what is sent, and deletes, all in history', async () => {
    const create = await post('create', {
      api_key: keys.tech, client_id: String(clientA.client.id), asset_name: 'RMM-PC-01', asset_type: 'desktop', asset_make: 'Dell',
      asset_serial: 'SN-V1-1', asset_ip: '10.9.9.9', asset_mac: 'aabbccddee01', asset_network_id: clientA.network.id,
      asset_uri_2: 'https://second', install_date: '2024-05-01', asset_purchase_date: '0000-00-00',
    });
    expect(create.statusCode).toBe(200);
    const body = create.json() as { success: string; count: string; data: Array<{ insert_id: number }> };
    expect(body).toMatchObject({ success: 'True', count: '1' });
    const id = body.data[0]!.insert_id;
    expect(typeof id).toBe('number');

    const read = (await get({ api_key: keys.tech, asset_id: id })).json() as { success: string; count: number; data: Array<Record<string, string | null>> };
    expect(read).toMatchObject({ success: 'True', count: 1 });
    const row = read.data[0]!;
    expect(Object.keys(row)).toEqual(ROW_KEYS);
    expect(row).toMatchObject({
      asset_id: String(id), asset_type: 'Desktop', asset_name: 'RMM-PC-01', asset_make: 'Dell', asset_uri_2: 'https://second',
      asset_install_date: '2024-05-01', asset_purchase_date: null, asset_favorite: '0', asset_location_id: '0',
      asset_client_id: String(clientA.client.id),
    });
    expect(row.asset_created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const byMac = (await get({ api_key: keys.tech, asset_mac: 'AA:BB:CC:DD:EE:01' })).json() as { data: Array<Record<string, string | null>> };
    expect(byMac.data[0]).toMatchObject({ asset_id: String(id), interface_ip: '10.9.9.9', interface_mac: 'AA:BB:CC:DD:EE:01', interface_primary: '1', interface_network_id: String(clientA.network.id) });
    const bySerial = (await get({ api_key: keys.tech, asset_serial: 'sn-v1-1' })).json() as { data: unknown[] };
    expect(bySerial.data).toHaveLength(1);

    const update = await post('update', { api_key: keys.tech, asset_id: id, client_id: clientA.client.id, asset_os: 'Windows 11' });
    expect(update.json()).toEqual({ success: 'True', count: 1 });
    const again = await post('update', { api_key: keys.tech, asset_id: id, client_id: clientA.client.id, asset_os: 'Windows 11' });
    expect(again.json()).toEqual({ success: 'True', count: 1 });
    const afterUpdate = (await get({ api_key: keys.tech, asset_mac: 'AA:BB:CC:DD:EE:01' })).json() as { data: Array<Record<string, string | null>> };
    expect(afterUpdate.data[0]).toMatchObject({ asset_os: 'Windows 11', interface_ip: '10.9.9.9' });

    const del = await post('delete', { api_key: keys.admin, asset_id: id, client_id: clientA.client.id });
    expect(del.json()).toEqual({ success: 'True', count: 1 });
    const gone = (await get({ api_key: keys.tech, asset_id: id })).json();
    expect(gone).toEqual({ success: 'False', message: 'No resource (for this client and company) with the specified parameter(s).' });

    const events = (await listAssetEvents(t.ctx, id)).events;
    expect(events.map((e) => e.action)).toEqual(['deleted', 'updated', 'created']);
    expect(events.every((e) => e.source === 'api' && e.actor.type === 'api_key')).toBe(true);
    expect(events[1]!.changes).toEqual([{ field: 'os', old: null, new: 'Windows 11' }]);
  });

  it('names the field and the problem when a write is refused, and writes nothing', async () => {
    const res = await post('create', { api_key: keys.tech, client_id: clientA.client.id, asset_name: '', asset_ip: '999.1.1.1', asset_mac: 'nope', asset_warranty_expire: '2024-13-45', asset_location_id: clientB.location.id });
    const body = res.json() as { success: string; message: string };
    expect(res.statusCode).toBe(200);
    expect(body.success).toBe('False');
    for (const field of ['asset_name', 'asset_ip', 'asset_mac', 'asset_warranty_expire', 'asset_location_id']) expect(body.message).toContain(field);
    expect((await post('create', { api_key: keys.tech, asset_name: 'X' })).json()).toEqual({ success: 'False', message: 'client_id: is required' });
    expect((await post('update', { api_key: keys.tech, asset_id: 999_999, client_id: clientA.client.id, asset_os: 'x' })).json()).toMatchObject({ success: 'False', message: expect.stringContaining('does not exist') });
  });

  it('keeps keys to their user\'s permissions and clients', async () => {
    const inB = (await post('create', { api_key: keys.admin, client_id: clientB.client.id, asset_name: 'B-SERVER', asset_serial: 'B-ONLY' })).json() as { data: Array<{ insert_id: number }> };
    const bId = inB.data[0]!.insert_id;

    expect((await get({ api_key: keys.limited, asset_id: bId })).json()).toMatchObject({ success: 'False' });
    expect((await get({ api_key: keys.limited, asset_serial: 'B-ONLY' })).json()).toMatchObject({ success: 'False' });
    const all = (await get({ api_key: keys.limited, limit: 500 })).json() as { data?: Array<{ asset_client_id: string }> };
    expect((all.data ?? []).every((r) => r.asset_client_id === String(clientA.client.id))).toBe(true);
    expect((await post('create', { api_key: keys.limited, client_id: clientB.client.id, asset_name: 'Sneaky' })).json()).toEqual({ success: 'False', message: `client_id: client ${clientB.client.id} does not exist` });
    expect((await post('update', { api_key: keys.limited, asset_id: bId, client_id: clientB.client.id, asset_os: 'x' })).json()).toMatchObject({ success: 'False' });

    const acct = await post('create', { api_key: keys.accountant, client_id: clientA.client.id, asset_name: 'Nope' });
    expect(acct.statusCode).toBe(403);
    expect(acct.json()).toMatchObject({ success: 'False', message: expect.stringContaining('needs write access') });
    const techDelete = await post('delete', { api_key: keys.tech, asset_id: bId, client_id: clientB.client.id });
    expect(techDelete.statusCode).toBe(403);
    expect((await get({ api_key: keys.admin, asset_id: bId })).json()).toMatchObject({ success: 'True' });

    const mismatch = await post('delete', { api_key: keys.admin, asset_id: bId, client_id: clientA.client.id });
    expect(mismatch.json()).toMatchObject({ success: 'False' });
    expect((await get({ api_key: keys.admin, asset_id: bId })).json()).toMatchObject({ success: 'True' });
  });

  it('streams a large page in ITFlow\'s envelope, in id order, honouring limit and offset', async () => {
    await generateAssets(t.store, { assets: 2_600, clients: 2 });
    const ids = (await t.store.db.selectFrom('assets').select('id').orderBy('id').execute()).map((r) => String(r.id));
    const res = await get({ api_key: keys.admin, limit: 2_400, offset: 50 });
    expect(res.headers['content-type']).toContain('application/json');
    const body = res.json() as { success: string; count: number; data: Array<{ asset_id: string; interface_primary: string | null }> };
    expect(body.success).toBe('True');
    expect(body.count).toBe(2_400);
    expect(body.data.map((r) => r.asset_id)).toEqual(ids.slice(50, 2_450));
    expect(body.data.every((r) => r.interface_primary === '1')).toBe(true);
    const tail = (await get({ api_key: keys.admin, limit: 5_000, offset: ids.length - 3 })).json() as { count: number };
    expect(tail.count).toBe(3);
    expect((await get({ api_key: keys.admin, limit: -1 })).json()).toEqual({ success: 'False', message: 'limit: "-1" is not a whole number' });
  });

  it('accepts form-encoded bodies and narrows reads by client_id', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/assets/create.php', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `api_key=${keys.admin}&client_id=${clientB.client.id}&asset_name=FORM-1` });
    expect(res.json()).toMatchObject({ success: 'True', count: '1' });
    const onlyB = (await get({ api_key: keys.admin, client_id: clientB.client.id, limit: 500 })).json() as { data: Array<{ asset_client_id: string }> };
    expect(onlyB.data.length).toBeGreaterThan(0);
    expect(onlyB.data.every((r) => r.asset_client_id === String(clientB.client.id))).toBe(true);
  });
});
