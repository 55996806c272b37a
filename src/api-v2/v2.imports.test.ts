// /api/v2/imports over a real socket on each database: ITFlow's export file uploaded into a new client,
// mapped, previewed with the same verdicts as the web import's service, committed (creating the assets
// and the locations they name), and refused when committed twice; multipart and text/csv uploads;
// rejected rows; and a client-limited key kept out of other clients' imports.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { actingAs, makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { createClient } from '../clients/client.service.ts';
import { importAssets, type RowVerdict } from '../imports/asset-import.ts';
import { loadConfig } from '../platform/config.ts';

const itflowExport = readFileSync(new URL('../../test/fixtures/itflow/itflow-export-default.csv', import.meta.url), 'utf8');

type ImportJson = {
  id: string;
  url: string;
  kind: string;
  client_id: number | null;
  status: string;
  columns: string[];
  mapping: Array<string | null> | null;
  unknown_columns: string[];
  options: { match: string; valid_only: boolean; missing: Record<string, string>; existing: string };
  summary: Record<string, unknown> | null;
};
type RowJson = {
  line: number;
  name: string;
  verdict: string;
  changes: string[];
  problems: Array<{ field: string; message: string }>;
  creates: string[];
  messages: string[];
};
type PreviewJson = { counts: Record<string, number>; results: RowJson[]; next: string | null; created: { counts: Record<string, number> } | null };

