// Record rules under attack, over a real socket on each database: uniqueness that holds under parallel
// creates, edits that change only what the form declares, transfer reasons kept from users who may
// not see the other client, and logins kept from users without the logins module.
import { Migrator, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRole, setRoleLevels } from '../../src/accounts/role.service.ts';
import { createApiKey } from '../../src/accounts/api-key.service.ts';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { createLogin } from '../../src/logins/login.service.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { createTicket } from '../../src/tickets/ticket.service.ts';
import { transferAssets } from '../../src/transfers/transfer.service.ts';
import { loadPrincipal } from '../../src/access/access.ts';
import { createContact, updateContact } from '../../src/contacts/contact.service.ts';
import { MIGRATION_NAMES, migrationProvider } from '../../src/migrations/index.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { openStore } from '../../src/platform/db/store.ts';
import { createEmptyDatabase, DIALECTS, useTestDb } from '../support/databases.ts';
import { makeClientWithRecords } from '../support/factories.ts';
import type { HttpResponse } from '../support/http.ts';
import type { WebClient } from '../support/web-client.ts';
import { useWebApp } from '../support/web-app.ts';

const box = new SecretBox(Buffer.alloc(32, 7));

/** Exactly one request succeeded (a redirect), the others were refused with `message`; none failed. */
function oneCreatedRestRefused(results: HttpResponse[], message: string): void {
  expect(results.map((r) => r.statusCode).filter((s) => s >= 500)).toEqual([]);
  expect(results.filter((r) => r.statusCode === 303)).toHaveLength(1);
  for (const refused of results.filter((r) => r.statusCode !== 303)) {
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(message);
  }
}

