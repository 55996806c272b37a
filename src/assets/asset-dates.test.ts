// Dates checked against each other (issue 16, point 6), on each database: a warranty ending, or an
// install, before the purchase is refused on the field by the form, the services and the CSV import;
// API v1 accepts it as ITFlow does and the asset's history says so. Old data that already breaks the
// rule does not stop an edit of something else.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { loadPrincipal } from '../access/access.ts';
import { createApiKey } from '../accounts/api-key.service.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { importAssets } from '../imports/asset-import.ts';
import { loadConfig } from '../platform/config.ts';
import { ValidationError } from '../platform/errors.ts';
import { dateOrderIssues } from './asset.rules.ts';
import { copyAsset, createAsset, getAsset, updateAsset } from './asset.service.ts';

describe('which dates are out of order', () => {
  it('looks only at pairs a write touches, comparing a date given alone with the stored other one', () => {
    const stored = { purchaseDate: '2024-05-01', warrantyExpire: '2024-04-01', installDate: null };
    expect(dateOrderIssues({ os: 'Linux' } as never, stored)).toEqual([]);
    expect(dateOrderIssues({ installDate: '2024-04-30' }, stored)).toEqual([
      { field: 'installDate', code: 'date_order', message: 'Install date is before the purchase date (2024-05-01)' },
    ]);
    expect(dateOrderIssues({ purchaseDate: '2024-06-01' }, { warrantyExpire: '2025-06-01', installDate: '2024-05-20' })).toEqual([
      { field: 'purchaseDate', code: 'date_order', message: 'Purchase date is after the install date (2024-05-20)' },
    ]);
    expect(dateOrderIssues({ warrantyExpire: '2024-05-01', purchaseDate: '2024-05-01' })).toEqual([]);
    expect(dateOrderIssues({ warrantyExpire: null }, stored)).toEqual([]);
  });
});

