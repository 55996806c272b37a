// Interfaces from the asset page over a real socket, on each database: add one and several, edit,
// move the primary, cable two ports together and apart, delete; refusals keep everything as it was.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { loadConfig } from '../platform/config.ts';
import { listInterfaces } from './asset.repository.ts';
import { createAsset } from './asset.service.ts';
import { addInterface } from './interface.service.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

describe.each(DIALECTS)('interfaces from the asset page on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let web: WebClient;
  let c: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    c = await makeClientWithRecords(t.ctx, 'Ports Inc');
    await createUser(t.ctx, { email: 'ports@msp.test', name: 'Pat', password: 'plum-orchard-lantern-47', role: 'technician' });
    web = new WebClient(await listen(app));
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'ports@msp.test', password: 'plum-orchard-lantern-47' });
  });
  afterAll(async () => app.close());

  it('adds, edits, cables, moves the primary and deletes, each in the history', async () => {
    const server = await createAsset(t.ctx, { clientId: c.client.id, name: 'SRV-1', primaryInterface: { ip: '10.0.0.10' } });
    const sw = await createAsset(t.ctx, { clientId: c.client.id, name: 'SW-1' });
    await web.get(`/assets/${server.id}`);

    expect(
      (await web.post(`/assets/${server.id}/interfaces`, { name: 'eth1', ip: '10.0.1.10', mac: '00:00:00:00:01:10', network_id: String(c.network.id) }))
        .statusCode,
    ).toBe(303);
    expect((await web.post(`/assets/${sw.id}/interfaces/several`, { prefix: 'Gi1/0/', start: '1', count: '8', type: 'Ethernet' })).statusCode).toBe(303);
    expect((await listInterfaces(t.ctx, sw.id)).map((i) => i.name)).toContain('Gi1/0/08');

    const eth1 = (await listInterfaces(t.ctx, server.id)).find((i) => i.name === 'eth1')!;
    await web.post(`/assets/${server.id}/interfaces/${eth1.id}/connect`, { peer_asset: 'sw-1', peer_port: 'gi1/0/03' });
    const page = await web.get(`/assets/${server.id}`);
    expect(page.body).toContain('eth1 connected to SW-1 gi1/0/03.');
    expect(page.body).toMatch(/SW-1<\/a> Gi1\/0\/03/);

    const bad = await web.post(`/assets/${server.id}/interfaces/${eth1.id}/edit`, { name: 'eth1', ip: '300.1.1.1' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="f-ip-error"[^>]*>[^<]*300\.1\.1\.1/);
    await web.get(`/assets/${server.id}/interfaces/${eth1.id}/edit`);
    await web.post(`/assets/${server.id}/interfaces/${eth1.id}/edit`, { name: 'eth1', ip: '10.0.1.11', mac: '00:00:00:00:01:10' });
    await web.post(`/assets/${server.id}/interfaces/${eth1.id}/primary`, {});
    const after = await listInterfaces(t.ctx, server.id);
    expect(after.filter((i) => i.primary).map((i) => i.name)).toEqual(['eth1']);
    expect(after.find((i) => i.name === 'eth1')!.ip).toBe('10.0.1.11');

    const refused = await web.post(`/assets/${server.id}/interfaces/${eth1.id}/delete`, {});
    expect((await web.get(refused.headers.location as string)).body).toContain('is the primary interface');
    const old = after.find((i) => i.name === '01')!;
    await web.post(`/assets/${server.id}/interfaces/${eth1.id}/disconnect`, {});
    await web.post(`/assets/${server.id}/interfaces/${old.id}/delete`, {});
    expect((await listInterfaces(t.ctx, server.id)).map((i) => i.name)).toEqual(['eth1']);

    const actions = (await listAssetEvents(t.ctx, server.id)).events.map((e) => e.action);
    for (const action of [
      'interface_added',
      'interface_connected',
      'interface_updated',
      'primary_interface_changed',
      'interface_disconnected',
      'interface_removed',
    ])
      expect(actions).toContain(action);
    expect((await listAssetEvents(t.ctx, sw.id)).events.map((e) => e.action)).toContain('interface_connected');
  });

  it("exports an asset's interfaces in ITFlow's 8 columns, primary first", async () => {
    const nas = await createAsset(t.ctx, {
      clientId: c.client.id,
      name: 'NAS/2',
      primaryInterface: { name: '01', mac: 'b0:26:28:aa:10:01', ip: '192.168.10.10', networkId: c.network.id },
    });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'unrelated' });
    await addInterface(t.ctx, nas.id, {
      name: 'NIC2',
      description: 'Storage NIC, "jumbo" frames',
      type: 'SFP+',
      mac: 'B0:26:28:AA:10:02',
      ip: '10.0.0.10',
      natIp: '203.0.113.10',
      ipv6: 'fd00::10',
    });
    const res = await web.get(`/assets/${nas.id}/interfaces.csv`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="NAS_2-interfaces.csv"');
    const fixture = readFileSync(new URL('../../test/fixtures/itflow/itflow-interfaces-import-template.csv', import.meta.url), 'utf8');
    expect(parse(res.body)[0]).toEqual(parse(fixture)[0]);
    expect(parse(res.body).slice(1)).toEqual([
      ['01', '', '', 'B0:26:28:AA:10:01', '192.168.10.10', '', '', 'LAN'],
      ['NIC2', 'Storage NIC, "jumbo" frames', 'SFP+', 'B0:26:28:AA:10:02', '10.0.0.10', '203.0.113.10', 'fd00::10', ''],
    ]);
  });

  it('answers "not found" for another asset\'s interface in the URL and changes nothing', async () => {
    const one = await createAsset(t.ctx, { clientId: c.client.id, name: 'ONE' });
    const two = await createAsset(t.ctx, { clientId: c.client.id, name: 'TWO' });
    const twoPrimary = (await listInterfaces(t.ctx, two.id))[0]!;
    await web.get(`/assets/${one.id}`);
    expect((await web.post(`/assets/${one.id}/interfaces/${twoPrimary.id}/delete`, {})).statusCode).toBe(404);
    expect(await listInterfaces(t.ctx, two.id)).toHaveLength(1);
  });
});