describe.each(DIALECTS)('record rules on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t, { secretBox: box });
  let assetWriterRole: number;
  const signedIn = new Map<string, Promise<WebClient[]>>();
  /**
   * Separate browsers (sessions) of one user, each on `page`: requests of one session wait on each
   * other, those of separate sessions run side by side. Signed in once per user: signing in is slow.
   */
  const browsersAt = async (email: string, page: string, n: number) => {
    if (!signedIn.has(email)) {
      signedIn.set(
        email,
        (async () => {
          const browsers: WebClient[] = [];
          while (browsers.length < n) browsers.push(await site.signIn(email));
          return browsers;
        })(),
      );
    }
    const browsers = (await signedIn.get(email)!).slice(0, n);
    for (const web of browsers) expect((await web.get(page)).statusCode).toBe(200);
    return browsers;
  };

  beforeAll(async () => {
    await createUser(t.ctx, { email: 'boss@records.test', name: 'Boss', password: 'correct horse', role: 'admin' });
    assetWriterRole = await createRole(t.ctx, 'Asset writer');
    await setRoleLevels(t.ctx, assetWriterRole, { client: 1, support: 2, credential: 0, sales: 0, financial: 0, reporting: 0 });
    await createUser(t.ctx, { email: 'writer@records.test', name: 'Writer', password: 'correct horse', role: 'Asset writer' });
  });

  it('creates one contact per e-mail (any case) however many arrive at once; the rest get the field message', async () => {
    const c = await makeClientWithRecords(t.ctx);
    const emails = ['Dup@Example.test', 'dup@example.test', 'DUP@EXAMPLE.TEST', 'dup@Example.Test', 'Dup@example.test', 'dUp@example.test'];
    const browsers = await browsersAt('tech@example.test', `/clients/${c.client.id}/contacts/new`, emails.length);
    const results = await Promise.all(emails.map((email, i) => browsers[i]!.post(`/clients/${c.client.id}/contacts/new`, { name: `Twin ${i}`, email })));
    oneCreatedRestRefused(results, 'Another contact of this client already has the email');
    const rows = await t.ctx.db.selectFrom('contacts').select('email').where('client_id', '=', c.client.id).where('name', 'like', 'Twin %').execute();
    expect(rows).toHaveLength(1);
  });

  it('adds one tag and one list value per name however many arrive at once, with no server error', async () => {
    const browsers = await browsersAt('boss@records.test', '/admin/lists', 6);
    const tags = await Promise.all(
      ['Critical', 'critical', 'CRITICAL', 'Critical', 'cRitical', 'critical'].map((name, i) => browsers[i]!.post('/admin/tags', { name })),
    );
    oneCreatedRestRefused(tags, 'tag named');
    const values = await Promise.all(
      ['Smart fridge', 'smart fridge', 'SMART FRIDGE', 'Smart Fridge', 'smart FRIDGE', 'sMart fridge'].map((name, i) =>
        browsers[i]!.post('/admin/lists/asset_type', { name }),
      ),
    );
    oneCreatedRestRefused(values, 'is already in the list');
    expect(await t.ctx.db.selectFrom('tags').select('id').where(sql`lower(name)`, '=', 'critical').execute()).toHaveLength(1);
    expect(
      await t.ctx.db.selectFrom('list_values').select('id').where('list', '=', 'asset_type').where(sql`lower(name)`, '=', 'smart fridge').execute(),
    ).toHaveLength(1);
  });

  it("keeps a ticket's status, priority and contact when the edit does not send them", async () => {
    const c = await makeClientWithRecords(t.ctx);
    const ticket = await createTicket(t.ctx, { clientId: c.client.id, subject: 'Printer jam', status: 'Open', priority: 'High', contactId: c.contact.id });
    const web = await site.signIn('tech@example.test');
    await web.get(`/tickets/${ticket.id}/edit`);
    const saved = await web.post(`/tickets/${ticket.id}/edit`, { subject: 'Printer jam again' });
    expect(saved.statusCode).toBe(303);
    const row = await t.ctx.db
      .selectFrom('tickets')
      .select(['subject', 'status', 'priority', 'contact_id'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ subject: 'Printer jam again', status: 'Open', priority: 'High', contact_id: c.contact.id });
  });

  it("keeps a location's flag when the edit does not send it, and clears it when the form says so", async () => {
    const c = await makeClientWithRecords(t.ctx);
    const web = await site.signIn('tech@example.test');
    const edit = await web.get(`/locations/${c.location.id}/edit`);
    expect(edit.body).toMatch(/<input type="hidden" name="primary" value(="")?\/?><input class="form-check-input" type="checkbox"/);
    expect((await web.post(`/locations/${c.location.id}/edit`, { primary: ['', '1'] })).statusCode).toBe(303);
    expect((await web.post(`/locations/${c.location.id}/edit`, { city: 'Leeds' })).statusCode).toBe(303);
    const kept = await t.ctx.db.selectFrom('locations').select(['name', 'city', 'is_primary']).where('id', '=', c.location.id).executeTakeFirstOrThrow();
    expect({ ...kept, is_primary: Boolean(kept.is_primary) }).toEqual({ name: 'Head Office', city: 'Leeds', is_primary: true });
    expect((await web.post(`/locations/${c.location.id}/edit`, { primary: '' })).statusCode).toBe(303);
    const cleared = await t.ctx.db.selectFrom('locations').select('is_primary').where('id', '=', c.location.id).executeTakeFirstOrThrow();
    expect(Boolean(cleared.is_primary)).toBe(false);
  });

  it('refuses a role post without module levels and changes nothing', async () => {
    const web = await site.signIn('boss@records.test');
    await web.get('/admin/roles');
    const refused = await web.post(`/admin/roles/${assetWriterRole}`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toMatch(/Required: choose a level/);
    const levels = await t.ctx.db.selectFrom('role_permissions').select(['module', 'level']).where('role_id', '=', assetWriterRole).execute();
    expect(Object.fromEntries(levels.map((l) => [l.module, l.level]))).toMatchObject({ client: 1, support: 2, credential: 0 });
  });

  it('refuses an asset edit that does not say which version it edits', async () => {
    const c = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'PC-VERSION' });
    const web = await site.signIn('tech@example.test');
    await web.get(`/assets/${asset.id}/edit`);
    const refused = await web.post(`/assets/${asset.id}/edit`, { name: 'PC-RENAMED' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('reload the page');
    const row = await t.ctx.db.selectFrom('assets').select(['name', 'version']).where('id', '=', asset.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'PC-VERSION', version: asset.version });
  });

  it('tells a user who sees only one side of a transfer that a reason was given, not the reason', async () => {
    const seller = await makeClientWithRecords(t.ctx, 'Hidden Seller Ltd');
    const buyer = await makeClientWithRecords(t.ctx, 'Buyer Ltd');
    const asset = await createAsset(t.ctx, { clientId: seller.client.id, name: 'XFER-REASON' });
    const boss = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'boss@records.test').executeTakeFirstOrThrow();
    const result = await transferAssets(t.ctx, (await loadPrincipal(t.ctx, boss.id))!, {
      assetIds: [asset.id],
      toClientId: buyer.client.id,
      reason: 'Hidden Seller Ltd went bust',
    });
    const copyId = result.transfers[0]!.toAssetId;
    const limited = await createUser(t.ctx, { email: 'buyer-only@records.test', name: 'Buyer only', password: 'correct horse', role: 'technician' });
    await t.ctx.db.insertInto('user_client_access').values({ user_id: limited.id, client_id: buyer.client.id, mode: 'allow' }).execute();

    const web = await site.signIn('buyer-only@records.test');
    const page = await web.get(`/assets/${copyId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('A reason was given');
    expect(page.body).not.toContain('went bust');
    const key = (await createApiKey(t.ctx, { userEmail: 'buyer-only@records.test', name: 'buyer key' })).secret;
    const history = await site.http({ url: `/api/v2/assets/${copyId}/history?include_lineage=true`, headers: { authorization: `Bearer ${key}` } });
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('a reason was given');
    expect(history.body).not.toContain('went bust');

    const full = await (await site.signIn('boss@records.test')).get(`/assets/${copyId}`);
    expect(full.body).toContain('Reason: Hidden Seller Ltd went bust');
  });

  it('keeps login names and URIs from a user without the logins module, and refuses them a link', async () => {
    const c = await makeClientWithRecords(t.ctx);
    const other = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'FW-LOGINS' });
    await createLogin(t.ctx, box, { clientId: c.client.id, name: 'Firewall root', uri: 'https://fw.secret.example', assetId: asset.id });
    const spare = await createLogin(t.ctx, box, { clientId: c.client.id, name: 'Spare switch admin', uri: 'https://sw.secret.example' });

    const web = await site.signIn('writer@records.test');
    const page = await web.get(`/assets/${asset.id}`);
    expect(page.statusCode).toBe(200);
    for (const hidden of ['Firewall root', 'fw.secret.example', 'Spare switch admin']) expect(page.body).not.toContain(hidden);
    const preview = await web.get(`/assets/transfer?ids=${asset.id}&to=${other.client.id}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('FW-LOGINS');
    expect(preview.body).not.toContain('Firewall root');
    const key = (await createApiKey(t.ctx, { userEmail: 'writer@records.test', name: 'writer key' })).secret;
    const history = await site.http({ url: `/api/v2/assets/${asset.id}/history`, headers: { authorization: `Bearer ${key}` } });
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('login_linked');
    expect(history.body).not.toContain('Firewall root');

    const link = await web.post(`/assets/${asset.id}/logins`, { login_id: String(spare.id) });
    expect(link.statusCode).toBe(403);
    const row = await t.ctx.db.selectFrom('logins').select('asset_id').where('id', '=', spare.id).executeTakeFirstOrThrow();
    expect(row.asset_id).toBeNull();
  });
});

