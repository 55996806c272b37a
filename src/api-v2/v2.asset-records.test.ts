// /api/v2/assets over a real socket on each database: create with a primary interface and tags, read
// with embeds, version ETags with If-Match (atomic in the service) and If-None-Match, the asset filters
// (MAC in any notation, cidr, tag, dates), sort with empties last across cursor pages, client limits,
// a transferred original that stays archived, all-or-nothing bulk patch, and the history's source.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { addInterface } from '../assets/interface.service.ts';
import { loadConfig } from '../platform/config.ts';
import { createTag } from '../tags/tag.service.ts';
import { ipv6ToBigInt } from './v2.asset-records.query.ts';

type Iface = { id: number; name: string; mac: string | null; ip: string | null; network_id: number | null; primary: boolean };
type Rec = {
  id: number;
  url: string;
  display: string;
  client_id: number;
  name: string;
  serial: string | null;
  os: string | null;
  warranty_expire: string | null;
  version: number;
  primary_interface: Iface | null;
  interfaces?: Iface[];
  tags?: string[];
  archived_at: string | null;
};
type Page = { results: Rec[]; next: string | null };
type Problem = { status: number; detail: string; errors?: Array<{ field: string }>; items?: Array<{ index: number; errors: Array<{ field: string }> }> };

