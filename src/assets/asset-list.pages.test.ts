// The asset list over a real socket, on each database: every column sorts with empty values last in
// both directions, the page numbers and the go-to-page form, a page past the end, the warranty
// badges, and the bulk bar's messages and confirmation page.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { createContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import { addDays } from '../platform/dates.ts';
import { loadConfig } from '../platform/config.ts';
import { pageWindow } from '../web/pagination.tsx';
import { SORTS } from './asset-list.query.ts';
import { createAsset } from './asset.service.ts';

const config = { ...loadConfig({}), logLevel: process.env.TEST_LOG ?? 'silent' };
const PASSWORD = 'correct-horse-battery-staple-42';

describe('page numbers', () => {
  it('offers the first, a window around the current page and the last, with gaps marked', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 20)).toEqual([1, 2, 3, null, 20]);
    expect(pageWindow(10, 20)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
    expect(pageWindow(4, 20)).toEqual([1, 2, 3, 4, 5, 6, null, 20]);
    expect(pageWindow(20, 20)).toEqual([1, null, 18, 19, 20]);
  });
});

describe.each(DIALECTS)('the asset list on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    app = await buildApp({ config, store: t.store });
    http = await listen(app);
    await createUser(t.ctx, { email: 'admin@list.test', name: 'Admin', password: PASSWORD, role: 'admin' });
  });
  afterAll(async () => app.close());

  const signIn = async () => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email: 'admin@list.test', password: PASSWORD });
    expect(res.headers.location).toBe('/assets');
    return web;
  };
  const names = (body: string) => [...body.matchAll(/href="\/assets\/\d+">([^<]+)</g)].map((m) => m[1]);

  it('sorts by every column, empty values last in both directions', async () => {
    const web = await signIn();
    const c = await makeClientWithRecords(t.ctx, 'Sort Co');
    const clientId = c.client.id;
    const contacts = await Promise.all(['ann', 'Bob', 'cid'].map((name) => createContact(t.ctx, { clientId, name })));
    const locations = await Promise.all(['annex', 'Basement', 'cellar'].map((name) => createLocation(t.ctx, { clientId, name })));
    // A, B and C in this order on every column (with mixed case: the order ignores it); E-1 and E-2 have nothing.
    const filled = [
      { name: 'S-A', type: 'Desktop', make: 'acer', model: 'X', serial: 'a-1', os: 'android', ip: '10.0.0.1', mac: '00:00:00:00:00:01', status: 'Deployed' },
      { name: 'S-B', type: 'Laptop', make: 'Dell', model: 'Y', serial: 'B-2', os: 'Linux', ip: '10.0.0.2', mac: '00:00:00:00:00:02', status: 'Lost' },
      { name: 'S-C', type: 'Server', make: 'hp', model: 'Z', serial: 'c-3', os: 'windows', ip: '10.0.0.3', mac: '00:00:00:00:00:03', status: 'Retired' },
    ];
    for (const [i, a] of filled.entries()) {
      const { ip, mac, ...fields } = a;
      await createAsset(t.ctx, {
        clientId,
        ...fields,
        contactId: contacts[i]!.id,
        locationId: locations[i]!.id,
        warrantyExpire: `2030-0${i + 1}-01`,
        primaryInterface: { ip, mac },
      });
    }
    await createAsset(t.ctx, { clientId, name: 'E-1' });
    await createAsset(t.ctx, { clientId, name: 'E-2' });

    const keys = Object.keys(SORTS).filter((k) => !['name', 'client', 'updated'].includes(k));
    expect(keys).toHaveLength(10);
    for (const sort of keys) {
      const asc = names((await web.get(`/clients/${clientId}/assets?sort=${sort}`)).body);
      const desc = names((await web.get(`/clients/${clientId}/assets?sort=${sort}&desc=1`)).body);
      expect(asc.slice(0, 3), `${sort} ascending`).toEqual(['S-A', 'S-B', 'S-C']);
      expect(desc.slice(0, 3), `${sort} descending`).toEqual(['S-C', 'S-B', 'S-A']);
      expect(new Set(asc.slice(3)), `${sort} ascending, empties last`).toEqual(new Set(['E-1', 'E-2']));
      expect(new Set(desc.slice(3)), `${sort} descending, empties last`).toEqual(new Set(['E-1', 'E-2']));
    }
    // Every heading is a sort link.
    const page = (await web.get(`/clients/${clientId}/assets`)).body;
    for (const sort of [...keys.filter((k) => k !== 'os'), 'name']) expect(page, sort).toContain(`sort=${sort}`);
  });

  it('numbers the pages, goes to a typed page, and sends a page past the end to the last one', async () => {
    const web = await signIn();
    const c = await makeClientWithRecords(t.ctx, 'Paging Co');
    const base = `/clients/${c.client.id}/assets`;
    for (let i = 1; i <= 130; i++) await createAsset(t.ctx, { clientId: c.client.id, name: `P-${String(i).padStart(3, '0')}` });

    const first = (await web.get(`${base}?sort=serial&size=25`)).body;
    expect(first).toContain('130 assets · page 1 of 6');
    for (const p of [1, 2, 3, 6]) expect(first).toContain(`aria-label="Page ${p}"`);
    expect(first).not.toContain('aria-label="Page 5"');
    expect(first).toMatch(/href="[^"]*page=2&amp;size=25"[^>]*rel="next"/);
    // The go-to-page form is a GET form carrying the list's other parameters.
    const form = /<form[^>]*method="get"[^>]*>(?:(?!<\/form>)[\s\S])*Go to page[\s\S]*?<\/form>/.exec(first)?.[0] ?? '';
    expect(form).toContain(`action="${base}"`);
    expect(form).toContain('name="sort" value="serial"');
    expect(form).toContain('name="size" value="25"');
    expect(form).toMatch(/type="number" name="page" min="1" max="6"/);

    const typed = await web.get(`${base}?sort=serial&size=25&page=4`);
    expect(typed.body).toContain('page 4 of 6');
    expect(names(typed.body)).toHaveLength(25);
    expect(typed.body).toContain('aria-current="page" aria-label="Page 4"');

    const beyond = await web.get(`${base}?sort=serial&size=25&page=99`);
    expect(beyond.statusCode).toBe(302);
    expect(beyond.headers.location).toBe(`${base}?sort=serial&size=25&page=6`);
    const last = await web.get(beyond.headers.location as string);
    expect(last.body).toContain('page 6 of 6');
    expect(names(last.body)).toEqual(['P-126', 'P-127', 'P-128', 'P-129', 'P-130']);
    // An empty list has one page: any page number comes back to it.
    const empty = await web.get(`${base}?status=Stolen&page=3`);
    expect(empty.headers.location).toBe(`${base}?status=Stolen`);
  });

  it('shows the warranty state as a badge in the list and on the asset page', async () => {
    const web = await signIn();
    const c = await makeClientWithRecords(t.ctx, 'Warranty Co');
    const today = new Date().toISOString().slice(0, 10);
    const soon = await createAsset(t.ctx, { clientId: c.client.id, name: 'W-SOON', warrantyExpire: addDays(today, 12) });
    const gone = await createAsset(t.ctx, { clientId: c.client.id, name: 'W-GONE', warrantyExpire: addDays(today, -1) });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'W-LATER', warrantyExpire: addDays(today, 31) });
    const list = (await web.get(`/clients/${c.client.id}/assets?sort=warranty`)).body;
    const rows = list.split('<tr').filter((r) => r.includes('href="/assets/'));
    expect(rows.find((r) => r.includes('W-SOON'))).toContain('Ends in 12 days');
    expect(rows.find((r) => r.includes('W-GONE'))).toContain('>Expired<');
    expect(rows.find((r) => r.includes('W-LATER'))).not.toContain('badge warranty-badge');
    expect((await web.get(`/assets/${soon.id}`)).body).toContain('Ends in 12 days');
    expect((await web.get(`/assets/${gone.id}`)).body).toContain('>Expired<');
  });

  it('labels each bulk field with its action, and says what a bulk action will do before doing it', async () => {
    const web = await signIn();
    const c = await makeClientWithRecords(t.ctx, 'Bulk Co');
    const base = `/clients/${c.client.id}/assets`;
    const ids: string[] = [];
    for (const name of ['B-1', 'B-2', 'B-3']) ids.push(String((await createAsset(t.ctx, { clientId: c.client.id, name })).id));
    const list = (await web.get(base)).body;
    for (const label of ['Set status to', 'Assign to contact', 'Move to location', 'Set physical location to', 'Tags to add or replace with'])
      expect(list).toContain(label);
    expect(list).toContain('data-confirm-template="Delete {assets}? The history is kept."');
    expect(list).toContain('data-confirm-template="Archive {assets}?"');
    expect(list).toContain('data-confirm-template="Set status of {assets} to {value}?"');

    // Nothing ticked: a clear message, before any confirmation.
    const none = await web.post('/assets/bulk', { action: 'delete', return_to: base });
    expect(none.statusCode).toBe(303);
    expect((await web.get(none.headers.location as string)).body).toContain('Tick at least one asset');
    const noAction = await web.post('/assets/bulk', { action: '', ids, return_to: base });
    expect((await web.get(noAction.headers.location as string)).body).toContain('Choose what to do with the ticked assets first.');

    // Without JavaScript the server asks the same question as the dialog, and deletes nothing yet.
    const ask = await web.post('/assets/bulk', { action: 'delete', ids, return_to: base });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Delete 3 assets? The history is kept.');
    expect(names((await web.get(base)).body)).toEqual(['B-1', 'B-2', 'B-3']);
    const done = await web.post('/assets/bulk', { action: 'delete', ids, return_to: base, confirmed: '1' });
    expect((await web.get(done.headers.location as string)).body).toContain('3 of 3 assets deleted.');
  });
});
