// The pages for locations, contacts, vendors and networks over a real socket, on each database: add
// (with the rules' message on a bad field), find, link and unlink assets from the record's side, see
// it on the asset page, archive and restore, delete with what happens to the assets said first and
// recorded in their history, and another client's record answering "not found".
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';

describe.each(DIALECTS)('record pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'admin@records.test', name: 'Admin', password: 'correct horse', role: 'admin' });
  });

  it('adds a location, links an asset from its page, archives, restores, and deletes it with the asset told', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Records Co');
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'REC-PC-1' });
    const web = await site.signIn('admin@records.test');
    const tabs = await web.get(`/clients/${c.client.id}/assets`);
    expect(tabs.body).toContain(`href="/clients/${c.client.id}/locations"`);

    await web.get(`/clients/${c.client.id}/locations/new`);
    const missing = await web.post(`/clients/${c.client.id}/locations/new`, { name: '', city: 'Basel' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toMatch(/is-invalid[\s\S]*Required/);
    expect(missing.body).toContain('value="Basel"');

    const created = await web.post(`/clients/${c.client.id}/locations/new`, { name: 'Warehouse Nord', city: 'Basel', notes: 'Gate code at reception' });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const detail = await web.get(url);
    expect(detail.body).toContain('Warehouse Nord');
    expect(detail.body).toContain('Gate code at reception');
    expect(detail.body).toContain('<option value="' + asset.id + '">REC-PC-1</option>');

    const linked = await web.post(`${url}/link`, { target: String(asset.id) });
    expect(linked.statusCode).toBe(303);
    expect((await web.get(url)).body).toContain(`href="/assets/${asset.id}">REC-PC-1</a>`);
    expect((await web.get(`/assets/${asset.id}`)).body).toContain('Warehouse Nord');
    const list = await web.get(`/clients/${c.client.id}/locations?q=nord`);
    expect(list.body).toMatch(/Warehouse Nord<\/a><\/td>[\s\S]*?<td class="text-end">1<\/td>/);
    expect((await web.get(`/clients/${c.client.id}/locations?q=zzz`)).body).toContain('No locations match &quot;zzz&quot;.');

    await web.post(`${url}/archive`, {});
    expect((await web.get(`/clients/${c.client.id}/locations`)).body).not.toContain('Warehouse Nord</a>');
    expect((await web.get(`/clients/${c.client.id}/locations?archived=1`)).body).toContain('Warehouse Nord</a>');
    await web.post(`${url}/restore`, {});
    expect((await web.get(`/clients/${c.client.id}/locations`)).body).toContain('Warehouse Nord</a>');

    const ask = await web.post(`${url}/delete`, {});
    expect(ask.body).toMatch(/1 asset points at this location\. It loses it, recorded in its history; then the location is deleted for good\./);
    const gone = await web.post(`${url}/delete`, { confirmed: '1' });
    expect(gone.headers.location).toBe(`/clients/${c.client.id}/locations`);
    expect((await web.get(url)).statusCode).toBe(404);
    const events = (await listAssetEvents(t.ctx, asset.id)).events;
    expect(events[0]).toMatchObject({ action: 'updated', reason: expect.stringContaining('Warehouse Nord') });
    expect(events[0]!.changes).toEqual([{ field: 'locationId', old: expect.any(Number), new: null, oldName: 'Warehouse Nord', newName: null }]);
  });

  it("refuses a bad email on a contact, and puts an interface on a network from the network's page", async () => {
    const c = await makeClientWithRecords(t.ctx, 'Network Co');
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'SW-CORE', primaryInterface: { ip: '10.0.0.2' } });
    const web = await site.signIn('admin@records.test');
    await web.get(`/clients/${c.client.id}/contacts/new`);
    const bad = await web.post(`/clients/${c.client.id}/contacts/new`, { name: 'Ben', email: 'not-an-email', locationId: String(c.location.id) });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('&quot;not-an-email&quot; is not an email address');
    expect(bad.body).toMatch(new RegExp(`<option value="${c.location.id}" selected`));

    await web.get(`/networks/${c.network.id}`);
    const iface = await t.store.db.selectFrom('asset_interfaces').select('id').where('asset_id', '=', asset.id).executeTakeFirstOrThrow();
    await web.post(`/networks/${c.network.id}/link`, { target: String(iface.id) });
    const page = await web.get(`/networks/${c.network.id}`);
    expect(page.body).toContain('Interfaces on this network (1)');
    expect(page.body).toContain('01 · 10.0.0.2');
    await web.post(`/networks/${c.network.id}/delete`, { confirmed: '1' });
    const after = await t.store.db.selectFrom('asset_interfaces').select('network_id').where('id', '=', iface.id).executeTakeFirstOrThrow();
    expect(after.network_id).toBeNull();
    expect((await listAssetEvents(t.ctx, asset.id)).events[0]).toMatchObject({ action: 'interface_updated' });
  });

  it("answers not found for another client's record to a limited technician, and changes nothing there", async () => {
    const mine = await makeClientWithRecords(t.ctx, 'Allowed Co');
    const other = await makeClientWithRecords(t.ctx, 'Forbidden Co');
    const tech = await createUser(t.ctx, { email: 'limited@records.test', name: 'Limited', password: 'correct horse', role: 'technician' });
    await t.store.db.insertInto('user_client_access').values({ user_id: tech.id, client_id: mine.client.id, mode: 'allow' }).execute();
    const web = await site.signIn('limited@records.test');
    expect((await web.get(`/vendors/${mine.vendor.id}`)).statusCode).toBe(200);
    expect((await web.get(`/vendors/${other.vendor.id}`)).statusCode).toBe(404);
    expect((await web.get(`/clients/${other.client.id}/vendors`)).statusCode).toBe(404);
    await web.get(`/vendors/${mine.vendor.id}`);
    expect((await web.post(`/vendors/${other.vendor.id}/delete`, { confirmed: '1' })).statusCode).toBe(404);
    expect(await t.store.db.selectFrom('vendors').select('id').where('id', '=', other.vendor.id).executeTakeFirst()).toBeTruthy();
  });
});

