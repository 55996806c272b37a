// The search pages over a real socket, on each database: the top bar's results grouped by kind with
// their counts, straight to the asset when it is the only match, nothing of a hidden client; and the
// record lists' own search boxes ignoring accents and case.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import { createLogin } from '../logins/login.service.ts';
import { SecretBox } from '../platform/secrets.ts';

const box = new SecretBox(Buffer.alloc(32, 5));

describe.each(DIALECTS)('search pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t, { secretBox: box });
  let ours: number;
  let assetId: number;

  beforeAll(async () => {
    ours = (await createClient(t.ctx, { name: 'Café Olé' })).id;
    const theirs = (await createClient(t.ctx, { name: 'Other Café' })).id;
    await createUser(t.ctx, { email: 'admin@search-pages.test', name: 'Admin', password: 'correct horse', role: 'admin' });
    await createUser(t.ctx, { email: 'tech@search-pages.test', name: 'Tech', password: 'correct horse', role: 'technician' });
    const tech = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'tech@search-pages.test').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('user_client_access').values({ user_id: tech.id, client_id: ours, mode: 'allow' }).execute();
    await createContact(t.ctx, { clientId: ours, name: 'Anna Müller', email: 'anna@cafe-ole.test' });
    await createContact(t.ctx, { clientId: theirs, name: 'Hidden Müller' });
    await createLocation(t.ctx, { clientId: ours, name: 'Crème Street' });
    await createLogin(t.ctx, box, { clientId: ours, name: 'Wi-Fi Façade', password: 'x' });
    assetId = (await createAsset(t.ctx, { clientId: ours, name: 'POS-01', primaryInterface: { mac: '00:15:5D:01:02:03', ip: '10.0.0.5' } })).id;
  });

  it('groups the matches under a heading per kind with its count', async () => {
    const web = await site.signIn('admin@search-pages.test');
    const page = await web.get('/search?q=muller');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<h2 id="search-contacts" class="h5">Contacts <span class="badge text-bg-secondary">2<\/span><\/h2>/);
    expect(page.body).toContain('>Anna Müller</a>');
    expect(page.body).toContain('>Hidden Müller</a>');
    expect(page.body).not.toContain('id="search-assets"');
    const cafe = await web.get('/search?q=CAFE');
    expect(cafe.body).toMatch(/Clients <span class="badge text-bg-secondary">2<\/span>/);
    expect(cafe.body).toContain('value="CAFE"');
    expect((await web.get('/search?q=zzzz')).body).toContain('Nothing matches &quot;zzzz&quot;.');
    expect((await web.get('/search')).statusCode).toBe(200);
  });

  it('goes straight to the asset when a pasted MAC or IP finds only it', async () => {
    const web = await site.signIn('admin@search-pages.test');
    for (const q of ['00-15-5D-01-02-03', '0015.5d01.0203', '00155d010203', '10.0.0.5/24']) {
      const res = await web.get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(302);
      expect(res.headers.location).toBe(`/assets/${assetId}`);
    }
    // The list's own search finds it too, in the client's list and in all clients'.
    for (const path of ['/assets', `/clients/${ours}/assets`]) {
      expect((await web.get(`${path}?q=${encodeURIComponent('00-15-5D-01-02')}`)).body).toContain(`href="/assets/${assetId}"`);
    }
  });

  it("shows a user limited to one client nothing of another's", async () => {
    const web = await site.signIn('tech@search-pages.test');
    const page = await web.get('/search?q=muller');
    expect(page.body).toContain('>Anna Müller</a>');
    expect(page.body).not.toContain('Hidden Müller');
    expect(page.body).toMatch(/Contacts <span class="badge text-bg-secondary">1<\/span>/);
    expect((await web.get('/search?q=other')).body).not.toContain('Other Café');
  });

  it('searches the record lists without regard to accents or case', async () => {
    const web = await site.signIn('admin@search-pages.test');
    expect((await web.get(`/clients/${ours}/contacts?q=MULLER`)).body).toContain('Anna Müller</a>');
    expect((await web.get(`/clients/${ours}/contacts?q=${encodeURIComponent('müller')}`)).body).toContain('Anna Müller</a>');
    expect((await web.get(`/clients/${ours}/locations?q=creme`)).body).toContain('Crème Street</a>');
    expect((await web.get(`/clients/${ours}/locations?q=${encodeURIComponent('CRÈME')}`)).body).toContain('Crème Street</a>');
    expect((await web.get(`/clients/${ours}/logins?q=facade`)).body).toContain('Wi-Fi Façade</a>');
    expect((await web.get('/clients?q=cafe%20ole')).body).toContain('Café Olé</a>');
    expect((await web.get(`/clients?q=${encodeURIComponent('CAFÉ')}`)).body).toContain('Other Café</a>');
  });
});