describe.each(DIALECTS)('the unique e-mail migration on %s', (dialect) => {
  it('keeps contacts that already share an e-mail, and refuses a new one', async () => {
    const { url, drop } = await createEmptyDatabase(dialect);
    const store = openStore({ kind: dialect, url });
    try {
      const before = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('20261201_0013_unique_values') - 1]!;
      const { error } = await new Migrator({ db: store.db, provider: migrationProvider(dialect) }).migrateTo(before);
      expect(error).toBeUndefined();
      const at = new Date().toISOString();
      const { id: clientId } = await store.db.insertInto('clients').values({ name: 'Old Data', created_at: at }).returning('id').executeTakeFirstOrThrow();
      const contact = (name: string, email: string | null) => ({ client_id: clientId, name, email, created_at: at });
      await store.db
        .insertInto('contacts')
        .values([
          contact('First', 'Shared@Old.test'),
          contact('Second', 'shared@old.test'),
          contact('Third', 'SHARED@OLD.TEST'),
          contact('Other', 'other@old.test'),
          contact('None', null),
          contact('None 2', null),
        ])
        .execute();

      await migrateToLatest(store);
      const kept = await store.db.selectFrom('contacts').select(['name', 'email']).where('client_id', '=', clientId).orderBy('id').execute();
      expect(kept.map((c) => c.email)).toEqual(['Shared@Old.test', 'shared@old.test', 'SHARED@OLD.TEST', 'other@old.test', null, null]);
      const system: Ctx = { db: store.db, dialect, actor: { type: 'system', name: 'test' }, principal: null, source: 'system' };
      await expect(store.db.insertInto('contacts').values(contact('Fourth', 'sHaReD@old.test')).execute()).rejects.toThrow();
      await expect(store.db.insertInto('contacts').values(contact('Fifth', 'OTHER@old.test')).execute()).rejects.toThrow();
      await expect(createContact(system, { clientId, name: 'Via rules', email: 'other@OLD.test' })).rejects.toThrow(/already has the email/);
      await updateContact(system, (await store.db.selectFrom('contacts').select('id').where('name', '=', 'Third').executeTakeFirstOrThrow()).id, {
        title: 'Still here',
      });
      // Saved from its form, which sends the e-mail it already has: no clash with its older twins.
      const second = (await store.db.selectFrom('contacts').select('id').where('name', '=', 'Second').executeTakeFirstOrThrow()).id;
      await updateContact(system, second, { title: 'Edited', email: 'shared@old.test' });
      await expect(updateContact(system, second, { email: 'other@old.test' })).rejects.toThrow(/already has the email/);
    } finally {
      await store.close();
      await drop();
    }
  });
});
