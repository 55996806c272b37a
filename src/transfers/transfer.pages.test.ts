// The transfer screens over a real socket, on each database: preview with mappings, confirm with a
// reason, both pages pointing at each other, and one story in the copy's timeline.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { createAsset, updateAsset } from '../assets/asset.service.ts';
import { loadConfig } from '../platform/config.ts';

describe.each(DIALECTS)('transfer screens on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    await createUser(t.ctx, { email: 'boss@xfer.test', name: 'Boss', password: 'plum-orchard-lantern-47', role: 'admin' });
  });
  afterAll(async () => app.close());

  it('previews, lets the user change a mapping, transfers with a reason, and links both pages', async () => {
    const a = await makeClientWithRecords(t.ctx, 'Seller');
    const b = await makeClientWithRecords(t.ctx, 'Buyer');
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'XFER-PC', locationId: a.location.id, contactId: a.contact.id });
    await updateAsset(t.ctx, asset.id, { os: 'Windows 11' });
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'boss@xfer.test', password: 'plum-orchard-lantern-47' });

    await web.get(`/clients/${a.client.id}/assets`);
    const viaBulk = await web.post('/assets/bulk', { action: 'transfer', ids: [String(asset.id)], return_to: '/assets' });
    expect(viaBulk.headers.location).toBe(`/assets/transfer?ids=${asset.id}`);
    const preview = await web.get(`/assets/transfer?ids=${asset.id}&to=${b.client.id}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('XFER-PC');
    expect(preview.body).toMatch(new RegExp(`name="map_location_${a.location.id}"[^>]*>.*<option value="${b.location.id}" selected`));
    expect(preview.body).toContain('Transfer 1 asset to Buyer');

    const done = await web.post('/assets/transfer', {
      ids: String(asset.id),
      to: String(b.client.id),
      [`map_contact_${a.contact.id}`]: '',
      reason: 'Sold with the practice',
    });
    expect(done.statusCode).toBe(303);
    const copyPage = await web.get(done.headers.location as string);
    expect(copyPage.body).toContain('Transferred 1 asset.');
    expect(copyPage.body).toContain(`href="/assets/${asset.id}">the original record</a>`);
    expect(copyPage.body).toMatch(/Transferred in<\/strong>[\s\S]*from Seller[\s\S]*Reason: Sold with the practice/);
    expect(copyPage.body).toMatch(/Operating system:<\/span> <del>—<\/del> → <span class="history-new">Windows 11<\/span>/);
    const originalPage = await web.get(`/assets/${asset.id}`);
    expect(originalPage.body).toMatch(/Transferred to Buyer: <a href="\/assets\/\d+">the asset there<\/a>/);
    expect(originalPage.body).not.toContain('>Transfer to client</a>');

    const again = await web.post('/assets/transfer', { ids: String(asset.id), to: String(b.client.id) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Nothing was transferred');
  });

  it('offers "Undo transfer" instead of "Restore" on the original, refuses a restore from any form, and undoes the transfer', async () => {
    const a = await makeClientWithRecords(t.ctx, 'Giver');
    const b = await makeClientWithRecords(t.ctx, 'Taker');
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'UNDO-PC' });
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'boss@xfer.test', password: 'plum-orchard-lantern-47' });
    await web.get(`/assets/transfer?ids=${asset.id}&to=${b.client.id}`);
    const done = await web.post('/assets/transfer', { ids: String(asset.id), to: String(b.client.id) });
    expect(done.statusCode).toBe(303);
    const copyUrl = done.headers.location as string;

    const original = await web.get(`/assets/${asset.id}`);
    expect(original.body).toContain('>Undo transfer</button>');
    expect(original.body).not.toContain(`action="/assets/${asset.id}/restore"`);

    const single = await web.post(`/assets/${asset.id}/restore`, {});
    expect(single.statusCode).toBe(303);
    expect((await web.get(`/assets/${asset.id}`)).body).toContain('Not restored: UNDO-PC was transferred to another client');
    await web.get('/assets?archived=1');
    const bulk = await web.post('/assets/bulk', { action: 'restore', ids: [String(asset.id)], return_to: '/assets?archived=1' });
    expect(bulk.statusCode).toBe(303);
    expect((await web.get('/assets?archived=1')).body).toContain('Nothing was changed: UNDO-PC was transferred to another client');

    await web.get(`/assets/${asset.id}`);
    const undo = await web.post(`/assets/${asset.id}/undo-transfer`, {});
    expect(undo.headers.location).toBe(`/assets/${asset.id}`);
    const back = await web.get(`/assets/${asset.id}`);
    expect(back.body).toContain('Transfer of UNDO-PC undone');
    expect(back.body).toContain(`action="/assets/${asset.id}/archive"`);
    expect(back.body).toMatch(/Transfer undone<\/strong>/);
    const copy = await web.get(copyUrl);
    expect(copy.body).toContain('Its transfer was undone');
    expect(copy.body).not.toMatch(/action="\/assets\/\d+\/restore"/);
  });
});