/** A multipart/form-data body with the given fields, then the file part. */
function multipart(fields: Record<string, string>, file: { name: string; content: string; field?: string }) {
  const boundary = `----steward${Math.random().toString(36).slice(2)}`;
  let body = '';
  for (const [name, value] of Object.entries(fields)) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  body += `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`;
  return { payload: Buffer.from(body, 'utf8'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DIALECTS)('/api/v2/imports on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader', string>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    b = await makeClientWithRecords(t.ctx, 'Beta Imports');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });
  const uploadCsv = (query: string, text: string, key = keys.admin) => call('POST', `/api/v2/imports?${query}`, text, { 'content-type': 'text/csv' }, key);
  const allRows = async (url: string): Promise<{ rows: RowJson[]; pages: number; counts: Record<string, number> }> => {
    const rows: RowJson[] = [];
    let next: string | null = url;
    let pages = 0;
    let counts: Record<string, number> = {};
    while (next) {
      const res = await call('GET', next);
      expect(res.statusCode).toBe(200);
      const page = res.json() as PreviewJson;
      if (page.next) expect(res.headers.link).toBe(`<${page.next}>; rel="next"`);
      rows.push(...page.results);
      counts = page.counts;
      next = page.next;
      pages++;
    }
    return { rows, pages, counts };
  };

  it("imports ITFlow's export into a new client: upload, mapping, the web service's verdicts, commit once", async () => {
    const client = await createClient(t.ctx, { name: 'Fresh Start Ltd' });
    const uploaded = await uploadCsv(`kind=assets&client_id=${client.id}&file_name=itflow.csv`, itflowExport);
    expect(uploaded.statusCode).toBe(201);
    const upload = uploaded.json() as ImportJson;
    expect(uploaded.headers.location).toBe(`/api/v2/imports/${upload.id}`);
    expect(upload).toMatchObject({ kind: 'assets', client_id: client.id, status: 'uploaded', url: `/api/v2/imports/${upload.id}` });
    expect(upload.columns.slice(0, 6)).toEqual(['Name', 'Description', 'Type', 'Make', 'Model', 'Serial Number']);
    expect(upload.mapping).toEqual([
      'name',
      'description',
      'type',
      'make',
      'model',
      'serial',
      'os',
      'purchase_date',
      'warranty_expire',
      'install_date',
      'contact',
      'location',
      'physical_location',
      'notes',
    ]);

    // The mapping screen's choices: the notes left out, missing locations created, contacts left empty.
    const mapping = [...upload.mapping!.slice(0, 13), null];
    const patched = await call('PATCH', upload.url, { mapping, match: 'name', missing: { location: 'create', contact: 'empty' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      mapping,
      options: { match: 'name', valid_only: false, missing: { location: 'create', contact: 'empty', vendor: 'create' } },
    });

    const { rows, pages, counts } = await allRows(`${upload.url}/preview?limit=10`);
    expect(pages).toBe(3);
    expect(counts).toEqual({ create: 26, update: 0, unchanged: 0, rejected: 0 });
    expect(rows.map((r) => r.line)).toEqual([...rows.map((r) => r.line)].sort((x, y) => x - y));
    const creates = rows.flatMap((r) => r.creates);
    expect(creates).toContain("will create location 'Head Office'");
    expect(creates.filter((c) => c === "will create location 'Head Office'")).toHaveLength(1);
    expect(rows.flatMap((r) => r.messages)).toContain("will create location 'Head Office'");

    // The web's import service, with the same options, finds the same verdicts.
    const acting = await actingAs(t.ctx, `web-${dialect}@imports.test`, 'admin');
    const web: RowVerdict[] = [];
    await importAssets(acting, acting.principal!, [itflowExport], {
      clientId: client.id,
      match: 'name',
      missing: { location: 'create', contact: 'empty' },
      columns: [
        'name',
        'description',
        'type',
        'make',
        'model',
        'serial',
        'os',
        'purchaseDate',
        'warrantyExpire',
        'installDate',
        'contact',
        'location',
        'physicalLocation',
        null,
      ],
      dryRun: true,
      onRow: (v) => web.push(v),
    });
    expect(rows.map((r) => [r.line, r.name, r.verdict, r.creates, r.changes])).toEqual(
      web.map((v) => [v.line, v.name, v.verdict, v.creates ?? [], v.changes ?? []]),
    );
    const onlyCreates = (await call('GET', `${upload.url}/preview?verdict=rejected`)).json() as PreviewJson;
    expect(onlyCreates.results).toEqual([]);

    const committed = await call('POST', `${upload.url}/commit`);
    expect(committed.statusCode).toBe(200);
    expect(committed.json()).toMatchObject({ status: 'committed', created: 26, updated: 0, unchanged: 0, rejected: 0 });
    expect((committed.json() as { created_records: Record<string, number> }).created_records.locations).toBeGreaterThanOrEqual(2);
    const assets = await t.store.db.selectFrom('assets').select(['name', 'notes', 'location_id']).where('client_id', '=', client.id).execute();
    expect(assets).toHaveLength(26);
    expect(assets.every((a) => a.notes === null)).toBe(true);
    const locations = await t.store.db.selectFrom('locations').select('name').where('client_id', '=', client.id).execute();
    expect(locations.map((l) => l.name)).toEqual(expect.arrayContaining(['Head Office', 'Zürich Branch']));

    const again = await call('POST', `${upload.url}/commit`);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect((await call('PATCH', upload.url, { match: 'serial' })).statusCode).toBe(409);
    const read = (await call('GET', upload.url)).json() as ImportJson;
    expect(read).toMatchObject({ status: 'committed', summary: { create: 26, update: 0, unchanged: 0, rejected: 0 } });
    expect(await t.store.db.selectFrom('assets').select('id').where('client_id', '=', client.id).execute()).toHaveLength(26);
  });

  it('takes a multipart upload, refuses a commit with rejected rows (naming the counts), and imports the valid ones when asked', async () => {
    const file = 'Name,Location,Purchase Date\r\nPC-1,Head Office,2024-01-01\r\nPC-2,Basement,2024-02-31\r\n';
    const form = multipart({ kind: 'assets', client_id: String(b.client.id) }, { name: 'kit.csv', content: file });
    const uploaded = await call('POST', '/api/v2/imports', form.payload, form.headers);
    expect(uploaded.statusCode).toBe(201);
    const upload = uploaded.json() as ImportJson;
    expect(upload).toMatchObject({ client_id: b.client.id, columns: ['Name', 'Location', 'Purchase Date'], mapping: ['name', 'location', 'purchase_date'] });

    await call('PATCH', upload.url, { missing: { location: 'reject' } });
    const preview = (await call('GET', `${upload.url}/preview`)).json() as PreviewJson;
    expect(preview.counts).toEqual({ create: 1, update: 0, unchanged: 0, rejected: 1 });
    const bad = preview.results.find((r) => r.verdict === 'rejected')!;
    expect(bad).toMatchObject({ line: 3, name: 'PC-2' });
    expect(bad.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['Location', 'Purchase Date']));

    const refused = await call('POST', `${upload.url}/commit`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ errors: [{ field: 'file', code: 'rows_rejected' }], counts: { create: 1, rejected: 1 } });
    expect(await t.store.db.selectFrom('assets').select('id').where('name', '=', 'PC-1').execute()).toEqual([]);

    expect((await call('PATCH', upload.url, { valid_only: true })).statusCode).toBe(200);
    const done = await call('POST', `${upload.url}/commit`);
    expect(done.json()).toMatchObject({ created: 1, rejected: 1 });
    expect(await t.store.db.selectFrom('assets').select('id').where('name', '=', 'PC-1').where('client_id', '=', b.client.id).execute()).toHaveLength(1);
  });

  it('imports locations by ITFlow headings, skipping or updating existing ones', async () => {
    const file = 'Name,City,Phone\r\nHead Office,Leeds,\r\nDepot,York,0113 000\r\n';
    const uploaded = await uploadCsv(`kind=locations&client_id=${b.client.id}`, file);
    expect(uploaded.statusCode).toBe(201);
    const upload = uploaded.json() as ImportJson;
    expect(upload.mapping).toBeNull();
    expect((await call('PATCH', upload.url, { match: 'serial' })).json()).toMatchObject({ errors: [{ field: 'match', code: 'not_applicable' }] });
    await call('PATCH', upload.url, { existing: 'update' });
    const preview = (await call('GET', `${upload.url}/preview`)).json() as PreviewJson;
    expect(preview.results.map((r) => [r.name, r.verdict])).toEqual([
      ['Head Office', 'update'],
      ['Depot', 'create'],
    ]);
    expect((await call('POST', `${upload.url}/commit`)).json()).toMatchObject({ created: 1, updated: 1 });
  });

  it('refuses bad input naming the field, and keeps a limited key or a reader out', async () => {
    const own = await createClient(t.ctx, { name: 'Hidden From B' });
    const bad = await uploadCsv(`kind=gadgets&client_id=${own.id}`, 'Name\r\nX\r\n');
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('kind');
    const noFile = await uploadCsv(`kind=assets&client_id=${own.id}`, '');
    expect(noFile.statusCode).toBe(422);
    expect((noFile.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('file');
    const keyed = await call('POST', `/api/v2/imports?kind=assets&client_id=${own.id}`, 'Name\r\nX\r\n', {
      'content-type': 'text/csv',
      'idempotency-key': 'up-1',
    });
    expect((keyed.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('Idempotency-Key');
    const json = await call('POST', `/api/v2/imports?kind=assets&client_id=${own.id}`, { name: 'x' });
    expect(json.statusCode).toBe(415);
    const locationsWithoutClient = await uploadCsv('kind=locations', 'Name\r\nX\r\n');
    expect((locationsWithoutClient.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('client_id');

    const upload = (await uploadCsv(`kind=assets&client_id=${own.id}`, 'Name,Serial\r\nA-1,S1\r\n')).json() as ImportJson;
    const unknownField = await call('PATCH', upload.url, { mapping: ['name', 'colour'] });
    expect(unknownField.statusCode).toBe(422);
    expect((unknownField.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toMatch(/^mapping\[1\]/);
    const short = await call('PATCH', upload.url, { mapping: ['name'] });
    expect((short.json() as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('mapping');

    // Another client's import, and uploads into it, are out of a client-limited key's reach.
    expect((await uploadCsv(`kind=assets&client_id=${own.id}`, 'Name\r\nX\r\n', keys.onlyB)).statusCode).toBe(404);
    expect((await call('GET', upload.url, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    expect((await call('GET', `${upload.url}/preview`, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    expect((await call('POST', `${upload.url}/commit`, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    const intoAll = await uploadCsv('kind=assets', `Name,Client\r\nSneaky,${own.name}\r\n`, keys.onlyB);
    expect(intoAll.statusCode).toBe(201);
    const sneaky = (await call('GET', `${(intoAll.json() as ImportJson).url}/preview`, undefined, {}, keys.onlyB)).json() as PreviewJson;
    expect(sneaky.results[0]!.verdict).toBe('rejected');
    expect((await uploadCsv(`kind=assets&client_id=${b.client.id}`, 'Name\r\nX\r\n', keys.reader)).statusCode).toBe(403);
    expect(await t.store.db.selectFrom('assets').select('id').where('client_id', '=', own.id).execute()).toEqual([]);
  });
});
