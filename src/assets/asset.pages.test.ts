// The web UI's asset pages over a real socket, on each database: first-run setup, sign-in, the list,
// the detail page, forms with the rules' messages, bulk actions, CSRF and client limits.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen, requesterFor } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { loadConfig } from '../platform/config.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { openStore } from '../platform/db/store.ts';
import { createAsset } from './asset.service.ts';

const config = { ...loadConfig({}), logLevel: process.env.TEST_LOG ?? 'silent' };

describe.each(DIALECTS)('first run on %s', (dialect) => {
  it('leads from / to a one-time setup that creates the administrator and signs in', async () => {
    const db = await createEmptyDatabase(dialect);
    const store = openStore({ kind: dialect, url: db.url });
    await migrateToLatest(store);
    const app = await buildApp({ config, store });
    try {
      const web = new WebClient(await listen(app));
      const root = await web.get('/');
      expect(root.statusCode).toBe(302);
      expect(root.headers.location).toBe('/setup');
      const setup = await web.get('/setup');
      expect(setup.body).toContain('Create administrator');
      const mismatch = await web.post('/setup', {
        company: 'Acme IT',
        name: 'Ada',
        email: 'ada@acme.test',
        password: 'fern-quilt-38',
        password_confirm: 'different',
      });
      expect(mismatch.statusCode).toBe(422);
      expect(mismatch.body).toContain('The two passwords differ.');
      const done = await web.post('/setup', {
        company: 'Acme IT',
        name: 'Ada',
        email: 'ada@acme.test',
        password: 'fern-quilt-38',
        password_confirm: 'fern-quilt-38',
      });
      expect(done.headers.location).toBe('/welcome');
      const list = await web.get('/assets');
      expect(list.body).toContain('Acme IT');
      expect(list.body).toContain('Welcome, Ada.');
      const again = await new WebClient(requesterFor(app)).get('/setup');
      expect(again.headers.location).toBe('/sign-in');
    } finally {
      await app.close();
      await store.close();
      await db.drop();
    }
  });
});

