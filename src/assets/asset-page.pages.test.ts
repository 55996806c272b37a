// The asset page earns its space (issue 16, points 9 and 11), over a real socket on each database:
// empty fields folded into one line, URIs linked only for safe schemes, the add-interface form that
// keeps what was typed, the connect page (asset first, then its port), the link pickers' search and
// the reveal that shows a login's current TOTP code rather than its key.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { createLogin } from '../logins/login.service.ts';
import { loadConfig } from '../platform/config.ts';
import { SecretBox } from '../platform/secrets.ts';
import { createService } from '../services/service.service.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { listInterfaces } from './asset.repository.ts';
import { createAsset } from './asset.service.ts';
import { addInterface } from './interface.service.ts';

const box = new SecretBox(Buffer.alloc(32, 7));
const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('the asset page on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let web: WebClient;
  let c: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let other: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store, secretBox: box });
    c = await makeClientWithRecords(t.ctx, 'Space Co');
    other = await makeClientWithRecords(t.ctx, 'Elsewhere Ltd');
    await createUser(t.ctx, { email: 'page@space.test', name: 'Pia', password: PASSWORD, role: 'technician' });
    web = new WebClient(await listen(app));
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'page@space.test', password: PASSWORD });
  });
  afterAll(async () => app.close());

  it('folds the empty fields into one "Empty:" line instead of a column of dashes', async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'SPARSE-1', type: 'Laptop', serial: 'SN-42' });
    const page = await web.get(`/assets/${asset.id}`);
    expect(page.statusCode).toBe(200);
    const empty = /data-empty-fields[^>]*>([^<]*)</.exec(page.body)?.[1] ?? '';
    expect(empty).toMatch(/^Empty: /);
    for (const label of ['Purchase reference', 'Install date', 'Warranty expires', 'Vendor', 'URI']) expect(empty).toContain(label);
    expect(empty).not.toContain('Serial');
    expect(page.body).toMatch(/<dt class="col-sm-4">Serial<\/dt><dd class="col-sm-8 mono">SN-42<\/dd>/);
    expect(page.body).not.toMatch(/<dd[^>]*>—<\/dd>/);
  });

  it('links URIs only for http, https, ssh, rdp and vnc, in a new tab; javascript:, data: and file: stay text', async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'URI-1', uri: 'https://fw.example.test/admin', uri2: 'rdp://srv-01.local' });
    await t.store.db.updateTable('assets').set({ uri_client: 'javascript:alert(document.cookie)' }).where('id', '=', asset.id).execute();
    let page = await web.get(`/assets/${asset.id}`);
    expect(page.body).toContain('<a class="text-break" href="https://fw.example.test/admin" target="_blank" rel="noopener noreferrer">');
    expect(page.body).toContain('href="rdp://srv-01.local" target="_blank" rel="noopener noreferrer"');
    expect(page.body).toContain('javascript:alert(document.cookie)');
    expect(page.body).not.toMatch(/href="\s*javascript:/i);

    for (const bad of ['data:text/html,<b>x</b>', 'file:///etc/passwd', ' java\tscript:alert(1)']) {
      await t.store.db.updateTable('assets').set({ uri: bad }).where('id', '=', asset.id).execute();
      page = await web.get(`/assets/${asset.id}`);
      expect(page.body).not.toMatch(/href="\s*(data|file|java\s*script):/i);
    }
  });

  it('keeps what was typed in a refused add, with the problem beside its field, and saves every field of the add form', async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'ADD-1' });
    const page = await web.get(`/assets/${asset.id}`);
    for (const name of ['name', 'type', 'mac', 'ip', 'nat_ip', 'ipv6', 'network_id', 'description', 'notes']) {
      expect(page.body).toMatch(new RegExp(`action="/assets/${asset.id}/interfaces"[\\s\\S]*name="${name}"`));
    }
    const typed = {
      name: 'uplink',
      ip: '300.1.1.1',
      nat_ip: '203.0.113.9',
      ipv6: 'fd00::9',
      mac: '00:11:22:33:44:55',
      description: 'To the ISP',
      notes: 'Patch panel B, port 12',
    };
    const refused = await web.post(`/assets/${asset.id}/interfaces`, typed);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toMatch(/id="f-ip"[^>]*value="300\.1\.1\.1"|value="300\.1\.1\.1"[^>]*id="f-ip"/);
    expect(refused.body).toMatch(/<div id="f-ip-error" class="invalid-feedback">[^<]*300\.1\.1\.1/);
    for (const value of ['uplink', '203.0.113.9', 'fd00::9', 'To the ISP']) expect(refused.body).toContain(`value="${value}"`);
    expect(refused.body).toContain('Patch panel B, port 12</textarea>');
    expect((await listInterfaces(t.ctx, asset.id)).map((i) => i.name)).not.toContain('uplink');

    const saved = await web.post(`/assets/${asset.id}/interfaces`, { ...typed, ip: '198.51.100.9', network_id: String(c.network.id) });
    expect(saved.statusCode).toBe(303);
    const uplink = (await listInterfaces(t.ctx, asset.id)).find((i) => i.name === 'uplink')!;
    expect(uplink).toMatchObject({
      ip: '198.51.100.9',
      natIp: '203.0.113.9',
      ipv6: 'fd00::9',
      description: 'To the ISP',
      notes: 'Patch panel B, port 12',
      networkId: c.network.id,
    });
  });

  it('connects a port by choosing the asset first (searched by name), then its port', async () => {
    const server = await createAsset(t.ctx, { clientId: c.client.id, name: 'SRV-9' });
    const sw = await createAsset(t.ctx, { clientId: c.client.id, name: 'CORE-SWITCH' });
    await createAsset(t.ctx, { clientId: other.client.id, name: 'CORE-ROUTER' });
    await addInterface(t.ctx, sw.id, { name: 'Gi1/0/1' });
    const taken = await addInterface(t.ctx, sw.id, { name: 'Gi1/0/2' });
    const elsewhere = await addInterface(t.ctx, server.id, { name: 'eth2' });
    const nic = await addInterface(t.ctx, server.id, { name: 'eth1' });
    await web.post(`/assets/${server.id}/interfaces/${elsewhere.id}/connect`, { peer_interface_id: String(taken.id) });

    const page = await web.get(`/assets/${server.id}`);
    expect(page.body).toContain(`href="/assets/${server.id}/interfaces/${nic.id}/connect"`);

    const search = await web.get(`/assets/${server.id}/interfaces/${nic.id}/connect?q=core`);
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`peer=${sw.id}`);
    expect(search.body).toContain('CORE-SWITCH');
    expect(search.body).not.toContain('CORE-ROUTER');
    expect(search.body).not.toContain('name="peer_interface_id"');

    const ports = await web.get(`/assets/${server.id}/interfaces/${nic.id}/connect?q=core&peer=${sw.id}`);
    expect(ports.body).toMatch(/<select id="f-peer_interface_id" name="peer_interface_id"/);
    expect(ports.body).toContain('Gi1/0/1</option>');
    expect(ports.body).toMatch(new RegExp(`<option value="${taken.id}" disabled>Gi1/0/2 — cabled to SRV-9 eth2</option>`));

    // Another client's asset is not offered as the other end.
    const foreign = await web.get(
      `/assets/${server.id}/interfaces/${nic.id}/connect?peer=${(await createAsset(t.ctx, { clientId: other.client.id, name: 'X' })).id}`,
    );
    expect(foreign.body).not.toContain('name="peer_interface_id"');

    const refused = await web.post(`/assets/${server.id}/interfaces/${nic.id}/connect`, { peer_interface_id: String(taken.id) });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toMatch(/<div id="f-peer_interface_id-error" class="invalid-feedback">[^<]*already connected/);

    const port1 = (await listInterfaces(t.ctx, sw.id)).find((i) => i.name === 'Gi1/0/1')!;
    const done = await web.post(`/assets/${server.id}/interfaces/${nic.id}/connect`, { peer_interface_id: String(port1.id) });
    expect(done.statusCode).toBe(303);
    const after = await web.get(`/assets/${server.id}`);
    expect(after.body).toContain('eth1 connected to CORE-SWITCH Gi1/0/1.');
    expect(after.body).toMatch(/CORE-SWITCH<\/a> Gi1\/0\/1/);
  });

  it('starts the link pickers empty and finds only matching records of the same client', async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'PICK-1' });
    for (let i = 0; i < 30; i++) await createService(t.ctx, { clientId: c.client.id, name: `Backup job ${String(i).padStart(2, '0')}` });
    await createService(t.ctx, { clientId: c.client.id, name: 'Internet line' });
    await createService(t.ctx, { clientId: other.client.id, name: 'Internet elsewhere' });
    await createLogin(t.ctx, box, { clientId: c.client.id, name: 'Router admin', password: 'x' });
    await createLogin(t.ctx, box, { clientId: other.client.id, name: 'Router of another client', password: 'x' });
    const ticket = await createTicket(t.ctx, { clientId: c.client.id, subject: 'Printer jams' });

    const page = await web.get(`/assets/${asset.id}`);
    expect(page.body).not.toContain('Backup job');
    expect(page.body).not.toMatch(/<select[^>]*name="(login|service|ticket)_id"/);
    expect(page.body).toContain(`action="/assets/${asset.id}/services/search"`);

    const found = await web.get(`/assets/${asset.id}/services/search?q=INTERNET`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Internet line');
    expect(found.body).not.toContain('Internet elsewhere');
    expect(found.body).not.toContain('Backup job');
    expect(found.body).toContain('name="service_id"');

    const many = await web.get(`/assets/${asset.id}/services/search?q=backup`);
    expect(many.body.match(/name="service_id"/g)).toHaveLength(20);
    expect(many.body).toContain('More match');

    const fragment = await web.get(`/assets/${asset.id}/logins/search?q=router`);
    expect(fragment.body).toContain('Router admin');
    expect(fragment.body).not.toContain('Router of another client');

    const byNumber = await web.get(`/assets/${asset.id}/tickets/search?q=%23${ticket.number}`);
    expect(byNumber.body).toContain('Printer jams');

    // Linking from a search result, then the record is no longer offered.
    const id = /name="service_id" value="(\d+)"/.exec(found.body)![1]!;
    expect((await web.post(`/assets/${asset.id}/services`, { service_id: id })).statusCode).toBe(303);
    expect((await web.get(`/assets/${asset.id}`)).body).toContain('Internet line');
    expect((await web.get(`/assets/${asset.id}/services/search?q=internet`)).body).not.toContain('Internet line');
  });

  it("shows a login's current 6-digit TOTP code when its secrets are shown, never the TOTP key", async () => {
    const seed = 'JBSWY3DPEHPK3PXP';
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'VPN-1' });
    const login = await createLogin(t.ctx, box, {
      clientId: c.client.id,
      name: 'VPN admin',
      username: 'root',
      password: 'pw-1',
      otpSecret: seed,
      assetId: asset.id,
    });
    await web.get(`/assets/${asset.id}`);
    for (const headers of [{}, { 'hx-request': 'true' }] as Array<Record<string, string>>) {
      const shown = await web.post(`/assets/${asset.id}/logins/${login.id}/reveal`, {}, headers);
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toMatch(/<code class="fs-5" data-totp="true">\d{6}<\/code>/);
      expect(shown.body).toMatch(/\d+ s left/);
      expect(shown.body).not.toContain(seed);
      expect(shown.body).toContain('pw-1');
    }
  });
});
