// CSV import on each database: ITFlow's export and template import cleanly, Steward's own export
// re-imports as "unchanged", every row gets a verdict naming the column and the reason, matching
// updates instead of skipping, and nothing is half-imported unless asked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { ALL_ASSETS } from '../assets/asset-list.query.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { exportAssetsCsv, exportColumns } from '../csv/asset-export.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { createLocation } from '../locations/location.service.ts';
import { createTag } from '../tags/tag.service.ts';
import { importAssets, type AssetImportOptions } from './asset-import.ts';
import { mapHeadings } from './import-headings.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/itflow/${name}`, import.meta.url), 'utf8');

describe('heading matching', () => {
  it("matches ITFlow's and Steward's headings in any case and spacing, and reports the rest", () => {
    const map = mapHeadings(['NAME', 'serial number', 'Operating  System', 'Assigned To', 'Steward ID', 'Colour', 'Name']);
    expect(map.columns).toEqual(['name', 'serial', 'os', 'contact', null, null, null]);
    expect(map.unknown).toEqual(['Colour']);
    expect(map.duplicates).toEqual(['Name']);
  });
});

describe.each(DIALECTS)('asset CSV import on %s', (dialect) => {
  const t = useTestDb(dialect);
  const admin = async (): Promise<Principal> => {
    const user = await createUser(t.ctx, {
      email: `imp-${Math.random().toString(36).slice(2)}@csv.test`,
      name: 'Importer',
      password: 'fern-quilt-38',
      role: 'admin',
    });
    return (await loadPrincipal(t.ctx, user.id))!;
  };
  const clientWithNames = async (name: string) => {
    const client = await createClient(t.ctx, { name });
    for (const loc of ['Head Office', 'Zürich Branch']) await createLocation(t.ctx, { clientId: client.id, name: loc });
    let n = 0;
    for (const contact of ['Chloé Dubois', 'Anna Müller', "Björn O'Brien"])
      await createContact(t.ctx, { clientId: client.id, name: contact, email: `c${++n}@${client.id}.test` });
    return client;
  };
  const run = async (principal: Principal, text: string, options: Partial<AssetImportOptions> & { clientId: number | null }) =>
    importAssets(t.ctx, principal, [text], { match: 'name', ...options });
  const assetsOf = (clientId: number) => t.store.db.selectFrom('assets').selectAll().where('client_id', '=', clientId).orderBy('id').execute();
  const verdicts = (report: Awaited<ReturnType<typeof run>>) =>
    report.rows.map((r) => [r.line, r.verdict, ...(r.problems?.map((p) => `${p.field}: ${p.message}`) ?? r.changes ?? [])]);

  it("imports ITFlow's own export cleanly, previewing first, each asset's history carrying the import", async () => {
    const principal = await admin();
    const client = await clientWithNames('Import Co');
    const preview = await run(principal, fixture('itflow-export-default.csv'), { clientId: client.id, dryRun: true });
    expect(preview.committed).toBe(false);
    expect(preview.rows.filter((r) => r.verdict === 'rejected')).toEqual([]);
    expect(preview.counts.create).toBe(26);
    expect(await assetsOf(client.id)).toEqual([]);

    const done = await run(principal, fixture('itflow-export-default.csv'), { clientId: client.id });
    expect(done.committed).toBe(true);
    expect(done.counts).toEqual({ create: 26, update: 0, unchanged: 0, rejected: 0 });
    const nas = (await assetsOf(client.id)).find((a) => a.name === 'NAS-Backup')!;
    expect(nas.notes).toBe('@backup share is \\\\NAS-BACKUP\\veeam; installer in "C:\\Program Files\\"');
    const events = (await listAssetEvents(t.ctx, nas.id)).events;
    expect(events[0]).toMatchObject({ action: 'imported', source: 'import', correlationId: done.importId, details: { importId: done.importId } });
    const record = await t.store.db.selectFrom('imports').selectAll().where('id', '=', done.importId).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'committed', client_id: client.id, kind: 'assets' });

    // ITFlow skips rows whose name exists; Steward matches them and finds nothing to change.
    const again = await run(principal, fixture('itflow-export-default.csv'), { clientId: client.id });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 26, rejected: 0 });
  });

  it("imports ITFlow's 12-column template and its documentation's shorter layout, filled in", async () => {
    const principal = await admin();
    const client = await clientWithNames('Template Co');
    expect((await run(principal, fixture('itflow-asset-import-template.csv'), { clientId: client.id })).rows).toEqual([]);
    const template = fixture('itflow-asset-import-template.csv').trimEnd();
    const filled = `${template}\nPC-01,Reception PC,desktop,Dell,OptiPlex 7010,ABC123,Windows 11,2024-02-01,chloe dubois,HEAD OFFICE,Desk 3,"Quoted, with comma"\n`;
    const report = await run(principal, filled, { clientId: client.id });
    expect(verdicts(report)).toEqual([[2, 'create']]);
    const [pc] = await assetsOf(client.id);
    expect(pc).toMatchObject({
      name: 'PC-01',
      type: 'Desktop',
      serial: 'ABC123',
      os: 'Windows 11',
      purchase_date: '2024-02-01',
      physical_location: 'Desk 3',
      notes: 'Quoted, with comma',
    });
    expect(pc!.contact_id).not.toBeNull();
    expect(pc!.location_id).not.toBeNull();

    const docs = 'Name,Description,Type,Make,Model,Serial Number,OS,Assigned To,Location\nLT-02,,Laptop,Lenovo,T14,XYZ9,Windows 11,Anna Müller,Zürich Branch\n';
    expect(verdicts(await run(principal, docs, { clientId: client.id }))).toEqual([[2, 'create']]);
  });

  it('gives every bad row its column and reason, reports duplicates, and imports nothing unless asked', async () => {
    const principal = await admin();
    const client = await clientWithNames('Verdict Co');
    await createContact(t.ctx, { clientId: client.id, name: 'anna müller', email: `second@${client.id}.test` });
    const file = [
      'Name,Serial,Purchase Date,Location,Assigned To,Primary IP,Primary MAC,Model,Colour',
      'GOOD-1,S-1,2024-01-31,Head Office,,10.0.0.5,aa-bb-cc-dd-ee-ff,,red',
      ',S-2,,,,,,,',
      'BAD-DATE,S-3,2024-13-45,,,,,,',
      'NO-SUCH-PLACE,S-4,,Basement,,,,,',
      'TWO-ANNAS,S-5,,,Anna Muller,,,,',
      'BAD-IP,S-6,,,,10.0.0.300,,,',
      'BAD-MAC,S-7,,,,,zz:zz,,',
      `LONG,S-8,,,,,,${'m'.repeat(201)},`,
      'GOOD-1,S-9,,,,,,,',
    ].join('\r\n');
    // A location the client lacks rejects the row when asked (by default it is created).
    const strict = await run(principal, file, { clientId: client.id, missing: { location: 'reject' } });
    expect(strict.committed).toBe(false);
    expect(strict.headings.unknown).toEqual(['Colour']);
    expect(verdicts(strict)).toEqual([
      [2, 'create'],
      [3, 'rejected', 'Name: is required'],
      [4, 'rejected', 'Purchase Date: "2024-13-45" is not a real calendar date'],
      [5, 'rejected', 'Location: this client has nothing named "Basement"'],
      [6, 'rejected', 'Assigned To: 2 records of this client are named "Anna Muller"'],
      [7, 'rejected', 'Primary IP: enter an IPv4 address such as 192.168.1.10, or DHCP ("10.0.0.300" is neither)'],
      [8, 'rejected', expect.stringMatching(/^Primary MAC: "zz:zz"/)],
      [9, 'rejected', 'Model: is 201 characters long; the limit is 200'],
      [10, 'rejected', 'Name: the same name as line 2'],
    ]);
    expect(await assetsOf(client.id)).toEqual([]);

    const lenient = await run(principal, file, { clientId: client.id, validOnly: true, missing: { location: 'reject' } });
    expect(lenient.committed).toBe(true);
    const rows = await assetsOf(client.id);
    expect(rows.map((r) => [r.name, r.purchase_date])).toEqual([['GOOD-1', '2024-01-31']]);
    const primary = await t.store.db.selectFrom('asset_interfaces').select(['ip', 'mac', 'name']).where('asset_id', '=', rows[0]!.id).executeTakeFirstOrThrow();
    expect(primary).toEqual({ ip: '10.0.0.5', mac: 'AA:BB:CC:DD:EE:FF', name: '01' });
  });

  it('matches by name ignoring case and accents and updates only what the file gives, or by serial', async () => {
    const principal = await admin();
    const client = await clientWithNames('Match Co');
    const a = await createAsset(t.ctx, { clientId: client.id, name: 'Büro-Drucker', serial: 'SN-1', make: 'HP', model: 'M404', notes: 'keep me' });
    await createAsset(t.ctx, { clientId: client.id, name: 'Other', serial: 'SN-2' });
    const byName = await run(principal, 'Name,Model,Notes,Location\nBURO-DRUCKER,M405,,Head Office\nNew-One,,,\n', { clientId: client.id });
    expect(verdicts(byName)).toEqual([
      [2, 'update', 'Model', 'Location'],
      [3, 'create'],
    ]);
    expect(byName.rows[0]!.assetId).toBe(a.id);
    const stored = (await assetsOf(client.id)).find((r) => r.id === a.id)!;
    expect(stored).toMatchObject({ model: 'M405', notes: 'keep me', make: 'HP' });
    const events = (await listAssetEvents(t.ctx, a.id)).events;
    expect(events[0]).toMatchObject({ action: 'updated', source: 'import', correlationId: byName.importId, details: { importId: byName.importId, line: 2 } });

    const bySerial = await run(principal, 'Serial Number,Name,Make\nsn-1,Renamed Printer,HP\nSN-3,Third,\n', { clientId: client.id, match: 'serial' });
    expect(verdicts(bySerial)).toEqual([
      [2, 'update', 'Name'],
      [3, 'create'],
    ]);
    const none = await run(principal, 'Name\nOther\nOther\n', { clientId: client.id, match: 'none' });
    expect(none.rows.map((r) => [r.verdict, r.warnings])).toEqual([
      ['create', undefined],
      ['create', ['the same name as line 2']],
    ]);
  });

  it("re-imports Steward's own export, every column, as unchanged for every row", async () => {
    const principal = await admin();
    const client = await clientWithNames('Round Trip Co');
    const tag = await createTag(t.ctx, { name: `Critical ${client.id}` });
    const contact = (
      await t.store.db.selectFrom('contacts').select('id').where('client_id', '=', client.id).where('name', '=', 'Chloé Dubois').executeTakeFirstOrThrow()
    ).id;
    await createAsset(t.ctx, {
      clientId: client.id,
      name: 'Ärzte-PC Ünïcödé 🚀',
      type: 'Desktop',
      status: 'Deployed',
      description: '=1+2 looks like a formula',
      serial: '-SN-1',
      notes: 'installer in "C:\\Program Files\\"\r\nsecond line\nthird',
      favorite: true,
      contactId: contact,
      purchaseDate: '2023-05-06',
      warrantyExpire: '2026-05-06',
      primaryInterface: { ip: 'DHCP', mac: '00:11:22:33:44:55' },
      tags: [tag.id],
      uri: 'https://x.test/a,b',
      physicalLocation: '@rack 2',
    });
    await createAsset(t.ctx, { clientId: client.id, name: 'éclair server', type: 'Server', serial: 'EC-1', make: 'Dell' });
    await createAsset(t.ctx, { clientId: client.id, name: 'Zebra printer' });
    for (const columns of ['default', 'all']) {
      let text = '';
      for await (const chunk of exportAssetsCsv(t.ctx, principal, { ...ALL_ASSETS, clientId: client.id }, { columns: exportColumns(columns), bom: true }))
        text += chunk;
      for (const match of ['name', 'serial'] as const) {
        const report = await run(principal, text, { clientId: client.id, match });
        const byName = Object.fromEntries(report.rows.map((r) => [r.name, [r.verdict, ...(r.warnings ?? [])]]));
        expect(byName, `${columns} columns, match ${match}`).toEqual({
          'Ärzte-PC Ünïcödé 🚀': ['unchanged'],
          'éclair server': ['unchanged'],
          'Zebra printer': match === 'serial' ? ['create', 'no serial number to match on: added as new'] : ['unchanged'],
        });
      }
      // The serial-less asset was created again by the serial match; remove it for the next round.
      const extra = (await assetsOf(client.id)).filter((r) => r.name === 'Zebra printer').slice(1);
      for (const r of extra)
        await t.store.db
          .deleteFrom('asset_search')
          .where(dialect === 'sqlite' ? ('rowid' as 'asset_id') : 'asset_id', '=', r.id)
          .execute();
      for (const r of extra) {
        await t.store.db.deleteFrom('asset_interfaces').where('asset_id', '=', r.id).execute();
        await t.store.db.deleteFrom('assets').where('id', '=', r.id).execute();
      }
    }
  });

  it('reads a file written the way Excel writes it: byte-order mark, CRLF, quoted line breaks, blank lines', async () => {
    const principal = await admin();
    const client = await clientWithNames('Excel Co');
    const excel = '\uFEFFName,Notes,Install Date\r\n"Laptop, spare","line one\r\nline two",2020-01-02\r\n\r\nDesk PC,,\r\n';
    const report = await run(principal, excel, { clientId: client.id });
    expect(verdicts(report)).toEqual([
      [2, 'create'],
      [5, 'create'],
    ]);
    const rows = await assetsOf(client.id);
    expect(rows.map((r) => [r.name, r.notes, r.install_date])).toEqual([
      ['Laptop, spare', 'line one\r\nline two', '2020-01-02'],
      ['Desk PC', null, null],
    ]);
  });

  it('fills several clients from a Client column, only those the user may write to', async () => {
    const principal = await admin();
    const one = await clientWithNames('Müller GmbH');
    const two = await clientWithNames('Second Client');
    const report = await run(principal, 'Client,Name,Location\nmuller gmbh,M-1,Head Office\nSecond Client,S-1,Zürich Branch\nNobody Inc,N-1,\n', {
      clientId: null,
      validOnly: true,
    });
    expect(verdicts(report)).toEqual([
      [2, 'create'],
      [3, 'create'],
      [4, 'rejected', 'Client: no client named "Nobody Inc"'],
    ]);
    expect((await assetsOf(one.id)).map((r) => r.name)).toEqual(['M-1']);
    expect((await assetsOf(two.id)).map((r) => r.name)).toEqual(['S-1']);
    await expect(run(principal, 'Name\nX\n', { clientId: null })).rejects.toThrow(/Client column/);

    const limitedUser = await createUser(t.ctx, {
      email: `lim-${one.id}@csv.test`,
      name: 'Limited',
      password: 'fern-quilt-38',
      role: 'technician',
    });
    await t.store.db.insertInto('user_client_access').values({ user_id: limitedUser.id, client_id: one.id, mode: 'allow' }).execute();
    const limited = (await loadPrincipal(t.ctx, limitedUser.id))!;
    const mixed = await run(limited, 'Client,Name\nMüller GmbH,M-2\nSecond Client,S-2\n', { clientId: null });
    expect(verdicts(mixed)).toEqual([
      [2, 'create'],
      [3, 'rejected', 'Client: no client named "Second Client"'],
    ]);
    await expect(run(limited, 'Name\nX\n', { clientId: two.id })).rejects.toThrow(/does not exist/);
  });
});
