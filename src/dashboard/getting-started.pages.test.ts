// First run, over a real socket on each database: after setup the administrator lands on the
// getting-started checklist, which ticks each step as it is done, stands in for the empty asset list
// until then (or until hidden), and is linked from the dashboard. The plural, "Required" and IP
// wording the newcomer meets on the way is checked here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS, useTestDb, type TestDb } from '../../test/support/databases.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createClient } from '../clients/client.service.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { openStore } from '../platform/db/store.ts';
import type { DatabaseKind } from '../platform/config.ts';

/** A new database with no user at all, as `steward serve` meets it on first run. */
function useNewDatabase(dialect: DatabaseKind): TestDb {
  const t = {} as TestDb;
  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    const store = openStore({ kind: dialect, url: db.url });
    await migrateToLatest(store);
    const ctx = { db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, principal: null, source: 'system' as const };
    Object.assign(t, { store, url: db.url, ctx, drop: async () => (await store.close(), await db.drop()) });
  });
  afterAll(async () => t.drop());
  return t;
}

const PASSWORD = 'plum-orchard-lantern-47';

/** Each step's state as the page shows it. */
function steps(body: string): Record<string, string> {
  return Object.fromEntries([...body.matchAll(/data-step="(\w+)" data-done="(yes|no)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe.each(DIALECTS)('getting started on %s', (dialect) => {
  const t = useNewDatabase(dialect);
  const site = useWebApp(t);
  let web: WebClient;

  it('lands the new administrator on the checklist, with nothing done yet', async () => {
    web = new WebClient(site.http);
    await web.get('/setup');
    const done = await web.post('/setup', { company: 'Acme IT', name: 'Ada', email: 'ada@first.test', password: PASSWORD, password_confirm: PASSWORD });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/welcome');
    const page = await web.get('/welcome');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Getting started');
    expect(page.body).toContain('Welcome, Ada.');
    expect(steps(page.body)).toEqual({ client: 'no', asset: 'no', colleague: 'no', apiKey: 'no' });
    expect(page.body).toContain('0 of 4 steps done');
    for (const href of ['/clients/new', '/assets/import', '/admin/users/new', '/admin/api-keys']) expect(page.body).toContain(`href="${href}"`);
    // The empty asset list is the checklist too.
    const list = await web.get('/assets');
    expect(list.statusCode).toBe(200);
    expect(steps(list.body)).toEqual({ client: 'no', asset: 'no', colleague: 'no', apiKey: 'no' });
  });

  it('ticks each step once it is done, then gives the asset list back', async () => {
    await web.get('/clients/new');
    const client = await web.post('/clients/new', { name: 'Dental Co' });
    expect(client.statusCode).toBe(303);
    expect(steps((await web.get('/welcome')).body)).toEqual({ client: 'yes', asset: 'no', colleague: 'no', apiKey: 'no' });

    const clientId = Number(/\/clients\/(\d+)\/assets/.exec(client.headers.location as string)?.[1]);
    const welcome = await web.get('/welcome');
    expect(welcome.body).toContain(`href="/assets/new?client_id=${clientId}"`);
    await web.get(`/assets/new?client_id=${clientId}`);
    expect((await web.post(`/assets/new?client_id=${clientId}`, { name: 'DC-PC-01', type: 'Desktop' })).statusCode).toBe(303);
    expect(steps((await web.get('/welcome')).body)).toMatchObject({ client: 'yes', asset: 'yes', colleague: 'no' });

    await createUser(t.ctx, { email: 'tess@first.test', name: 'Tess', password: PASSWORD, role: 'technician' });
    await web.get('/admin/api-keys');
    const key = await web.post('/admin/api-keys', { user: 'ada@first.test', name: 'RMM' });
    expect(key.statusCode).toBe(200);
    const all = await web.get('/welcome');
    expect(steps(all.body)).toEqual({ client: 'yes', asset: 'yes', colleague: 'yes', apiKey: 'yes' });
    expect(all.body).toContain('4 of 4 steps done');
    // All done: the asset list is the list again, and the dashboard no longer points at the checklist.
    const list = await web.get('/assets');
    expect(list.body).toContain('DC-PC-01');
    expect(steps(list.body)).toEqual({});
    expect((await web.get('/dashboard')).body).not.toContain('data-getting-started');
  });

  it('keeps the checklist from other users', async () => {
    const tess = await site.signIn('tess@first.test', PASSWORD);
    const res = await tess.get('/welcome');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/dashboard');
    expect((await tess.post('/welcome/hide', { hidden: '1' })).statusCode).toBe(403);
  });
});

describe.each(DIALECTS)('hiding the checklist on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'boss@hide.test', name: 'Boss', password: PASSWORD, role: 'admin' });
    await createUser(t.ctx, { email: 'other@hide.test', name: 'Other admin', password: PASSWORD, role: 'admin' });
  });

  it('hides it for the user who asks, who finds it again from the dashboard', async () => {
    const web = await site.signIn('boss@hide.test', PASSWORD);
    expect(steps((await web.get('/assets')).body)).toMatchObject({ colleague: 'yes', client: 'no' });
    const hidden = await web.post('/welcome/hide', { hidden: '1' });
    expect(hidden.statusCode).toBe(303);
    const list = await web.get(hidden.headers.location as string);
    expect(steps(list.body)).toEqual({});
    expect(list.body).toContain('There are no clients yet');
    const dashboard = await web.get('/dashboard');
    expect(dashboard.body).toContain('data-getting-started');
    expect(dashboard.body).toContain('href="/welcome"');
    expect(dashboard.body).toContain('1 of 4 steps done');
    // Another administrator still has it.
    const other = await site.signIn('other@hide.test', PASSWORD);
    expect(steps((await other.get('/assets')).body)).toMatchObject({ client: 'no' });
    // And it comes back when asked.
    const welcome = await web.get('/welcome');
    expect(welcome.body).toContain('Show this checklist on the asset list again');
    await web.post('/welcome/hide', { hidden: '0' });
    expect(steps((await web.get('/assets')).body)).toMatchObject({ client: 'no' });
  });
});

