// Replays the /api/v1/assets contract (../shared/spec/api-v1.md) against the real app on each database.
import type { FastifyInstance } from 'fastify';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { buildApp } from '../app.ts';
import { createApiKey } from '../accounts/api-key.service.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset, updateAsset } from '../assets/asset.service.ts';
import { generateAssets } from '../demo/generate.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { loadConfig } from '../platform/config.ts';
import { listen, type Requester } from '../../test/support/http.ts';

const INTERFACE_KEYS = [
  'interface_id',
  'interface_name',
  'interface_description',
  'interface_type',
  'interface_mac',
  'interface_ip',
  'interface_nat_ip',
  'interface_ipv6',
  'interface_notes',
  'interface_primary',
  'interface_created_at',
  'interface_updated_at',
  'interface_archived_at',
  'interface_network_id',
  'interface_asset_id',
];

const ROW_KEYS = [
  'asset_id',
  'asset_type',
  'asset_name',
  'asset_description',
  'asset_make',
  'asset_model',
  'asset_serial',
  'asset_os',
  'asset_uri',
  'asset_uri_2',
  'asset_uri_client',
  'asset_status',
  'asset_purchase_reference',
  'asset_purchase_date',
  'asset_warranty_expire',
  'asset_install_date',
  'asset_photo',
  'asset_physical_location',
  'asset_notes',
  'asset_favorite',
  'asset_created_at',
  'asset_updated_at',
  'asset_archived_at',
  'asset_accessed_at',
  'asset_vendor_id',
  'asset_location_id',
  'asset_contact_id',
  'asset_client_id',
];