describe.each(DIALECTS)('asset dates in order on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let techKey: string;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Dates Co');
    await createUser(t.ctx, { email: 'dates-admin@msp.test', name: 'Admin', password: 'correct horse', role: 'admin' });
    await createUser(t.ctx, { email: 'dates-tech@keys.test', name: 'Tech', password: 'correct horse', role: 'technician' });
    techKey = (await createApiKey(t.ctx, { userEmail: 'dates-tech@keys.test', name: 'tech key' })).secret;
  });
  afterAll(async () => app.close());

  const problems = async (write: Promise<unknown>) => {
    const error = await write.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => `${i.field}: ${i.message}`);
  };
  const assetCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a create or an update with dates out of order, naming the field and the other date, and writes nothing', async () => {
    const before = await assetCount();
    expect(
      await problems(
        createAsset(t.ctx, { clientId: a.client.id, name: 'D-1', purchaseDate: '2024-05-01', warrantyExpire: '2024-04-30', installDate: '2024-04-01' }),
      ),
    ).toEqual(['warrantyExpire: Warranty ends before the purchase date (2024-05-01)', 'installDate: Install date is before the purchase date (2024-05-01)']);
    expect(await assetCount()).toBe(before);

    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'D-2', purchaseDate: '2024-05-01', warrantyExpire: '2027-05-01' });
    // One date changed alone is compared with the stored other one.
    expect(await problems(updateAsset(t.ctx, asset.id, { warrantyExpire: '2023-12-31' }))).toEqual([
      'warrantyExpire: Warranty ends before the purchase date (2024-05-01)',
    ]);
    expect(await problems(updateAsset(t.ctx, asset.id, { purchaseDate: '2028-01-01' }))).toEqual([
      'purchaseDate: Purchase date is after the warranty end (2027-05-01)',
    ]);
    expect(await getAsset(t.ctx, asset.id)).toMatchObject({ purchaseDate: '2024-05-01', warrantyExpire: '2027-05-01', version: 1 });
    // Both moved together, in order: fine. Clearing one: fine.
    await updateAsset(t.ctx, asset.id, { purchaseDate: '2028-01-01', warrantyExpire: '2031-01-01' });
    await updateAsset(t.ctx, asset.id, { purchaseDate: null });
    expect(await getAsset(t.ctx, asset.id)).toMatchObject({ purchaseDate: null, warrantyExpire: '2031-01-01' });
  });

  it('lets old data that already breaks the rule be edited otherwise, bulk-edited and copied', async () => {
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'D-OLD' });
    await t.store.db.updateTable('assets').set({ purchase_date: '2024-05-01', warranty_expire: '2020-01-01' }).where('id', '=', asset.id).execute();
    expect((await updateAsset(t.ctx, asset.id, { os: 'Linux', status: 'Retired' })).changed).toBe(true);
    const copy = await copyAsset(t.ctx, asset.id, { name: 'D-OLD-COPY' });
    expect(copy).toMatchObject({ purchaseDate: '2024-05-01', warrantyExpire: '2020-01-01' });
    // …but writing one of the two dates brings the pair under the rule.
    expect(await problems(updateAsset(t.ctx, asset.id, { warrantyExpire: '2021-01-01' }))).toEqual([
      'warrantyExpire: Warranty ends before the purchase date (2024-05-01)',
    ]);
  });

  it('rejects such CSV rows with the reason on the column, whether a new asset or an update of a stored one', async () => {
    const user = await createUser(t.ctx, { email: 'dates-importer@csv.test', name: 'Importer', password: 'correct horse', role: 'admin' });
    const principal = (await loadPrincipal(t.ctx, user.id))!;
    await createAsset(t.ctx, { clientId: a.client.id, name: 'CSV-STORED', purchaseDate: '2024-05-01' });
    const old = await createAsset(t.ctx, { clientId: a.client.id, name: 'CSV-OLD' });
    await t.store.db.updateTable('assets').set({ purchase_date: '2024-05-01', warranty_expire: '2020-01-01' }).where('id', '=', old.id).execute();
    const csv = [
      'Name,Purchase Date,Warranty Expire,Install Date,Operating System',
      'CSV-NEW,2024-05-01,2024-04-01,,',
      'CSV-STORED,,2024-01-31,,',
      'CSV-GOOD,2024-05-01,2027-05-01,2024-05-02,',
      // Stored out of order already, sent back as it is (an export re-imported) with another change.
      'CSV-OLD,2024-05-01,2020-01-01,,Linux',
    ].join('\n');
    const report = await importAssets(t.ctx, principal, [csv], { match: 'name', clientId: a.client.id, validOnly: true });
    expect(report.rows.map((r) => [r.line, r.verdict, ...(r.problems?.map((p) => `${p.field}: ${p.message}`) ?? [])])).toEqual([
      [2, 'rejected', 'Warranty Expire: Warranty ends before the purchase date (2024-05-01)'],
      [3, 'rejected', 'Warranty Expire: Warranty ends before the purchase date (2024-05-01)'],
      [4, 'create'],
      [5, 'update'],
    ]);
    const names = (await t.store.db.selectFrom('assets').select('name').where('name', 'like', 'CSV-%').execute()).map((r) => r.name).sort();
    expect(names).toEqual(['CSV-GOOD', 'CSV-OLD', 'CSV-STORED']);
    expect(await getAsset(t.ctx, old.id)).toMatchObject({ os: 'Linux', warrantyExpire: '2020-01-01' });
  });

  it('accepts them through API v1 as ITFlow does, with a warning in the history shown on the asset page', async () => {
    const post = (op: string, body: Record<string, unknown>) => http({ method: 'POST', url: `/api/v1/assets/${op}.php`, payload: body });
    const made = await post('create', {
      api_key: techKey,
      client_id: a.client.id,
      asset_name: 'V1-DATES',
      asset_purchase_date: '2024-05-01',
      asset_warranty_expire: '2024-04-01',
    });
    expect(made.json()).toMatchObject({ success: 'True' });
    const id = Number((made.json() as { data: Array<{ insert_id: number | string }> }).data[0]!.insert_id);
    expect(await getAsset(t.ctx, id)).toMatchObject({ purchaseDate: '2024-05-01', warrantyExpire: '2024-04-01' });
    // An update of the install date alone, before the stored purchase: kept, and warned about.
    expect((await post('update', { api_key: techKey, client_id: a.client.id, asset_id: id, asset_install_date: '2024-01-15' })).json()).toMatchObject({
      success: 'True',
    });
    // An update of something else says nothing of the dates.
    expect((await post('update', { api_key: techKey, client_id: a.client.id, asset_id: id, asset_os: 'Linux' })).json()).toMatchObject({ success: 'True' });
    const events = (await listAssetEvents(t.ctx, id)).events;
    expect(events.map((e) => [e.action, e.details?.warnings ?? null])).toEqual([
      ['updated', null],
      ['updated', ['Install date is before the purchase date (2024-05-01)']],
      ['created', ['Warranty ends before the purchase date (2024-05-01)']],
    ]);

    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'dates-admin@msp.test', password: 'correct horse' });
    const page = await web.get(`/assets/${id}`);
    expect(page.body).toContain('Warning: Warranty ends before the purchase date (2024-05-01)');
    expect(page.body).toContain('Warning: Install date is before the purchase date (2024-05-01)');
  });

  it('shows the problem beside the field in the asset form, keeping what was typed', async () => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'dates-admin@msp.test', password: 'correct horse' });
    await web.get(`/assets/new?client_id=${a.client.id}`);
    const before = await assetCount();
    const bad = await web.post(`/assets/new?client_id=${a.client.id}`, {
      name: 'FORM-DATES',
      purchase_date: '2024-05-01',
      warranty_expire: '2024-04-01',
      favorite: '0',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="f-warranty_expire-error"[^>]*>Warranty ends before the purchase date \(2024-05-01\)</);
    expect(bad.body).toMatch(/name="warranty_expire"[^>]*value="2024-04-01"/);
    expect(bad.body).toMatch(/name="purchase_date"[^>]*value="2024-05-01"/);
    expect(await assetCount()).toBe(before);

    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'FORM-EDIT', purchaseDate: '2024-05-01' });
    const form = await web.get(`/assets/${asset.id}/edit`);
    const fields = Object.fromEntries([...form.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const edit = await web.post(`/assets/${asset.id}/edit`, { ...fields, install_date: '2024-04-01', favorite: '0' });
    expect(edit.statusCode).toBe(422);
    expect(edit.body).toMatch(/id="f-install_date-error"[^>]*>Install date is before the purchase date \(2024-05-01\)</);
    expect(edit.body).toMatch(/name="install_date"[^>]*value="2024-04-01"/);

    // An asset stored with its dates out of order saves through its form when they are left as they are.
    await t.store.db.updateTable('assets').set({ warranty_expire: '2020-01-01' }).where('id', '=', asset.id).execute();
    const oldForm = await web.get(`/assets/${asset.id}/edit`);
    const oldFields = Object.fromEntries([...oldForm.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    expect(oldFields.warranty_expire).toBe('2020-01-01');
    expect((await web.post(`/assets/${asset.id}/edit`, { ...oldFields, os: 'Linux', favorite: '0' })).statusCode).toBe(303);
    expect(await getAsset(t.ctx, asset.id)).toMatchObject({ os: 'Linux', warrantyExpire: '2020-01-01' });
  });
});
