// The import screens over a real socket, on each database: upload, mapping, preview with verdicts,
// commit, summary and the rejected rows; CSRF on the upload; the interface import from an asset page;
// and another user's upload staying out of reach.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/itflow/${name}`, import.meta.url), 'utf8');

describe.each(DIALECTS)('import screens on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'boss@imp.test', name: 'Boss', password: 'correct horse', role: 'admin' });
    await createUser(t.ctx, { email: 'other@imp.test', name: 'Other', password: 'correct horse', role: 'technician' });
  });

  it('uploads, maps a column by hand, previews every verdict, commits valid rows, and offers the rejected ones', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Upload Co');
    await createAsset(t.ctx, { clientId: c.client.id, name: 'EXISTING-1', model: 'Old' });
    const web = await site.signIn('boss@imp.test');
    const list = await web.get(`/clients/${c.client.id}/assets`);
    expect(list.body).toContain(`href="/clients/${c.client.id}/assets/import"`);
    const form = await web.get(`/clients/${c.client.id}/assets/import`);
    expect(form.body).toContain('enctype="multipart/form-data"');

    const file = 'Asset Name,Model,Kit Location,Purchase Date\r\nNEW-1,T14,Head Office,2024-01-01\r\nexisting-1,New,,\r\nBAD-1,,Basement,2024-02-31\r\n';
    const refused = await web.upload(
      '/imports',
      { kind: 'assets', client: String(c.client.id), asset: '', _csrf: 'forged' },
      { name: 'kit.csv', content: file },
    );
    expect(refused.statusCode).toBe(403);
    expect(await t.store.db.selectFrom('stored_files').select('id').execute()).toEqual([]);

    const uploaded = await web.upload('/imports', { kind: 'assets', client: String(c.client.id), asset: '' }, { name: 'kit.csv', content: file });
    expect(uploaded.statusCode).toBe(302);
    const importUrl = uploaded.headers.location as string;
    const mapping = await web.get(importUrl);
    expect(mapping.body).toContain('Not recognised, so not imported: Kit Location.');
    expect(mapping.body).toMatch(/name="column_0"[\s\S]*?<option value="name" selected>/);

    await web.post(`${importUrl}/options`, {
      column_0: 'name',
      column_1: 'model',
      column_2: 'location',
      column_3: 'purchaseDate',
      match: 'name',
      missing_location: 'reject',
    });
    const preview = await web.get(`${importUrl}/preview`);
    expect(preview.body).toContain('data-count="create">1<');
    expect(preview.body).toContain('data-count="update">1<');
    expect(preview.body).toContain('data-count="rejected">1<');
    expect(preview.body).toContain('Changes: Model');
    expect(preview.body).toContain('Kit Location: this client has nothing named &quot;Basement&quot;');
    expect(preview.body).toContain('Import the 2 valid rows only');
    const rejectedPreview = await web.get(`${importUrl}/rejected.csv`);
    expect(rejectedPreview.body).toBe(
      'Asset Name,Model,Kit Location,Purchase Date,Line,Reason\r\nBAD-1,,Basement,2024-02-31,4,"Kit Location: this client has nothing named ""Basement""; Purchase Date: ""2024-02-31"" is not a real calendar date"\r\n',
    );

    const committed = await web.post(`${importUrl}/commit`, { valid_only: '1' });
    expect(committed.headers.location).toBe(importUrl);
    const summary = await web.get(importUrl);
    expect(summary.body).toContain('1 created, 1 updated, 0 unchanged, 1 rejected and not imported');
    expect((await web.get(`${importUrl}/rejected.csv`)).body).toContain('BAD-1,,Basement');
    const names = await t.store.db.selectFrom('assets').select(['name', 'model', 'location_id']).where('client_id', '=', c.client.id).orderBy('name').execute();
    expect(names).toEqual([
      { name: 'EXISTING-1', model: 'New', location_id: null },
      { name: 'NEW-1', model: 'T14', location_id: c.location.id },
    ]);

    const twice = await web.post(`${importUrl}/commit`, {});
    expect(twice.headers.location).toBe(importUrl);
    expect(await t.store.db.selectFrom('assets').select('id').where('client_id', '=', c.client.id).execute()).toHaveLength(2);
    // The second commit changed nothing, not even the first one's rejected rows.
    expect((await web.get(`${importUrl}/rejected.csv`)).body).toContain('BAD-1,,Basement');

    const other = await site.signIn('other@imp.test');
    expect((await other.get(importUrl)).statusCode).toBe(404);
    expect((await other.get(`${importUrl}/rejected.csv`)).statusCode).toBe(404);
  });

  it("imports an asset's interfaces from ITFlow's export, and refuses a workbook or an empty file", async () => {
    const c = await makeClientWithRecords(t.ctx, 'Interface Upload Co');
    const server = await createAsset(t.ctx, { clientId: c.client.id, name: 'SRV-UP' });
    const web = await site.signIn('boss@imp.test');
    const page = await web.get(`/assets/${server.id}`);
    expect(page.body).toContain(`href="/assets/${server.id}/interfaces/import"`);
    await web.get(`/assets/${server.id}/interfaces/import`);
    const workbook = await web.upload(
      '/imports',
      { kind: 'interfaces', client: '', asset: String(server.id) },
      { name: 'book.xlsx', content: Buffer.from('PK\x03\x04rest of a zip') },
    );
    expect(workbook.statusCode).toBe(422);
    expect(workbook.body).toContain('This is a workbook (.xlsx), not a CSV file');
    const empty = await web.upload('/imports', { kind: 'interfaces', client: '', asset: String(server.id) }, { name: 'empty.csv', content: '' });
    expect(empty.body).toContain('The file is empty.');

    const text = fixture('itflow-interfaces-export.csv').replaceAll('LAN Office', 'LAN');
    const uploaded = await web.upload('/imports', { kind: 'interfaces', client: '', asset: String(server.id) }, { name: 'ifaces.csv', content: text });
    const preview = await web.get(uploaded.headers.location as string);
    expect(preview.body).toContain('data-count="create">2<');
    expect(preview.body).toContain('data-count="update">1<');
    const done = await web.post(`${(uploaded.headers.location as string).replace('/preview', '')}/commit`, {});
    const summary = await web.get(done.headers.location as string);
    expect(summary.body).toContain('2 created, 1 updated');
    expect(summary.body).toContain(`href="/assets/${server.id}"`);
    const names = await t.store.db.selectFrom('asset_interfaces').select('name').where('asset_id', '=', server.id).orderBy('name').execute();
    expect(names.map((n) => n.name).sort()).toEqual(['01', 'NIC2', 'iDRAC']);
  });

  it('offers the template with every heading Steward reads', async () => {
    const web = await site.signIn('boss@imp.test');
    const template = await web.get('/assets/import/template.csv');
    expect(template.headers['content-disposition']).toContain('steward-asset-import-template.csv');
    expect(template.body).toBe(
      'Name,Description,Type,Make,Model,Serial Number,Operating System,Purchase Date,Warranty Expire,Install Date,Assigned To,Location,Physical Location,Notes,Primary IP,Primary MAC,Status,Tags\r\n',
    );
  });
});