describe.each(DIALECTS)('/api/v1/assets on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'tech' | 'accountant' | 'limited', string>;
  let clientA: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let clientB: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    clientA = await makeClientWithRecords(t.ctx, 'Client A');
    clientB = await makeClientWithRecords(t.ctx, 'Client B');
    keys = await makeKeyedUsers(
      t.ctx,
      { admin: 'admin', tech: 'technician', accountant: 'accountant', limited: 'technician' },
      { name: 'limited', clientId: clientA.client.id },
    );
  });
  afterAll(async () => app.close());

  const get = (query: Record<string, unknown>) =>
    http({ method: 'GET', url: '/api/v1/assets/read.php', query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
  const post = (op: string, body: Record<string, unknown>) => http({ method: 'POST', url: `/api/v1/assets/${op}.php`, payload: body });

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
    const res = await http({
      method: 'GET',
      url: '/api/v1/assets/read.php',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ api_key: keys.admin, limit: 1 }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: expect.any(String) });
    const noKey = await http({ method: 'GET', url: '/api/v1/assets/read.php', headers: { 'content-type': 'application/json' }, payload: '{"limit": 1}' });
    expect(noKey.statusCode).toBe(401);
  });

  it('answers 405 with a JSON message for the wrong method', async () => {
    const res = await http({ method: 'POST', url: '/api/v1/assets/read.php', payload: { api_key: keys.admin } });
    expect(res.statusCode).toBe(405);
    expect(res.json()).toEqual({ success: 'False', message: 'Can only send GET requests to this endpoint.' });
    const put = await http({ method: 'PUT', url: '/api/v1/assets/create.php', payload: { api_key: keys.admin } });
    expect(put.json()).toEqual({ success: 'False', message: 'Can only send POST requests to this endpoint.' });
  });

  it("creates, reads back in ITFlow's shape, updates only what is sent, and deletes, all in history", async () => {
    const create = await post('create', {
      api_key: keys.tech,
      client_id: String(clientA.client.id),
      asset_name: 'RMM-PC-01',
      asset_type: 'desktop',
      asset_make: 'Dell',
      asset_serial: 'SN-V1-1',
      asset_ip: '10.9.9.9',
      asset_mac: 'aabbccddee01',
      asset_network_id: clientA.network.id,
      asset_uri_2: 'https://second',
      install_date: '2024-05-01',
      asset_purchase_date: '0000-00-00',
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
      asset_id: String(id),
      asset_type: 'Desktop',
      asset_name: 'RMM-PC-01',
      asset_make: 'Dell',
      asset_uri_2: 'https://second',
      asset_install_date: '2024-05-01',
      asset_purchase_date: null,
      asset_favorite: '0',
      asset_location_id: '0',
      asset_client_id: String(clientA.client.id),
    });
    expect(row.asset_created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const byMac = (await get({ api_key: keys.tech, asset_mac: 'AA:BB:CC:DD:EE:01' })).json() as { data: Array<Record<string, string | null>> };
    expect(byMac.data[0]).toMatchObject({
      asset_id: String(id),
      interface_ip: '10.9.9.9',
      interface_mac: 'AA:BB:CC:DD:EE:01',
      interface_primary: '1',
      interface_network_id: String(clientA.network.id),
    });
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
    const res = await post('create', {
      api_key: keys.tech,
      client_id: clientA.client.id,
      asset_name: '',
      asset_ip: '999.1.1.1',
      asset_mac: 'nope',
      asset_warranty_expire: '2024-13-45',
      asset_location_id: clientB.location.id,
    });
    const body = res.json() as { success: string; message: string };
    expect(res.statusCode).toBe(200);
    expect(body.success).toBe('False');
    for (const field of ['asset_name', 'asset_ip', 'asset_mac', 'asset_warranty_expire', 'asset_location_id']) expect(body.message).toContain(field);
    expect((await post('create', { api_key: keys.tech, asset_name: 'X' })).json()).toEqual({ success: 'False', message: 'client_id: is required' });
    expect((await post('update', { api_key: keys.tech, asset_id: 999_999, client_id: clientA.client.id, asset_os: 'x' })).json()).toMatchObject({
      success: 'False',
      message: expect.stringContaining('does not exist'),
    });
  });

  it("keeps keys to their user's permissions and clients", async () => {
    const inB = (await post('create', { api_key: keys.admin, client_id: clientB.client.id, asset_name: 'B-SERVER', asset_serial: 'B-ONLY' })).json() as {
      data: Array<{ insert_id: number }>;
    };
    const bId = inB.data[0]!.insert_id;

    expect((await get({ api_key: keys.limited, asset_id: bId })).json()).toMatchObject({ success: 'False' });
    expect((await get({ api_key: keys.limited, asset_serial: 'B-ONLY' })).json()).toMatchObject({ success: 'False' });
    const all = (await get({ api_key: keys.limited, limit: 500 })).json() as { data?: Array<{ asset_client_id: string }> };
    expect((all.data ?? []).every((r) => r.asset_client_id === String(clientA.client.id))).toBe(true);
    expect((await post('create', { api_key: keys.limited, client_id: clientB.client.id, asset_name: 'Sneaky' })).json()).toEqual({
      success: 'False',
      message: `client_id: client ${clientB.client.id} does not exist`,
    });
    expect((await post('update', { api_key: keys.limited, asset_id: bId, client_id: clientB.client.id, asset_os: 'x' })).json()).toMatchObject({
      success: 'False',
    });

    await post('create', { api_key: keys.admin, client_id: clientA.client.id, asset_name: 'A-DESK' });
    const denied = await makeKeyedUsers(t.ctx, { denied: 'technician' });
    const deniedUser = await t.store.db.selectFrom('users').select('id').where('name', '=', 'denied').executeTakeFirstOrThrow();
    await t.store.db.insertInto('user_client_access').values({ user_id: deniedUser.id, client_id: clientB.client.id, mode: 'deny' }).execute();
    const notB = (await get({ api_key: denied.denied, limit: 500 })).json() as { data: Array<{ asset_client_id: string }> };
    expect(notB.data.length).toBeGreaterThan(0);
    expect(notB.data.some((r) => r.asset_client_id === String(clientB.client.id))).toBe(false);
    expect((await get({ api_key: denied.denied, asset_name: 'b-server' })).json()).toMatchObject({ success: 'False' });
    expect((await get({ api_key: keys.admin, asset_name: 'b-server' })).json()).toMatchObject({ success: 'True', count: 1 });
    expect((await get({ api_key: keys.admin, asset_serial: 'b-only', client_id: clientB.client.id })).json()).toMatchObject({ success: 'True', count: 1 });

    const acct = await post('create', { api_key: keys.accountant, client_id: clientA.client.id, asset_name: 'Nope' });
    expect(acct.statusCode).toBe(403);
    expect(acct.json()).toMatchObject({ success: 'False', message: expect.stringContaining('needs write access') });
    const techDelete = await post('delete', { api_key: keys.tech, asset_id: bId, client_id: clientB.client.id });
    expect(techDelete.statusCode).toBe(403);
    expect((await get({ api_key: keys.admin, asset_id: bId })).json()).toMatchObject({ success: 'True' });

    const interfaces = () => t.store.db.selectFrom('asset_interfaces').select('id').where('asset_id', '=', bId).execute();
    const before = await interfaces();
    expect(before.length).toBeGreaterThan(0);
    const mismatch = await post('delete', { api_key: keys.admin, asset_id: bId, client_id: clientA.client.id });
    expect(mismatch.json()).toMatchObject({ success: 'False' });
    expect(await interfaces()).toEqual(before);
    expect((await get({ api_key: keys.admin, asset_id: bId })).json()).toMatchObject({ success: 'True' });
  });

  it("streams a large page in ITFlow's envelope, in id order, honouring limit and offset", async () => {
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
    const res = await http({
      method: 'POST',
      url: '/api/v1/assets/create.php',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `api_key=${keys.admin}&client_id=${clientB.client.id}&asset_name=FORM-1`,
    });
    expect(res.json()).toMatchObject({ success: 'True', count: '1' });
    const onlyB = (await get({ api_key: keys.admin, client_id: clientB.client.id, limit: 500 })).json() as { data: Array<{ asset_client_id: string }> };
    expect(onlyB.data.length).toBeGreaterThan(0);
    expect(onlyB.data.every((r) => r.asset_client_id === String(clientB.client.id))).toBe(true);
  });
  it('types every field as ITFlow does, identically on each database', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Exact Typing Co');
    const at = (iso: string) => ({ ...t.ctx, now: () => new Date(iso) });
    const asset = await createAsset(at('2025-03-04T05:06:07.890Z'), {
      clientId: c.client.id,
      name: 'FS-01',
      description: 'File server "main"',
      type: 'server',
      make: 'HPE',
      model: 'DL380',
      serial: 'CZ123',
      os: 'Windows Server 2022',
      status: 'Deployed',
      uri: 'https://fs01',
      uri2: 'rdp://fs01',
      uriClient: 'smb://fs01',
      purchaseReference: 'PO-77',
      purchaseDate: '2024-01-31',
      installDate: '2024-02-01',
      warrantyExpire: '2027-01-31',
      physicalLocation: 'Rack 2, U14',
      notes: 'line one\nline two',
      favorite: true,
      locationId: c.location.id,
      contactId: c.contact.id,
      vendorId: c.vendor.id,
      primaryInterface: {
        name: 'eth0',
        type: 'Ethernet',
        mac: '00-11-22-AA-BB-CC',
        ip: '10.0.0.20',
        natIp: '203.0.113.9',
        ipv6: '2001:db8::20',
        networkId: c.network.id,
        notes: 'uplink',
      },
    });
    await updateAsset(at('2025-06-07T08:09:10.000Z'), asset.id, { os: 'Windows Server 2025' });
    const iface = asset.primaryInterface!.id;
    const expectedAsset = {
      asset_id: String(asset.id),
      asset_type: 'Server',
      asset_name: 'FS-01',
      asset_description: 'File server "main"',
      asset_make: 'HPE',
      asset_model: 'DL380',
      asset_serial: 'CZ123',
      asset_os: 'Windows Server 2025',
      asset_uri: 'https://fs01',
      asset_uri_2: 'rdp://fs01',
      asset_uri_client: 'smb://fs01',
      asset_status: 'Deployed',
      asset_purchase_reference: 'PO-77',
      asset_purchase_date: '2024-01-31',
      asset_warranty_expire: '2027-01-31',
      asset_install_date: '2024-02-01',
      asset_photo: null,
      asset_physical_location: 'Rack 2, U14',
      asset_notes: 'line one\nline two',
      asset_favorite: '1',
      asset_created_at: '2025-03-04 05:06:07',
      asset_updated_at: '2025-06-07 08:09:10',
      asset_archived_at: null,
      asset_accessed_at: null,
      asset_vendor_id: String(c.vendor.id),
      asset_location_id: String(c.location.id),
      asset_contact_id: String(c.contact.id),
      asset_client_id: String(c.client.id),
    };
    const byId = (await get({ api_key: keys.tech, asset_id: asset.id })).json() as { data: Array<Record<string, string | null>> };
    expect(byId).toEqual({ success: 'True', count: 1, data: [expectedAsset] });
    expect(Object.keys(byId.data[0]!)).toEqual(ROW_KEYS);

    const listed = (await get({ api_key: keys.tech, client_id: c.client.id })).json() as { data: Array<Record<string, string | null>> };
    expect(listed.data).toEqual([
      {
        ...expectedAsset,
        interface_id: String(iface),
        interface_name: 'eth0',
        interface_description: null,
        interface_type: 'Ethernet',
        interface_mac: '00:11:22:AA:BB:CC',
        interface_ip: '10.0.0.20',
        interface_nat_ip: '203.0.113.9',
        interface_ipv6: '2001:db8::20',
        interface_notes: 'uplink',
        interface_primary: '1',
        interface_created_at: '2025-03-04 05:06:07',
        interface_updated_at: null,
        interface_archived_at: null,
        interface_network_id: String(c.network.id),
        interface_asset_id: String(asset.id),
      },
    ]);
    expect(Object.keys(listed.data[0]!).slice(ROW_KEYS.length)).toEqual(INTERFACE_KEYS);
  });

  it('refuses an expired key, keeps a key working through its expiry day, and records last use', async () => {
    const user = await createUser(t.ctx, { email: 'keys-expiry@example.test', name: 'Expiry', password: 'fern-quilt-38', role: 'technician' });
    const today = new Date().toISOString().slice(0, 10);
    const lastDay = await createApiKey(t.ctx, { userEmail: 'keys-expiry@example.test', name: 'ends today', expiresOn: today });
    const expired = await createApiKey(t.ctx, { userEmail: 'keys-expiry@example.test', name: 'ended yesterday', expiresOn: today });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await t.store.db.updateTable('api_keys').set({ expires_on: yesterday }).where('id', '=', expired.id).execute();

    const ok = await http({ url: '/api/v1/assets/read.php', query: { api_key: lastDay.secret, limit: '1' }, headers: { 'user-agent': 'rmm-sync/2.1' } });
    expect(ok.json()).toMatchObject({ success: 'True' });
    const used = await t.store.db.selectFrom('api_keys').select(['last_used_at', 'last_used_ip']).where('id', '=', lastDay.id).executeTakeFirstOrThrow();
    expect(used.last_used_ip).toBe('127.0.0.1');
    expect(used.last_used_at).not.toBeNull();

    const refused = await http({ url: '/api/v1/assets/read.php', query: { api_key: expired.secret }, headers: { 'user-agent': 'rmm-sync/2.1' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ success: 'False', message: 'Authentication failed. API key is invalid or has expired.' });
    const audit = await t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'api_key.auth_failed')
      .where('entity_id', '=', expired.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'failure', ip: '127.0.0.1', user_agent: 'rmm-sync/2.1' });
    expect(JSON.stringify(audit[0]!.details)).toContain('/api/v1/assets/read.php');

    const unused = await createApiKey(t.ctx, { userEmail: 'keys-expiry@example.test', name: 'spare' });
    await t.store.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expect((await get({ api_key: unused.secret })).statusCode).toBe(401);
  });
});

describe.each(DIALECTS)('/api/v1 slowing down key guessing on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let key: string;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    ({ admin: key } = await makeKeyedUsers(t.ctx, { admin: 'admin' }));
  });
  afterAll(async () => app.close());

  it('answers 429 with Retry-After once an address has failed 20 times in a minute, yet still serves a valid key', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await http({ url: '/api/v1/assets/read.php', query: { api_key: `guess-${i}-aaaaaaaaaaaaaaaa` } });
      expect(res.statusCode).toBe(401);
    }
    const slowed = await http({ url: '/api/v1/assets/read.php', query: { api_key: 'guess-21-aaaaaaaaaaaaaaaa' } });
    expect(slowed.statusCode).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    expect(slowed.json()).toMatchObject({ success: 'False', message: expect.stringContaining('Too many failed attempts') });
    // A script with a mistyped key must not lock out every valid key from the same address.
    expect((await http({ url: '/api/v1/assets/read.php', query: { api_key: key } })).statusCode).toBe(200);
    const failures = await t.store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('action', '=', 'api_key.auth_failed')
      .executeTakeFirstOrThrow();
    expect(Number(failures.n)).toBe(20);
  });
});
