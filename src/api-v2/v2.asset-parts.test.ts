// The parts of an asset over /api/v2, on each database over a real socket: interfaces (a MAC in any
// notation, field errors, the primary, cables read from both ends), notes, tags, and linked logins,
// services and tickets; another client's parts are "not found" for a limited key, and every write
// shows in the asset's history as made over the API.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { createApiKey } from '../accounts/api-key.service.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createLogin } from '../logins/login.service.ts';
import { loadConfig } from '../platform/config.ts';
import { SecretBox } from '../platform/secrets.ts';
import { createService } from '../services/service.service.ts';
import { createTag } from '../tags/tag.service.ts';
import { createTicket } from '../tickets/ticket.service.ts';

type Iface = { id: number; url: string; name: string; mac: string | null; ip: string | null; primary: boolean; peer_interface_id: number | null };
type Note = { id: number; type: string; body: string; archived_at: string | null };
type Results<T> = { results: T[]; next: null };
type Problem = { status: number; errors?: Array<{ field: string }> };

describe.each(DIALECTS)('/api/v2 asset parts on %s', (dialect) => {
  const t = useTestDb(dialect);
  const box = new SecretBox(Buffer.alloc(32, 9));
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader' | 'assetsOnly', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let pc: number;
  let sw: number;
  let other: number;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store, secretBox: box });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Parts');
    b = await makeClientWithRecords(t.ctx, 'Beta Parts');
    const base = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
    // A technician's key limited to the assets module: it may not touch logins.
    await createUser(t.ctx, { email: 'parts-scoped@keys.test', name: 'Scoped tech', password: 'plum-orchard-lantern-47', role: 'technician' });
    const scoped = await createApiKey(t.ctx, { userEmail: 'parts-scoped@keys.test', name: 'assets only', modules: ['support'] });
    keys = { ...base, assetsOnly: scoped.secret };
    pc = (await createAsset(t.ctx, { clientId: a.client.id, name: 'PC-042' })).id;
    sw = (await createAsset(t.ctx, { clientId: a.client.id, name: 'SW-01' })).id;
    other = (await createAsset(t.ctx, { clientId: b.client.id, name: 'PC-B' })).id;
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });
  const fieldsOf = (res: { json(): unknown }) => ((res.json() as Problem).errors ?? []).map((e) => e.field);

  it('adds an interface with a dashed MAC, answers it normalised, patches it under If-Match and moves the primary', async () => {
    const created = await call('POST', `/api/v2/assets/${pc}/interfaces`, {
      name: 'eth1',
      mac: '00-15-5d-0a-0b-0c',
      ip: '10.0.0.7',
      network_id: a.network.id,
      description: 'Rear port',
    });
    expect(created.statusCode).toBe(201);
    const iface = created.json() as Iface;
    expect(iface).toMatchObject({ name: 'eth1', mac: '00:15:5D:0A:0B:0C', ip: '10.0.0.7', primary: false, url: `/api/v2/interfaces/${iface.id}` });
    expect(created.headers.location).toBe(iface.url);

    const read = await call('GET', iface.url);
    expect(read.json()).toEqual(iface);
    const etag = read.headers.etag as string;
    expect((await call('GET', iface.url, undefined, { 'if-none-match': etag })).statusCode).toBe(304);
    const patched = await call('PATCH', iface.url, { ip: 'DHCP', mac: '0015.5d0a.0b0d' }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ ip: 'DHCP', mac: '00:15:5D:0A:0B:0D' });
    const stale = await call('PATCH', iface.url, { description: null }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(((await call('GET', iface.url)).json() as Iface & { description: string }).description).toBe('Rear port');

    const bad = await call('POST', `/api/v2/assets/${pc}/interfaces`, { name: '', mac: 'zz-zz', nat_ip: 'nope', network_id: b.network.id });
    expect(bad.statusCode).toBe(422);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['name', 'mac', 'nat_ip', 'network_id']));
    const unknown = await call('POST', `/api/v2/assets/${pc}/interfaces`, { name: 'eth2', port_speed: 10 });
    expect(unknown.statusCode).toBe(422);
    expect(fieldsOf(unknown)).toContain('port_speed');

    const primary = await call('POST', `${iface.url}/primary`);
    expect((primary.json() as Iface).primary).toBe(true);
    const list = (await call('GET', `/api/v2/assets/${pc}/interfaces`)).json() as Results<Iface>;
    expect(list.results.map((i) => [i.name, i.primary])).toEqual([
      ['eth1', true],
      ['01', false],
    ]);
    const refused = await call('DELETE', iface.url);
    expect(refused.statusCode).toBe(422);
    expect(fieldsOf(refused)).toEqual(['interface_id']);
  });

  it('cables two interfaces, reads the cable from both ends, refuses a busy port, and disconnects', async () => {
    const port = async (asset: number, name: string) => (await call('POST', `/api/v2/assets/${asset}/interfaces`, { name })).json() as Iface;
    const nic = await port(pc, 'cable-nic');
    const p1 = await port(sw, 'Gi0/1');
    const p2 = await port(sw, 'Gi0/2');
    const theirs = await port(other, 'b-nic');

    const put = await call('PUT', `/api/v2/interfaces/${nic.id}/connection`, { peer_interface_id: p1.id });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ interface_id: nic.id, peer_interface_id: p1.id, peer_asset: { id: sw, display: 'SW-01' } });
    const back = (await call('GET', `/api/v2/interfaces/${p1.id}/connection`)).json() as { peer_interface: Iface; peer_asset_id: number };
    expect(back.peer_interface.id).toBe(nic.id);
    expect(back.peer_asset_id).toBe(pc);
    expect(((await call('GET', `/api/v2/interfaces/${nic.id}`)).json() as Iface).peer_interface_id).toBe(p1.id);
    expect((await call('PUT', `/api/v2/interfaces/${nic.id}/connection`, { peer_interface_id: p1.id })).statusCode).toBe(200);
    expect((await call('PUT', `/api/v2/interfaces/${p2.id}/connection`, { peer_interface_id: nic.id })).statusCode).toBe(409);
    const foreign = await call('PUT', `/api/v2/interfaces/${p2.id}/connection`, { peer_interface_id: theirs.id });
    expect(foreign.statusCode).toBe(422);
    expect(fieldsOf(foreign)).toEqual(['peer_interface_id']);

    expect((await call('DELETE', `/api/v2/interfaces/${p1.id}/connection`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/interfaces/${nic.id}/connection`)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v2/interfaces/${nic.id}/connection`)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v2/interfaces/${p2.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/interfaces/${p2.id}`)).statusCode).toBe(404);
  });

  it('adds, edits, archives, restores and deletes a note', async () => {
    const created = await call('POST', `/api/v2/assets/${pc}/notes`, { type: 'repair', body: 'Fan replaced' });
    expect(created.statusCode).toBe(201);
    const note = created.json() as Note & { url: string };
    expect(note).toMatchObject({ type: 'Repair', body: 'Fan replaced', archived_at: null });
    const etag = created.headers.etag as string;
    const edited = await call('PATCH', note.url, { body: 'Fan and PSU replaced' }, { 'if-match': etag });
    expect((edited.json() as Note).body).toBe('Fan and PSU replaced');
    expect((await call('PATCH', note.url, { body: 'x' }, { 'if-match': etag })).statusCode).toBe(412);
    const bad = await call('PATCH', note.url, { body: '', type: 'Nonsense type' });
    expect(bad.statusCode).toBe(422);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['body', 'type']));

    expect(((await call('POST', `${note.url}/archive`)).json() as Note).archived_at).not.toBeNull();
    const active = (await call('GET', `/api/v2/assets/${pc}/notes`)).json() as Results<Note>;
    expect(active.results.map((n) => n.id)).not.toContain(note.id);
    const archived = (await call('GET', `/api/v2/assets/${pc}/notes?archived=true`)).json() as Results<Note>;
    expect(archived.results.map((n) => n.id)).toEqual([note.id]);
    expect((await call('GET', `/api/v2/assets/${pc}/notes?archived=maybe`)).statusCode).toBe(422);
    expect(((await call('POST', `${note.url}/restore`)).json() as Note).archived_at).toBeNull();
    expect(((await call('GET', `/api/v2/assets/${pc}/notes?archived=all`)).json() as Results<Note>).results.map((n) => n.id)).toContain(note.id);
    expect((await call('DELETE', note.url)).statusCode).toBe(204);
    expect((await call('GET', note.url)).statusCode).toBe(404);
  });

  it('replaces the tag set, adds one, refuses an unknown one on its field, and removes one', async () => {
    const red = await createTag(t.ctx, { name: 'Parts red' });
    const blue = await createTag(t.ctx, { name: 'Parts blue' });
    await createTag(t.ctx, { name: 'Parts green' });
    const names = (res: { json(): unknown }) => (res.json() as Results<{ name: string }>).results.map((x) => x.name);

    const replaced = await call('PUT', `/api/v2/assets/${pc}/tags`, { tags: ['parts RED', blue.id] });
    expect(replaced.statusCode).toBe(200);
    expect(names(replaced)).toEqual(['Parts blue', 'Parts red']);
    expect(names(await call('POST', `/api/v2/assets/${pc}/tags`, { tag: 'Parts green' }))).toEqual(['Parts blue', 'Parts green', 'Parts red']);
    const unknown = await call('POST', `/api/v2/assets/${pc}/tags`, { tag: 'Parts purple' });
    expect(unknown.statusCode).toBe(422);
    expect(fieldsOf(unknown)).toEqual(['tag']);
    const unknownInSet = await call('PUT', `/api/v2/assets/${pc}/tags`, { tags: ['Parts purple'] });
    expect(fieldsOf(unknownInSet)).toEqual(['tags']);

    expect((await call('DELETE', `/api/v2/assets/${pc}/tags/${red.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v2/assets/${pc}/tags/${red.id}`)).statusCode).toBe(404);
    expect(names(await call('GET', `/api/v2/assets/${pc}/tags`))).toEqual(['Parts blue', 'Parts green']);
  });

  it('links and unlinks a login (never its secrets), a service and a ticket', async () => {
    const login = await createLogin(t.ctx, box, {
      clientId: a.client.id,
      name: 'iDRAC',
      uri: 'https://idrac.alpha.test',
      username: 'root',
      password: 'sea-otter-1',
    });
    const theirLogin = await createLogin(t.ctx, box, { clientId: b.client.id, name: 'Theirs' });
    const service = await createService(t.ctx, { clientId: a.client.id, name: 'Backups' });
    const ticket = await createTicket(t.ctx, { clientId: a.client.id, subject: 'Fan noise' });

    const linked = await call('POST', `/api/v2/assets/${pc}/logins`, { login_id: login.id });
    expect(linked.statusCode).toBe(201);
    expect(linked.json()).toEqual({ id: login.id, url: `/api/v2/logins/${login.id}`, display: 'iDRAC', name: 'iDRAC', uri: 'https://idrac.alpha.test' });
    expect((await call('POST', `/api/v2/assets/${pc}/logins`, { login_id: login.id })).statusCode).toBe(200);
    const logins = await call('GET', `/api/v2/assets/${pc}/logins`);
    expect((logins.json() as Results<{ id: number }>).results).toEqual([linked.json()]);
    expect(logins.body).not.toContain('root');
    expect(logins.body).not.toContain('sea-otter');
    const foreign = await call('POST', `/api/v2/assets/${pc}/logins`, { login_id: theirLogin.id });
    expect(foreign.statusCode).toBe(422);
    expect(fieldsOf(foreign)).toEqual(['login_id']);
    expect((await call('GET', `/api/v2/assets/${pc}/logins`, undefined, {}, keys.reader)).statusCode).toBe(403);
    expect((await call('POST', `/api/v2/assets/${pc}/logins`, { login_id: login.id }, {}, keys.assetsOnly)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v2/assets/${pc}/logins/${login.id}`, undefined, {}, keys.assetsOnly)).statusCode).toBe(403);

    expect((await call('POST', `/api/v2/assets/${pc}/services`, { service_id: service.id }, {}, keys.assetsOnly)).statusCode).toBe(201);
    expect((await call('POST', `/api/v2/assets/${pc}/tickets`, { ticket_id: ticket.id })).json()).toMatchObject({
      id: ticket.id,
      display: `#${ticket.number} Fan noise`,
      subject: 'Fan noise',
    });
    expect(((await call('GET', `/api/v2/assets/${pc}/services`)).json() as Results<{ name: string }>).results.map((s) => s.name)).toEqual(['Backups']);
    expect(((await call('GET', `/api/v2/assets/${pc}/tickets`)).json() as Results<{ id: number }>).results.map((s) => s.id)).toEqual([ticket.id]);

    for (const [kind, id] of [
      ['logins', login.id],
      ['services', service.id],
      ['tickets', ticket.id],
    ] as const) {
      expect((await call('DELETE', `/api/v2/assets/${pc}/${kind}/${id}`)).statusCode).toBe(204);
      expect((await call('DELETE', `/api/v2/assets/${pc}/${kind}/${id}`)).statusCode).toBe(404);
      expect(((await call('GET', `/api/v2/assets/${pc}/${kind}`)).json() as Results<unknown>).results).toEqual([]);
    }
  });

  it("hides another client's asset parts from a limited key and refuses writes to a read-only role", async () => {
    const iface = ((await call('GET', `/api/v2/assets/${pc}/interfaces`)).json() as Results<Iface>).results[0]!;
    const note = (await call('POST', `/api/v2/assets/${pc}/notes`, { body: 'Hidden' })).json() as Note & { url: string };
    for (const url of [
      `/api/v2/assets/${pc}/interfaces`,
      `/api/v2/assets/${pc}/notes`,
      `/api/v2/assets/${pc}/tags`,
      `/api/v2/assets/${pc}/logins`,
      `/api/v2/assets/${pc}/services`,
      `/api/v2/assets/${pc}/tickets`,
      iface.url,
      `${iface.url}/connection`,
      note.url,
    ]) {
      expect((await call('GET', url, undefined, {}, keys.onlyB)).statusCode, url).toBe(404);
    }
    expect((await call('PATCH', iface.url, { name: 'x' }, {}, keys.onlyB)).statusCode).toBe(404);
    expect((await call('POST', `/api/v2/assets/${pc}/notes`, { body: 'x' }, {}, keys.onlyB)).statusCode).toBe(404);
    expect((await call('DELETE', note.url, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    expect((await call('GET', `/api/v2/assets/${other}/interfaces`, undefined, {}, keys.onlyB)).statusCode).toBe(200);

    expect((await call('GET', note.url, undefined, {}, keys.reader)).statusCode).toBe(200);
    expect((await call('POST', `/api/v2/assets/${pc}/notes`, { body: 'x' }, {}, keys.reader)).statusCode).toBe(403);
    expect((await call('PATCH', iface.url, { name: 'x' }, {}, keys.reader)).statusCode).toBe(403);
  });

  it('documents its operations in the OpenAPI document', async () => {
    const doc = (await http({ method: 'GET', url: '/api/v2/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    expect(doc.paths['/assets/{id}/interfaces']?.post?.operationId).toBe('createAssetInterface');
    expect(doc.paths['/interfaces/{id}/connection']?.put?.tags).toEqual(['Interfaces']);
    expect(doc.paths['/assets/{id}/logins/{login_id}']?.delete?.operationId).toBe('unlinkAssetLogin');
    expect(doc.paths['/notes/{id}/archive']?.post?.operationId).toBe('archiveNote');
  });

  it("records every write in the asset's history as made over the API", async () => {
    const res = await call('GET', `/api/v2/assets/${pc}/history?limit=500`);
    const events = (res.json() as { events: Array<{ action: string; source: string }> }).events.filter((e) => e.action !== 'created');
    expect(events.every((e) => e.source === 'api')).toBe(true);
    expect(new Set(events.map((e) => e.action))).toEqual(
      new Set([
        'interface_added',
        'interface_updated',
        'primary_interface_changed',
        'interface_connected',
        'interface_disconnected',
        'note_added',
        'note_updated',
        'note_archived',
        'note_restored',
        'note_deleted',
        'tags_changed',
        'login_linked',
        'login_unlinked',
        'service_linked',
        'service_unlinked',
        'ticket_linked',
        'ticket_unlinked',
      ]),
    );
  });
});