describe.each(DIALECTS)('service and ticket pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'desk@records.test', name: 'Desk', password: 'correct horse', role: 'admin' });
  });

  it('opens a ticket with its contact, links an asset from the ticket, finds it by subject or number, and deletes a service with its assets told', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Desk Co');
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'PRINTER-2F' });
    const web = await site.signIn('desk@records.test');

    await web.get(`/clients/${c.client.id}/tickets/new`);
    const bad = await web.post(`/clients/${c.client.id}/tickets/new`, { subject: '', status: 'New', priority: 'Low' });
    expect(bad.statusCode).toBe(422);
    const made = await web.post(`/clients/${c.client.id}/tickets/new`, {
      subject: 'Paper jam on 2F',
      status: 'Open',
      priority: 'High',
      contactId: String(c.contact.id),
      details: 'Tray 2',
    });
    const url = made.headers.location as string;
    const page = await web.get(url);
    expect(page.body).toContain('Paper jam on 2F');
    expect(page.body).toContain('Ana Alvarez');
    await web.post(`${url}/link`, { target: String(asset.id) });
    expect((await web.get(`/assets/${asset.id}`)).body).toContain('Paper jam on 2F');
    const number = (await t.store.db.selectFrom('tickets').select('number').where('subject', '=', 'Paper jam on 2F').executeTakeFirstOrThrow()).number;
    expect((await web.get(`/clients/${c.client.id}/tickets?q=jam`)).body).toContain('Paper jam on 2F</a>');
    expect((await web.get(`/clients/${c.client.id}/tickets?q=${number}`)).body).toContain('Paper jam on 2F</a>');
    expect((await web.get(`/clients/${c.client.id}/tickets?status=Open`)).body).toContain('Paper jam on 2F</a>');
    expect((await web.get(`/clients/${c.client.id}/tickets?status=Closed`)).body).toContain('No tickets match these filters.');
    expect((await web.get(`/clients/${c.client.id}/tickets?contactId=${c.contact.id}&priority=High`)).body).toContain('Paper jam on 2F</a>');

    await web.get(`/clients/${c.client.id}/services/new`);
    const service = await web.post(`/clients/${c.client.id}/services/new`, { name: 'Printing', importance: 'Medium', reviewDue: '2027-01-31' });
    const serviceUrl = service.headers.location as string;
    await web.get(serviceUrl);
    await web.post(`${serviceUrl}/link`, { target: String(asset.id) });
    expect((await web.get(serviceUrl)).body).toContain(`href="/assets/${asset.id}">PRINTER-2F</a>`);
    const ask = await web.post(`${serviceUrl}/delete`, {});
    expect(ask.body).toContain('1 asset points at this service');
    await web.post(`${serviceUrl}/delete`, { confirmed: '1' });
    expect((await listAssetEvents(t.ctx, asset.id)).events[0]).toMatchObject({ action: 'service_unlinked' });
  });
});
