// CSV export on each database: ITFlow's headings, RFC 4180 quoting, the formula guard, a byte-order
// mark on request, the list's filters and the user's clients, and rows across many chunks.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { ALL_ASSETS, type AssetListFilters } from '../assets/asset-list.query.ts';
import { archiveAsset, createAsset } from '../assets/asset.service.ts';
import { generateAssets } from '../demo/generate.ts';
import { exportAssetsCsv, exportColumns, guardCell } from './asset-export.ts';

describe.each(DIALECTS)('asset CSV export on %s', (dialect) => {
  const t = useTestDb(dialect);

  const admin = async (): Promise<Principal> => {
    const user = await createUser(t.ctx, {
      email: `exp-${Math.random().toString(36).slice(2)}@csv.test`,
      name: 'Exporter',
      password: 'fern-quilt-38',
      role: 'admin',
    });
    return (await loadPrincipal(t.ctx, user.id))!;
  };
  const csv = async (principal: Principal, filters: Partial<AssetListFilters>, options: { columns?: string; bom?: boolean } = {}) => {
    let text = '';
    for await (const chunk of exportAssetsCsv(t.ctx, principal, { ...ALL_ASSETS, ...filters }, { columns: exportColumns(options.columns), bom: options.bom }))
      text += chunk;
    return text;
  };

  it("writes ITFlow's export headings and quotes, guards and keeps every value as it is", async () => {
    const c = await makeClientWithRecords(t.ctx, 'Quoting Co');
    await createAsset(t.ctx, {
      clientId: c.client.id,
      name: 'Bü-Drucker 🖨',
      description: 'Colour laser, 2nd floor',
      type: 'Printer',
      notes: 'Toner "TN-421BK",\r\nsecond line',
      physicalLocation: '=HYPERLINK("http://evil")',
      model: '-5',
      serial: '@risk',
      contactId: c.contact.id,
      locationId: c.location.id,
      purchaseDate: '2022-03-15',
    });
    const text = await csv(await admin(), { clientId: c.client.id });
    const fixture = readFileSync(new URL('../../test/fixtures/itflow/itflow-export-default.csv', import.meta.url), 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'Name,Description,Type,Make,Model,Serial Number,Operating System,Purchase Date,Warranty Expire,Install Date,Assigned To,Location,Physical Location,Notes',
    );
    // The first line only: ITFlow escapes some quotes with a backslash, which a strict RFC 4180 reader rejects.
    expect(parse(text)[0]).toEqual(parse(fixture.split('\n')[0]!)[0]);
    const [, row] = parse(text) as string[][];
    expect(row).toEqual([
      'Bü-Drucker 🖨',
      'Colour laser, 2nd floor',
      'Printer',
      '',
      '-5',
      "'@risk",
      '',
      '2022-03-15',
      '',
      '',
      'Ana Alvarez',
      'Head Office',
      `'=HYPERLINK("http://evil")`,
      'Toner "TN-421BK",\r\nsecond line',
    ]);
    expect(text).toContain('"Toner ""TN-421BK"",\r\nsecond line"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect((await csv(await admin(), { clientId: c.client.id }, { bom: true })).startsWith('\uFEFFName,')).toBe(true);
    const lf = await createAsset(t.ctx, { clientId: c.client.id, name: 'LF-NOTE', notes: 'first\nsecond\rthird' });
    expect(lf.notes).toBe('first\nsecond\rthird');
    expect(await csv(await admin(), { clientId: c.client.id }, { columns: 'name,notes' })).toContain('LF-NOTE,"first\nsecond\rthird"\r\n');
    expect(guardCell('+1 555')).toBe("'+1 555");
    expect(guardCell('+15')).toBe('+15');
  });

  it("follows the list's filters and the user's clients, and streams many rows in name order", async () => {
    const a = await makeClientWithRecords(t.ctx, 'Export A');
    const b = await makeClientWithRecords(t.ctx, 'Export B');
    await createAsset(t.ctx, { clientId: a.client.id, name: 'zz-server', type: 'Server', primaryInterface: { ip: '10.9.8.7' } });
    const old = await createAsset(t.ctx, { clientId: a.client.id, name: 'old-laptop', type: 'Laptop' });
    await archiveAsset(t.ctx, old.id);
    await createAsset(t.ctx, { clientId: b.client.id, name: 'b-only', type: 'Server' });
    const principal = await admin();
    const names = async (filters: Partial<AssetListFilters>, columns = 'name') =>
      (parse(await csv(principal, filters, { columns })) as string[][]).slice(1).map((r) => r.join('|'));
    expect(await names({ clientId: a.client.id })).toEqual(['zz-server']);
    expect(await names({ clientId: a.client.id, archived: true })).toEqual(['old-laptop']);
    expect(await names({ clientId: a.client.id, tab: 'servers' }, 'name,client,primary_ip')).toEqual(['zz-server|Export A|10.9.8.7']);

    const limited = await createUser(t.ctx, {
      email: `lim-${Math.random().toString(36).slice(2)}@csv.test`,
      name: 'Limited',
      password: 'fern-quilt-38',
      role: 'technician',
    });
    await t.store.db.insertInto('user_client_access').values({ user_id: limited.id, client_id: b.client.id, mode: 'allow' }).execute();
    const onlyB = (parse(await csv((await loadPrincipal(t.ctx, limited.id))!, { tab: 'servers' }, { columns: 'name,client' })) as string[][]).slice(1);
    expect(onlyB).toEqual([['b-only', 'Export B']]);

    const generated = await generateAssets(t.store, { assets: 4_500, clients: 1 });
    const clientId = (await t.store.db.selectFrom('clients').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const rows = (parse(await csv(principal, { clientId }, { columns: 'name,id' })) as string[][]).slice(1);
    expect(rows).toHaveLength(generated.assets);
    expect(new Set(rows.map((r) => r[1])).size).toBe(generated.assets);
    const sorted = [...rows].sort((x, y) =>
      x[0]!.toLowerCase() < y[0]!.toLowerCase() ? -1 : x[0]!.toLowerCase() > y[0]!.toLowerCase() ? 1 : Number(x[1]) - Number(y[1]),
    );
    expect(rows).toEqual(sorted);
  });
});