describe.each(DIALECTS)('wording a newcomer meets on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  let clientId: number;
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'admin@words.test', name: 'Admin', password: PASSWORD, role: 'admin' });
    clientId = (await createClient(t.ctx, { name: 'Words Co' })).id;
  });

  it('counts "1 asset" and "3 assets"', async () => {
    const web = await site.signIn('admin@words.test', PASSWORD);
    await createAsset(t.ctx, { clientId, name: 'ONE-1' });
    const one = await web.get('/dashboard');
    expect(one.body).toMatch(/>1<\/strong> asset added this year/);
    await createAsset(t.ctx, { clientId, name: 'TWO-2' });
    await createAsset(t.ctx, { clientId, name: 'THREE-3' });
    const three = await web.get('/dashboard');
    expect(three.body).toMatch(/>3<\/strong> assets added this year/);
    expect(three.body).not.toContain('(s)');
    // The client that still has assets cannot be deleted, and the message counts them the same way.
    await web.get(`/clients/${clientId}`);
    const refused = await web.post(`/clients/${clientId}/delete`, {});
    const after = await web.get((refused.headers.location as string | undefined) ?? `/clients/${clientId}`);
    expect(after.body).toContain('still has 3 assets');
  });

  it('says "Required" under a missing field and which addresses an IP field takes', async () => {
    const web = await site.signIn('admin@words.test', PASSWORD);
    await web.get(`/assets/new?client_id=${clientId}`);
    const bad = await web.post(`/assets/new?client_id=${clientId}`, { name: '', type: 'Desktop', ip: '10.0.0.300' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/class="invalid-feedback">Required</);
    expect(bad.body).toContain('Enter an IPv4 address such as 192.168.1.10, or DHCP (&quot;10.0.0.300&quot; is neither)');
    const v6 = await web.post(`/assets/new?client_id=${clientId}`, { name: 'V6', type: 'Desktop', ip: '2001:db8::5' });
    expect(v6.body).toContain('an IPv6 address has a field of its own');
    // The client form says the same for its own required name.
    await web.get('/clients/new');
    expect((await web.post('/clients/new', { name: '' })).body).toMatch(/class="invalid-feedback">Required</);
  });
});
