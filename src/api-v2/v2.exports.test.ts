// /api/v2/exports over a real socket on each database: the asset export streams the web export's
// columns under ITFlow's headings, filtered as the v2 asset list filters, as an attachment; the
// interface export writes ITFlow's layout; a client-limited key exports only its clients.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { actingAs, makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { importAssets } from '../imports/asset-import.ts';
import { loadConfig } from '../platform/config.ts';

const itflowExport = readFileSync(new URL('../../test/fixtures/itflow/itflow-export-default.csv', import.meta.url), 'utf8');
const ITFLOW_HEADINGS = itflowExport.split('\n')[0]!.trim().replaceAll('"', '').split(',');

describe.each(DIALECTS)('/api/v2/exports on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let bAsset: number;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Export Alpha');
    b = await makeClientWithRecords(t.ctx, 'Export Beta');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
    const acting = await actingAs(t.ctx, `exporter-${dialect}@exports.test`, 'admin');
    const report = await importAssets(acting, acting.principal!, [itflowExport], { clientId: a.client.id, match: 'name' });
    expect(report.committed).toBe(true);
    await createAsset(t.ctx, { clientId: a.client.id, name: 'Tagged-1', type: 'Server', tags: ['VIP'], createMissingTags: true });
    bAsset = (
      await createAsset(t.ctx, {
        clientId: b.client.id,
        name: 'Beta-PC',
        type: 'Desktop',
        warrantyExpire: '2020-01-01',
        primaryInterface: { ip: '10.0.0.7', mac: '00-15-5D-01-02-03' },
      })
    ).id;
  });
  afterAll(async () => app.close());

  const get = (url: string, key = keys.admin) => http({ url, headers: { authorization: `Bearer ${key}` } });
  const rows = (body: string) => parse(body, { relax_column_count: true }) as string[][];

  it("streams the filtered assets under ITFlow's headings, as an attachment", async () => {
    const res = await get(`/api/v2/exports/assets.csv?client_id=${a.client.id}&warranty_expire__lt=2025-01-01`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="client-${a.client.id}-assets-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const [headings, ...data] = rows(res.body);
    expect(headings).toEqual(ITFLOW_HEADINGS);
    const expected = await t.store.db
      .selectFrom('assets')
      .select('name')
      .where('client_id', '=', a.client.id)
      .where('warranty_expire', '<', '2025-01-01')
      .execute();
    expect(expected.length).toBeGreaterThan(3);
    expect(data.map((r) => r[0]).sort()).toEqual(expected.map((r) => r.name).sort());
    const warranty = headings!.indexOf('Warranty Expire');
    expect(data.every((r) => r[warranty]! < '2025-01-01')).toBe(true);

    const printers = rows((await get(`/api/v2/exports/assets.csv?client_id=${a.client.id}&type=printer`)).body).slice(1);
    expect(printers.map((r) => r[0])).toEqual(['Büro-Drucker', 'Printer-HQ']);
    const tagged = rows((await get('/api/v2/exports/assets.csv?tag=vip&columns=name,client,tags,id')).body);
    expect(tagged).toEqual([
      ['Name', 'Client', 'Tags', 'Steward ID'],
      ['Tagged-1', 'Export Alpha', 'VIP', expect.stringMatching(/^\d+$/)],
    ]);
    const byMac = rows((await get('/api/v2/exports/assets.csv?mac=0015.5d01.0203&columns=name,primary_ip')).body);
    expect(byMac).toEqual([
      ['Name', 'Primary IP'],
      ['Beta-PC', '10.0.0.7'],
    ]);
    const searched = rows((await get(`/api/v2/exports/assets.csv?client_id=${a.client.id}&q=fortigate`)).body).slice(1);
    expect(searched.map((r) => r[0])).toEqual(['FW-EDGE-01']);
  });

  it('refuses bad parameters naming them, and keeps a limited key or a reader to what they may see', async () => {
    const badColumn = await get('/api/v2/exports/assets.csv?columns=name,colour');
    expect(badColumn.statusCode).toBe(422);
    expect((badColumn.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('columns');
    const badDate = await get('/api/v2/exports/assets.csv?warranty_expire__lt=soon');
    expect(badDate.statusCode).toBe(422);
    expect((badDate.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('warranty_expire__lt');
    expect((await get('/api/v2/exports/assets.csv?colour=red')).statusCode).toBe(422);

    expect((await get(`/api/v2/exports/assets.csv?client_id=${a.client.id}`, keys.onlyB)).statusCode).toBe(404);
    const own = rows((await get('/api/v2/exports/assets.csv?columns=name,client', keys.onlyB)).body).slice(1);
    expect(own).toEqual([['Beta-PC', 'Export Beta']]);
    const reader = await get(`/api/v2/exports/assets.csv?client_id=${b.client.id}`, keys.reader);
    expect(reader.statusCode).toBe(200);
  });

  it("exports one asset's interfaces in ITFlow's layout, only for a visible asset", async () => {
    const res = await get(`/api/v2/exports/interfaces.csv?asset_id=${bAsset}`, keys.onlyB);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="Beta-PC-interfaces.csv"');
    expect(rows(res.body)).toEqual([
      ['Name', 'Description', 'Type', 'MAC', 'IP', 'NAT IP', 'IPv6', 'Network'],
      ['01', '', '', '00:15:5D:01:02:03', '10.0.0.7', '', '', ''],
    ]);
    const hidden = await t.store.db.selectFrom('assets').select('id').where('client_id', '=', a.client.id).executeTakeFirstOrThrow();
    expect((await get(`/api/v2/exports/interfaces.csv?asset_id=${hidden.id}`, keys.onlyB)).statusCode).toBe(404);
  });
});