describe.each(DIALECTS)('asset pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof listen>>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let bAssetId: number;

  beforeAll(async () => {
    app = await buildApp({ config, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Dental');
    b = await makeClientWithRecords(t.ctx, 'Beta Law');
    await createUser(t.ctx, { email: 'admin@msp.test', name: 'Admin', password: 'correct horse', role: 'admin' });
    const limited = await createUser(t.ctx, { email: 'limited@msp.test', name: 'Limited', password: 'correct horse', role: 'technician' });
    await t.store.db.insertInto('user_client_access').values({ user_id: limited.id, client_id: a.client.id, mode: 'allow' }).execute();
    bAssetId = (await createAsset(t.ctx, { clientId: b.client.id, name: 'BETA-FS', serial: 'BETA-SERIAL' })).id;
  });
  afterAll(async () => app.close());

  const signIn = async (email: string) => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email, password: 'correct horse' });
    expect(res.headers.location).toBe('/assets');
    return web;
  };

  it("adds an asset through the form, with the rules' message next to a bad field and nothing saved", async () => {
    const web = await signIn('admin@msp.test');
    await web.get(`/assets/new?client_id=${a.client.id}`);
    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('assets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const bad = await web.post(`/assets/new?client_id=${a.client.id}`, {
      name: 'PC-01',
      type: 'Laptop',
      purchase_date: '2024-13-45',
      ip: '10.0.0.999',
      favorite: '0',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="f-purchase_date-error"[^>]*>[^<]*2024-13-45/);
    expect(bad.body).toMatch(/id="f-ip-error"/);
    expect(bad.body).toContain('value="PC-01"');
    expect(await count()).toBe(before);

    const good = await web.post(`/assets/new?client_id=${a.client.id}`, {
      name: '<img src=x onerror=alert(1)>',
      type: 'Laptop',
      serial: 'SN-WEB-1',
      ip: '10.0.0.9',
      mac: 'aa-bb-cc-00-00-09',
      location_id: String(a.location.id),
      favorite: '1',
    });
    expect(good.statusCode).toBe(303);
    const page = await web.get(good.headers.location as string);
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)>');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('Head Office');
    expect(page.body).toContain('AA:BB:CC:00:00:09');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('edits an asset and shows the change, old to new, in its history', async () => {
    const web = await signIn('admin@msp.test');
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'EDIT-ME', os: 'Windows 10' });
    const form = await web.get(`/assets/${asset.id}/edit`);
    expect(form.body).toContain('value="Windows 10"');
    const fields = Object.fromEntries([...form.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const saved = await web.post(`/assets/${asset.id}/edit`, { ...fields, os: 'Windows 11', favorite: '0' });
    expect(saved.statusCode).toBe(303);
    const page = await web.get(`/assets/${asset.id}`);
    expect(page.body).toMatch(/Operating system:<\/span> <del>Windows 10<\/del> → <span class="history-new">Windows 11<\/span>/);
    const events = (await listAssetEvents(t.ctx, asset.id)).events;
    expect(events[0]).toMatchObject({ action: 'updated', source: 'web', changes: [{ field: 'os', old: 'Windows 10', new: 'Windows 11' }] });
  });

  it('tells the second of two people editing one asset who changed it and when, shows both values, and saves once they confirm', async () => {
    await createUser(t.ctx, { email: 'second@msp.test', name: 'Sam Second', password: 'correct horse', role: 'admin' });
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'SHARED-PC', os: 'Windows 10', model: 'T14' });
    const first = await signIn('second@msp.test');
    const second = await signIn('admin@msp.test');
    const fieldsOf = (body: string) => Object.fromEntries([...body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const firstForm = fieldsOf((await first.get(`/assets/${asset.id}/edit`)).body);
    const secondForm = fieldsOf((await second.get(`/assets/${asset.id}/edit`)).body);
    expect((await first.post(`/assets/${asset.id}/edit`, { ...firstForm, os: 'Windows 11', favorite: '0' })).statusCode).toBe(303);

    const conflict = await second.post(`/assets/${asset.id}/edit`, { ...secondForm, model: 'T16', favorite: '0' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toMatch(/Changed by Sam Second at \d{4}-\d\d-\d\d \d\d:\d\d UTC while you were editing\. Nothing was saved/);
    // Their value in the field, the value saved meanwhile under it.
    expect(conflict.body).toMatch(/name="os"[^>]*value="Windows 10"/);
    expect(conflict.body).toMatch(/id="f-os-saved"[^>]*>Saved meanwhile: <strong>Windows 11<\/strong>/);
    expect(conflict.body).toMatch(/name="model"[^>]*value="T16"/);
    expect(await t.store.db.selectFrom('assets').select(['os', 'model']).where('id', '=', asset.id).executeTakeFirstOrThrow()).toEqual({
      os: 'Windows 11',
      model: 'T14',
    });

    const reviewed = fieldsOf(conflict.body);
    const saved = await second.post(`/assets/${asset.id}/edit`, { ...reviewed, os: 'Windows 11', favorite: '0' });
    expect(saved.statusCode).toBe(303);
    expect(await t.store.db.selectFrom('assets').select(['os', 'model']).where('id', '=', asset.id).executeTakeFirstOrThrow()).toEqual({
      os: 'Windows 11',
      model: 'T16',
    });
  });

  it('sets the status of ticked assets in one bulk action sharing one correlation id', async () => {
    const web = await signIn('admin@msp.test');
    const ids = [];
    for (const name of ['BULK-1', 'BULK-2', 'BULK-3']) ids.push((await createAsset(t.ctx, { clientId: a.client.id, name })).id);
    await web.get(`/clients/${a.client.id}/assets`);
    const res = await web.post('/assets/bulk', { action: 'set_status', status: 'Retired', ids: ids.map(String), return_to: `/clients/${a.client.id}/assets` });
    expect(res.statusCode).toBe(303);
    const after = (await web.get(res.headers.location as string)).body;
    expect(after).toContain('3 of 3 assets set to Retired.');
    const events = await Promise.all(ids.map(async (id) => (await listAssetEvents(t.ctx, id)).events[0]!));
    expect(events.every((e) => e.action === 'updated')).toBe(true);
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(1);
    expect(events[0]!.correlationId).toBeTruthy();
  });

  it('filters by warranty window, tag, location and favorites, and assigns, tags and stars in bulk', async () => {
    const web = await signIn('admin@msp.test');
    const today = new Date();
    const inDays = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    const c = await makeClientWithRecords(t.ctx, 'Filter Co');
    await t.store.db.insertInto('tags').values({ name: 'VIP', created_at: new Date().toISOString() }).execute();
    const soon = await createAsset(t.ctx, { clientId: c.client.id, name: 'W-SOON', warrantyExpire: inDays(5) });
    const later = await createAsset(t.ctx, { clientId: c.client.id, name: 'W-LATER', warrantyExpire: inDays(40) });
    const gone = await createAsset(t.ctx, { clientId: c.client.id, name: 'W-GONE', warrantyExpire: inDays(-3) });
    const base = `/clients/${c.client.id}/assets`;
    const names = async (query: string) => [...(await web.get(`${base}?${query}`)).body.matchAll(/href="\/assets\/\d+">([^<]+)</g)].map((m) => m[1]);
    expect(await names('warranty=7')).toEqual(['W-SOON']);
    expect(await names('warranty=45')).toEqual(['W-LATER', 'W-SOON']);
    expect(await names('warranty=expired')).toEqual(['W-GONE']);

    const ids = [soon.id, later.id].map(String);
    const bulk = (fields: Record<string, string | string[]>) => web.post('/assets/bulk', { ids, return_to: base, ...fields });
    await web.get(base);
    await bulk({ action: 'assign_contact', contact_id: String(c.contact.id) });
    await bulk({ action: 'assign_location', location_id: String(c.location.id) });
    await bulk({ action: 'add_tags', tags: 'vip' });
    await bulk({ action: 'favorite' });
    const vip = await t.store.db.selectFrom('tags').select('id').where('name', '=', 'VIP').executeTakeFirstOrThrow();
    expect(await names(`tag=${vip.id}`)).toEqual(['W-LATER', 'W-SOON']);
    expect(await names(`location=${c.location.id}`)).toEqual(['W-LATER', 'W-SOON']);
    expect(await names('favorites=1')).toEqual(['W-LATER', 'W-SOON']);
    const row = await t.store.db.selectFrom('assets').select(['contact_id', 'favorite']).where('id', '=', soon.id).executeTakeFirstOrThrow();
    expect(row.contact_id).toBe(c.contact.id);
    expect(Boolean(row.favorite)).toBe(true);
    // Without JavaScript a row's star posts the whole bulk form to the star route, and comes back.
    const starred = await web.post(`/assets/${gone.id}/favorite`, { favorite: '1', action: 'set_status', ids: [String(soon.id)], return_to: base });
    expect(starred.headers.location).toBe(base);
    expect(Boolean((await t.store.db.selectFrom('assets').select('favorite').where('id', '=', gone.id).executeTakeFirstOrThrow()).favorite)).toBe(true);
    // A name no tag has becomes a new tag (the user may write); one no tag could have changes nothing.
    const newTag = await bulk({ action: 'add_tags', tags: 'no-such-tag' });
    expect((await web.get(newTag.headers.location as string)).body).toMatch(/of \d+ assets? tagged\./);
    expect(await t.store.db.selectFrom('tags').select('id').where('name', '=', 'no-such-tag').executeTakeFirst()).toBeDefined();
    const badTag = await bulk({ action: 'add_tags', tags: 'x'.repeat(201) });
    expect((await web.get(badTag.headers.location as string)).body).toContain('Nothing was changed: ');
  });

  it('searches the names an asset points at: its contact, location, client and tags', async () => {
    const web = await signIn('admin@msp.test');
    const c = await makeClientWithRecords(t.ctx, 'Zephyr Orthodontics');
    const contact = await t.store.db
      .insertInto('contacts')
      .values({ client_id: c.client.id, name: 'Quentin Quillfeather', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const location = await t.store.db
      .insertInto('locations')
      .values({ client_id: c.client.id, name: 'Yarrowby Annex', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.store.db.insertInto('tags').values({ name: 'Xylophone', created_at: new Date().toISOString() }).execute();
    await createAsset(t.ctx, { clientId: c.client.id, name: 'BY-CONTACT', contactId: contact.id });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'BY-LOCATION', locationId: location.id, tags: ['xylophone'] });
    const names = async (q: string) =>
      [...(await web.get(`/assets?q=${encodeURIComponent(q)}`)).body.matchAll(/href="\/assets\/\d+">([^<]+)</g)].map((m) => m[1]).sort();
    expect(await names('quillfeather')).toEqual(['BY-CONTACT']);
    expect(await names('yarrowby')).toEqual(['BY-LOCATION']);
    expect(await names('XYLOPHONE')).toEqual(['BY-LOCATION']);
    expect(await names('zephyr')).toEqual(['BY-CONTACT', 'BY-LOCATION']);
  });

  it('shows the columns a user picks, and remembers them in that browser', async () => {
    const web = await signIn('admin@msp.test');
    await createAsset(t.ctx, { clientId: a.client.id, name: 'COLS-1', os: 'Ubuntu 24.04', primaryInterface: { mac: '00:00:5e:00:53:01' } });
    const headers = (body: string) => [...body.matchAll(/<th scope="col"[^>]*>(?:<a[^>]*>)?([^<]+)/g)].map((m) => m[1]!.replace(/ [▴▾]$/, '').trim());
    const before = await web.get(`/clients/${a.client.id}/assets`);
    expect(headers(before.body)).toContain('MAC');
    expect(headers(before.body)).not.toContain('Operating system');
    const picked = await web.get(`/clients/${a.client.id}/assets?columns_set=1&col=os&col=serial`);
    expect(headers(picked.body)).toEqual(['Name', 'Type', 'Serial', 'Operating system']);
    expect(picked.body).toContain('Ubuntu 24.04');
    expect(headers((await web.get('/assets')).body)).toEqual(['Name', 'Type', 'Serial', 'Operating system']);
  });

  it('asks before deleting when the browser could not (no JavaScript), and deletes once confirmed', async () => {
    const web = await signIn('admin@msp.test');
    const one = await createAsset(t.ctx, { clientId: a.client.id, name: 'DEL-1' });
    const two = await createAsset(t.ctx, { clientId: a.client.id, name: 'DEL-2' });
    const exists = async (id: number) => Boolean(await t.store.db.selectFrom('assets').select('id').where('id', '=', id).executeTakeFirst());
    await web.get(`/assets/${one.id}`);
    const ask = await web.post(`/assets/${one.id}/delete`, {});
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Delete DEL-1?');
    expect(await exists(one.id)).toBe(true);
    expect((await web.post(`/assets/${one.id}/delete`, { confirmed: '1' })).statusCode).toBe(303);
    expect(await exists(one.id)).toBe(false);

    const askBulk = await web.post('/assets/bulk', { action: 'delete', ids: [String(two.id)], return_to: '/assets' });
    expect(askBulk.body).toContain('Delete 1 asset? The history is kept.');
    expect(askBulk.body).toContain(`name="ids" value="${two.id}"`);
    expect(await exists(two.id)).toBe(true);
    await web.post('/assets/bulk', { action: 'delete', ids: [String(two.id)], return_to: '/assets', confirmed: '1' });
    expect(await exists(two.id)).toBe(false);
  });

  it('exports the list as it is filtered, as a CSV download', async () => {
    const web = await signIn('admin@msp.test');
    await createAsset(t.ctx, { clientId: a.client.id, name: 'CSV-RETIRED', status: 'Retired' });
    const res = await web.get(`/clients/${a.client.id}/assets/export.csv?status=Retired&columns=name,status,client`);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="client-\d+-assets-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Name,Status,Client');
    expect(lines).toContain('CSV-RETIRED,Retired,Alpha Dental');
    expect(lines.slice(1).every((l) => l.endsWith(',Retired,Alpha Dental'))).toBe(true);
    expect((await web.get('/assets/export.csv?columns=nope')).statusCode).toBe(422);
    expect((await web.get(`/clients/${b.client.id}/assets`)).statusCode).toBe(200);
  });

  it('refuses a form posted without its CSRF token, changing nothing', async () => {
    const web = await signIn('admin@msp.test');
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'CSRF-TARGET' });
    const res = await web.post(`/assets/${asset.id}/archive`, { _csrf: 'forged' });
    expect(res.statusCode).toBe(403);
    const row = await t.store.db.selectFrom('assets').select('archived_at').where('id', '=', asset.id).executeTakeFirstOrThrow();
    expect(row.archived_at).toBeNull();
  });

  it('gives a technician limited to client A the same "not found" for client B\'s asset as for a missing one', async () => {
    const web = await signIn('limited@msp.test');
    const hidden = await web.get(`/assets/${bAssetId}`);
    const missing = await web.get('/assets/99999999');
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.body.replace(/value="[^"]*"/g, '')).toBe(missing.body.replace(/value="[^"]*"/g, ''));
    const list = await web.get('/assets?q=BETA-SERIAL');
    expect(list.body).not.toContain('BETA-FS');
    expect((await web.get(`/clients/${b.client.id}/assets`)).statusCode).toBe(404);
    // The export answers a hidden client exactly as a missing one.
    const hiddenCsv = await web.get(`/clients/${b.client.id}/assets/export.csv`);
    const missingCsv = await web.get('/clients/99999999/assets/export.csv');
    expect([hiddenCsv.statusCode, missingCsv.statusCode]).toEqual([404, 404]);
    expect(hiddenCsv.body.replace(/value="[^"]*"/g, '')).toBe(missingCsv.body.replace(/value="[^"]*"/g, ''));
    expect((await web.post('/assets/bulk', { action: 'archive', ids: [String(bAssetId)] })).statusCode).toBe(303);
    const row = await t.store.db.selectFrom('assets').select('archived_at').where('id', '=', bAssetId).executeTakeFirstOrThrow();
    expect(row.archived_at).toBeNull();
  });

  it('finds assets by serial, IP and MAC from the search box, and signs out', async () => {
    const web = await signIn('admin@msp.test');
    await createAsset(t.ctx, { clientId: a.client.id, name: 'FIND-ME', serial: 'ZX-4471', primaryInterface: { ip: '10.20.30.40', mac: '00:11:22:33:44:55' } });
    for (const q of ['ZX-4471', '10.20.30.40', '00:11:22:33:44:55', '001122334455']) {
      expect((await web.get(`/assets?q=${encodeURIComponent(q)}`)).body).toContain('FIND-ME');
    }
    await web.post('/sign-out', {});
    expect((await web.get('/assets')).statusCode).toBe(302);
  });
  it('refuses a wrong password with one message for any account, and slows down repeated failures (last: it slows this address for accounts never signed in from it)', async () => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    const wrong = await web.post('/sign-in', { email: 'admin@msp.test', password: 'nope' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Wrong email or password.');
    const unknown = await web.post('/sign-in', { email: 'nobody@msp.test', password: 'nope' });
    expect(unknown.body).toContain('Wrong email or password.');
    expect((await web.get('/assets')).headers.location).toBe('/sign-in?next=%2Fassets');
    // Guessing many accounts from one address (one account alone would meet its own growing delay first).
    for (let i = 0; i < 8; i++) await web.post('/sign-in', { email: `guess-${i}@msp.test`, password: 'nope' });
    // The address is now slowed for accounts never signed in from it (test/security/sign-in.test.ts shows
    // that an account's owner still gets in from an address they signed in from before).
    const slowed = await web.post('/sign-in', { email: 'never-here@msp.test', password: 'correct horse' });
    expect(slowed.statusCode).toBe(429);
    expect(slowed.body).toContain('Too many failed sign-ins');
  });
});