describe.each(DIALECTS)('/api/v2/assets records on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Assets');
    b = await makeClientWithRecords(t.ctx, 'Beta Assets');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
    for (const name of ['Critical', 'Lab', 'Spare']) await createTag(t.ctx, { name });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });
  const create = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/api/v2/assets', { client_id: a.client.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Rec;
  };
  const list = async (query: string, key = keys.admin) => {
    const res = await call('GET', `/api/v2/assets?${query}`, undefined, {}, key);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as Page).results.map((r) => r.name);
  };

  it('creates with a primary interface and tags, reads with embeds, and guards writes with the version as ETag', async () => {
    const created = await call('POST', '/api/v2/assets', {
      client_id: a.client.id,
      name: 'PC-001',
      type: 'Desktop',
      serial: 'SN-001',
      uri_2: 'https://pc-001.example.test',
      warranty_expire: '2028-03-31',
      location_id: a.location.id,
      primary_interface: { ip: '10.0.0.5', mac: '00-15-5d-0a-0b-0c', network_id: a.network.id },
      tags: ['critical', 'Lab'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const rec = created.json() as Rec;
    expect(created.headers.location).toBe(`/api/v2/assets/${rec.id}`);
    expect(created.headers.etag).toBe('"1"');
    expect(rec).toMatchObject({
      url: `/api/v2/assets/${rec.id}`,
      display: 'PC-001',
      client_id: a.client.id,
      serial: 'SN-001',
      uri_2: 'https://pc-001.example.test',
      warranty_expire: '2028-03-31',
      location_id: a.location.id,
      contact_id: null,
      version: 1,
      favorite: false,
      archived_at: null,
      transferred_to_asset_id: null,
      primary_interface: { name: '01', ip: '10.0.0.5', mac: '00:15:5D:0A:0B:0C', network_id: a.network.id, primary: true },
    });
    expect(rec.tags).toBeUndefined();

    const read = await call('GET', `/api/v2/assets/${rec.id}?include=interfaces,tags`);
    expect(read.headers.etag).toBe('"1"');
    const full = read.json() as Rec;
    expect(full.tags).toEqual(['Critical', 'Lab']);
    expect(full.interfaces).toEqual([expect.objectContaining({ name: '01', ip: '10.0.0.5', primary: true })]);
    expect((await call('GET', `/api/v2/assets/${rec.id}`, undefined, { 'if-none-match': '"1"' })).statusCode).toBe(304);

    const patched = await call('PATCH', `/api/v2/assets/${rec.id}`, { os: 'Windows 11', tags: ['Spare'] }, { 'if-match': '"1"' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.json()).toMatchObject({ os: 'Windows 11', version: 2 });

    const stale = await call('PATCH', `/api/v2/assets/${rec.id}`, { os: 'Windows 10' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.headers.etag).toBe('"2"');
    const after = (await call('GET', `/api/v2/assets/${rec.id}?include=tags`)).json() as Rec;
    expect(after).toMatchObject({ os: 'Windows 11', version: 2, tags: ['Spare'] });
    expect((await call('DELETE', `/api/v2/assets/${rec.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(412);

    // Several writers holding version 2 at once: one wins, the others learn it changed, none overwrites it.
    const race = await Promise.all(['A', 'B', 'C', 'D'].map((os) => call('PATCH', `/api/v2/assets/${rec.id}`, { os }, { 'if-match': '"2"' })));
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 412, 412, 412]);
    expect(race.filter((r) => r.statusCode === 412).every((r) => r.headers.etag === '"3"')).toBe(true);
    const winner = (race.find((r) => r.statusCode === 200)!.json() as Rec).os;
    expect(((await call('GET', `/api/v2/assets/${rec.id}`)).json() as Rec).os).toBe(winner);

    const history = (await call('GET', `/api/v2/assets/${rec.id}/history`)).json() as {
      events: Array<{ action: string; source: string; changes: Array<{ field: string }> }>;
    };
    expect(history.events[0]).toMatchObject({ action: 'updated', source: 'api' });
    expect(history.events.at(-1)).toMatchObject({ action: 'created', source: 'api' });

    // PUT replaces: what the body leaves out is cleared, the primary interface's addresses too.
    const replaced = await call('PUT', `/api/v2/assets/${rec.id}`, { name: 'PC-001', primary_interface: { ip: '10.0.0.6' } }, { 'if-match': '"3"' });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ serial: null, os: null, location_id: null, primary_interface: { name: '01', ip: '10.0.0.6', mac: null } });
    expect(((await call('GET', `/api/v2/assets/${rec.id}?include=tags`)).json() as Rec).tags).toEqual([]);

    const archived = await call('POST', `/api/v2/assets/${rec.id}/archive`, undefined, { 'if-match': replaced.headers.etag as string });
    expect((archived.json() as Rec).archived_at).not.toBeNull();
    expect(await list(`name=pc-001`)).toEqual([]);
    expect(await list(`name=pc-001&archived=true`)).toEqual(['PC-001']);
    expect(((await call('POST', `/api/v2/assets/${rec.id}/restore`)).json() as Rec).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/assets/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/assets/${rec.id}`)).statusCode).toBe(404);
  });

  it('filters by MAC in any notation on any interface, by ip, cidr, tag, dates and q', async () => {
    await create({ name: 'FLT-X', primary_interface: { ip: '10.1.2.3', mac: '00:15:5D:01:02:03' }, tags: ['Critical'], warranty_expire: '2026-01-31' });
    const y = await create({ name: 'FLT-Y', primary_interface: { ip: '10.1.3.200', ipv6: '2001:0db8:0:0::5' }, tags: ['Lab'], warranty_expire: '2027-06-30' });
    await create({ name: 'FLT-Z', primary_interface: { ip: '192.168.0.5' }, serial: 'ZED-9' });
    // A second, non-primary interface of Y: its MAC finds Y too.
    await addInterface(t.ctx, y.id, { name: 'wifi', mac: 'aa:bb:cc:00:11:22' });

    for (const mac of ['00-15-5D-01-02-03', '0015.5d01.0203', '00155d010203']) expect(await list(`mac=${encodeURIComponent(mac)}`)).toEqual(['FLT-X']);
    expect(await list('mac=AABBCC001122')).toEqual(['FLT-Y']);
    const badMac = await call('GET', '/api/v2/assets?mac=00-15');
    expect(badMac.statusCode).toBe(422);
    expect((badMac.json() as Problem).errors![0]!.field).toBe('mac');

    expect(await list('ip=10.1.2.3')).toEqual(['FLT-X']);
    expect(await list('name__ic=flt&cidr=10.1.2.0%2F23')).toEqual(['FLT-X', 'FLT-Y']);
    expect(await list('name__ic=flt&cidr=10.1.2.0%2F24')).toEqual(['FLT-X']);
    expect(await list('name__ic=flt&cidr=10.1.3.128%2F25')).toEqual(['FLT-Y']);
    expect(await list('name__ic=flt&cidr=10.0.0.0%2F8')).toEqual(['FLT-X', 'FLT-Y']);
    expect(await list('name__ic=flt&cidr=2001%3Adb8%3A%3A%2F32')).toEqual(['FLT-Y']);
    expect(await list('name__ic=flt&cidr=2001%3Adb9%3A%3A%2F32')).toEqual([]);
    expect((await call('GET', '/api/v2/assets?cidr=10.0.0.0%2F33')).statusCode).toBe(422);

    expect(await list('name__ic=flt&tag=critical')).toEqual(['FLT-X']);
    expect(await list('name__ic=flt&tag=Critical,lab')).toEqual(['FLT-X', 'FLT-Y']);
    expect(await list('name__ic=flt&warranty_expire__lt=2027-01-01')).toEqual(['FLT-X']);
    expect(await list('name__ic=flt&warranty_expire__empty=true')).toEqual(['FLT-Z']);
    expect(await list('q=ZED-9')).toEqual(['FLT-Z']);
    const embedded = (await call('GET', '/api/v2/assets?name=flt-y&include=interfaces,tags')).json() as Page;
    expect(embedded.results[0]).toMatchObject({
      tags: ['Lab'],
      interfaces: [
        { name: '01', primary: true },
        { name: 'wifi', primary: false },
      ],
    });
    const brief = (await call('GET', '/api/v2/assets?name=flt-y&brief=true')).json() as Page;
    expect(brief.results[0]).toEqual({ id: expect.any(Number), url: expect.any(String), display: 'FLT-Y' });
    expect(await list(`name__ic=flt&client_id=${b.client.id}`)).toEqual([]);
  });

  it('sorts by warranty descending with empties last, across cursor pages', async () => {
    const dates = ['2027-05-01', null, '2029-01-15', '2026-02-28', null, '2028-07-04'];
    for (const [i, warranty_expire] of dates.entries()) await create({ name: `SRT-${i}`, warranty_expire });
    const seen: string[] = [];
    let url: string | null = '/api/v2/assets?name__ic=srt-&sort=-warranty_expire&limit=2';
    while (url) {
      const res = await call('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Page;
      seen.push(...page.results.map((r) => `${r.warranty_expire ?? '-'} ${r.name}`));
      url = page.next;
    }
    expect(seen).toEqual(['2029-01-15 SRT-2', '2028-07-04 SRT-5', '2027-05-01 SRT-0', '2026-02-28 SRT-3', '- SRT-1', '- SRT-4']);
    const byName = await list('name__ic=srt-&sort=-name&fields=name');
    expect(byName).toEqual(['SRT-5', 'SRT-4', 'SRT-3', 'SRT-2', 'SRT-1', 'SRT-0']);
  });

  it('hides another client’s assets from a client-limited key, refuses a reader’s write, and names bad fields in snake_case', async () => {
    const hidden = await create({ name: 'HID-A', primary_interface: { mac: '02:00:00:00:00:aa' } });
    const own = await call('POST', '/api/v2/assets', { client_id: b.client.id, name: 'HID-B' }, {}, keys.onlyB);
    expect(own.statusCode).toBe(201);

    expect((await call('GET', `/api/v2/assets/${hidden.id}`, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v2/assets/${hidden.id}`, { os: 'x' }, {}, keys.onlyB)).statusCode).toBe(404);
    const seen = (await call('GET', '/api/v2/assets?limit=1000&archived=all', undefined, {}, keys.onlyB)).json() as Page;
    expect(seen.results.length).toBeGreaterThan(0);
    expect(seen.results.every((r) => r.client_id === b.client.id)).toBe(true);
    expect(await list('q=HID-A', keys.onlyB)).toEqual([]);
    expect(await list('mac=0200000000AA', keys.onlyB)).toEqual([]);
    expect(await list('mac=0200000000AA')).toEqual(['HID-A']);

    expect((await call('GET', '/api/v2/assets?name=HID-B', undefined, {}, keys.reader)).statusCode).toBe(200);
    expect((await call('POST', '/api/v2/assets', { client_id: b.client.id, name: 'Nope' }, {}, keys.reader)).statusCode).toBe(403);

    const bad = await call('POST', '/api/v2/assets', {
      client_id: a.client.id,
      name: 'Bad',
      purchase_date: '2027-01-01',
      warranty_expire: '2026-01-01',
      primary_interface: { mac: 'not-a-mac' },
    });
    expect(bad.statusCode).toBe(422);
    const fields = (bad.json() as Problem).errors!.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['warranty_expire', 'primary_interface.mac']));
    const unknownTag = await call('POST', '/api/v2/assets', { client_id: a.client.id, name: 'Bad', tags: ['No such tag'] });
    expect((unknownTag.json() as Problem).errors![0]!.field).toBe('tags');
    const tooLong = await call('PATCH', `/api/v2/assets/${hidden.id}`, { uri_2: 'x'.repeat(501) });
    expect((tooLong.json() as Problem).errors![0]!.field).toBe('uri_2');
  });

  it('refuses to restore a transferred original with the service’s reason', async () => {
    const original = await create({ name: 'MOVE-1' });
    const moved = await call('POST', '/api/v2/assets/transfers', { asset_ids: [original.id], to_client_id: b.client.id });
    expect(moved.statusCode, moved.body).toBe(201);
    const now = (await call('GET', `/api/v2/assets/${original.id}`)).json() as Rec & { transferred_to_asset_id: number };
    expect(now.archived_at).not.toBeNull();
    expect(now.transferred_to_asset_id).toEqual(expect.any(Number));
    const restore = await call('POST', `/api/v2/assets/${original.id}/restore`);
    expect(restore.statusCode).toBe(409);
    expect((restore.json() as Problem).detail).toContain('was transferred to another client');
    expect(((await call('GET', `/api/v2/assets/${original.id}`)).json() as Rec).archived_at).not.toBeNull();
  });

  it('bulk-patches all or nothing: one bad item of three changes nothing', async () => {
    const ids = [];
    for (const name of ['BLK-1', 'BLK-2', 'BLK-3']) ids.push((await create({ name, os: 'Linux' })).id);
    const refused = await call('PATCH', '/api/v2/assets', [
      { id: ids[0], os: 'BSD' },
      { id: ids[1], os: 'BSD', warranty_expire: '2027-02-30' },
      { id: ids[2], os: 'BSD' },
    ]);
    expect(refused.statusCode).toBe(422);
    expect((refused.json() as Problem).items).toEqual([
      expect.objectContaining({ index: 1, errors: [expect.objectContaining({ field: '[1].warranty_expire' })] }),
    ]);
    const after = (await call('GET', '/api/v2/assets?name__ic=blk-&fields=os,version')).json() as Page;
    expect(after.results.map((r) => [r.os, r.version])).toEqual([
      ['Linux', 1],
      ['Linux', 1],
      ['Linux', 1],
    ]);
    const ok = await call(
      'PATCH',
      '/api/v2/assets',
      ids.map((id) => ({ id, os: 'BSD' })),
    );
    expect(ok.statusCode).toBe(200);
    expect(await list('os=bsd&name__ic=blk-')).toEqual(['BLK-1', 'BLK-2', 'BLK-3']);
  });
});

describe('ipv6ToBigInt', () => {
  it('reads every notation of one address alike', () => {
    const one = ipv6ToBigInt('2001:db8::5');
    expect(ipv6ToBigInt('2001:0db8:0:0::5')).toBe(one);
    expect(ipv6ToBigInt('2001:DB8:0:0:0:0:0:5')).toBe(one);
    expect(ipv6ToBigInt('::ffff:10.0.0.1')).toBe(ipv6ToBigInt('::ffff:a00:1'));
    expect(ipv6ToBigInt('::')).toBe(0n);
  });
});
