// The client pages over a real socket, on each database: the list limited to the user's clients, the
// overview with its counts and what needs attention (warranties, retirement), edit with the rules'
// message, archive and restore.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { addDays, addYears, todayOf } from '../platform/dates.ts';

describe.each(DIALECTS)('client pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'admin@clients.test', name: 'Admin', password: 'correct horse', role: 'admin' });
  });

  it('shows the overview: counts, favorites, warranties ending and ended, and assets due for retirement', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Overview Co');
    const today = todayOf(t.ctx);
    await createAsset(t.ctx, { clientId: c.client.id, name: 'STAR-1', favorite: true });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'ENDING-1', warrantyExpire: addDays(today, 10) });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'LATER-1', warrantyExpire: addDays(today, 200) });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'ENDED-1', warrantyExpire: addDays(today, -3) });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'OLD-1', installDate: addYears(today, -8) });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'NEARLY-OLD', installDate: addDays(addYears(today, -7), 30) });
    await createAsset(t.ctx, { clientId: c.client.id, name: 'YOUNG-1', installDate: addYears(today, -2) });
    const web = await site.signIn('admin@clients.test');
    const page = await web.get(`/clients/${c.client.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-count="Assets">7<');
    expect(page.body).toContain('data-count="Locations">1<');
    const section = (id: string) => page.body.slice(page.body.indexOf(`id="${id}"`), page.body.indexOf('</section>', page.body.indexOf(`id="${id}"`)));
    expect(section('ov-favorites')).toContain('STAR-1');
    expect(section('ov-ending')).toContain('ENDING-1');
    expect(section('ov-ending')).not.toContain('LATER-1');
    expect(section('ov-expired')).toContain('ENDED-1');
    expect(section('ov-retire')).toContain('OLD-1');
    expect(section('ov-retire')).toContain('NEARLY-OLD');
    expect(section('ov-retire')).not.toContain('YOUNG-1');
  });

  it("lists only the user's clients, edits with the rules' message, archives and restores", async () => {
    const mine = await makeClientWithRecords(t.ctx, 'Mine Ltd');
    const other = await makeClientWithRecords(t.ctx, 'Not Yours Ltd');
    const tech = await createUser(t.ctx, { email: 'tech@clients.test', name: 'Tech', password: 'correct horse', role: 'technician' });
    await t.store.db.insertInto('user_client_access').values({ user_id: tech.id, client_id: mine.client.id, mode: 'allow' }).execute();
    const limited = await site.signIn('tech@clients.test');
    const list = await limited.get('/clients');
    expect(list.body).toContain('Mine Ltd</a>');
    expect(list.body).not.toContain('Not Yours Ltd');
    expect((await limited.get(`/clients/${other.client.id}`)).statusCode).toBe(404);

    const web = await site.signIn('admin@clients.test');
    await web.get(`/clients/${mine.client.id}/edit`);
    const bad = await web.post(`/clients/${mine.client.id}/edit`, { name: '', website: 'mine.example' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('>Required<');
    await web.post(`/clients/${mine.client.id}/edit`, { name: 'Mine Limited', type: 'Managed', website: 'mine.example', notes: '' });
    expect((await web.get(`/clients/${mine.client.id}`)).body).toContain('Managed · mine.example');
    await web.post(`/clients/${mine.client.id}/archive`, {});
    expect((await web.get('/clients')).body).not.toContain('Mine Limited</a>');
    expect((await web.get('/clients?archived=1')).body).toContain('Mine Limited</a>');
    await web.post(`/clients/${mine.client.id}/restore`, {});
    expect((await web.get('/clients?q=limited')).body).toContain('Mine Limited</a>');

    // A client with assets cannot be deleted; one without goes with its records.
    const withAsset = await makeClientWithRecords(t.ctx, 'Has Assets Ltd');
    await createAsset(t.ctx, { clientId: withAsset.client.id, name: 'KEEP-ME' });
    await web.get(`/clients/${withAsset.client.id}`);
    await web.post(`/clients/${withAsset.client.id}/delete`, { confirmed: '1' });
    expect((await web.get(`/clients/${withAsset.client.id}`)).body).toContain('still has 1 asset,');
    const empty = await makeClientWithRecords(t.ctx, 'Empty Ltd');
    const overview = await web.get(`/clients/${empty.client.id}`);
    expect(overview.body).toContain(`action="/clients/${empty.client.id}/delete"`);
    expect((await web.post(`/clients/${empty.client.id}/delete`, {})).body).toContain('is deleted for good, with its locations');
    await web.post(`/clients/${empty.client.id}/delete`, { confirmed: '1' });
    expect((await web.get(`/clients/${empty.client.id}`)).statusCode).toBe(404);
    expect(await t.store.db.selectFrom('locations').select('id').where('client_id', '=', empty.client.id).execute()).toEqual([]);
  });
});
