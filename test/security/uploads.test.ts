// CSV import uploads against a hostile or careless file, over a real socket on each database: a file
// with a million columns or a huge value is refused with the line and the limit (and the server keeps
// answering), samples are shown clipped, UTF-16 and Windows-1252 files import with their encoding named,
// an abandoned upload expires, a user's uploads have a quota, and the preview reads the rows parsed at
// upload rather than the file.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { runDailyJobs } from '../../src/jobs/jobs.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { openStore } from '../../src/platform/db/store.ts';
import { runCli } from '../support/cli.ts';
import { createEmptyDatabase, DIALECTS, useTestDb } from '../support/databases.ts';
import { makeClientWithRecords } from '../support/factories.ts';
import { requesterAt } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { useWebApp } from '../support/web-app.ts';
import { WebClient } from '../support/web-client.ts';

const HOUR = 3_600_000;

describe.each(DIALECTS)('a hostile CSV upload on %s, against a server process', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-uploads-'));
  let server: RunningServer;
  let env: Record<string, string>;
  let drop = async () => {};

  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    const store = openStore({ kind: dialect, url: db.url });
    await migrateToLatest(store);
    await createUser(
      { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'test setup' }, principal: null, source: 'system' },
      { email: 'probe@example.test', name: 'Probe', password: 'correct horse', role: 'admin' },
    );
    await store.close();
    // A modest heap, as on a small VM: what one request may take is then plain to see.
    env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: db.url, STEWARD_WORKERS: '1', NODE_OPTIONS: '--max-old-space-size=512' };
    server = await startServer(env);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a file of a million columns, naming the line and the limit, and keeps answering', async () => {
    const web = new WebClient(requesterAt(server.port));
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'probe@example.test', password: 'correct horse' });
    await web.get('/assets/import');
    const wide = `Name,${Array.from({ length: 1_000_000 }, (_, i) => `c${i % 1000}`).join(',')}\r\nPC-1\r\n`;
    const meanwhile = web.get('/assets');
    const uploaded = await web.upload('/imports', { kind: 'assets', client: '', asset: '' }, { name: 'wide.csv', content: wide });
    // As a user would: follow the upload to its mapping page.
    const mapping = uploaded.statusCode === 302 ? await web.get(uploaded.headers.location as string).catch(() => null) : null;
    expect((await meanwhile).statusCode).toBe(200);
    expect(
      await fetch(`${server.url}/healthz`).then(
        (r) => r.status,
        () => 0,
      ),
    ).toBe(200);
    expect(mapping).toBeNull();
    expect(uploaded.statusCode).toBe(422);
    expect(uploaded.body).toContain('line 1');
    expect(uploaded.body).toContain('more than 500 columns');
    expect((await web.get('/assets')).statusCode).toBe(200);
  }, 120_000);

  it('holds the same bounds for `steward import`', async () => {
    const file = join(dataDir, 'wide.csv');
    writeFileSync(file, `Name,Client,${Array.from({ length: 600 }, (_, i) => `c${i}`).join(',')}\nPC-1\n`);
    const result = await runCli(['import', 'assets', file, '--dry-run'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('line 1');
    expect(result.stderr).toContain('more than 500 columns');
  }, 60_000);
});

describe.each(DIALECTS)('CSV uploads on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  let clientId = 0;
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'up@uploads.test', name: 'Uploader', password: 'correct horse', role: 'admin' });
    clientId = (await makeClientWithRecords(t.ctx, 'Upload Limits Co')).client.id;
  });
  const signIn = async () => {
    const web = await site.signIn('up@uploads.test');
    await web.get(`/clients/${clientId}/assets/import`);
    return web;
  };
  const upload = (web: WebClient, name: string, content: string | Buffer) =>
    web.upload('/imports', { kind: 'assets', client: String(clientId), asset: '' }, { name, content });

  it('refuses a value over 64 KB and shows no sample beyond 200 characters', async () => {
    const web = await signIn();
    const huge = await upload(web, 'huge.csv', `Name,Notes\r\nPC-1,"${'h'.repeat(5_000_000)}"\r\n`);
    expect(huge.statusCode).toBe(422);
    expect(huge.body).toContain('line 2');
    expect(huge.body).toContain('64 KB');
    expect(huge.body.length).toBeLessThan(100_000);

    const wide = await upload(web, 'long.csv', `Name,Notes,Favorite\r\nPC-LONG,${'n'.repeat(60_000)},${'f'.repeat(60_000)}\r\n`);
    expect(wide.statusCode).toBe(302);
    const mapping = await web.get(wide.headers.location as string);
    expect(mapping.body).toContain(`${'n'.repeat(200)}…`);
    expect(mapping.body).not.toContain('n'.repeat(201));
    await web.post(`${wide.headers.location}/options`, { column_0: 'name', column_1: 'notes', column_2: 'favorite', match: 'name' });
    const preview = await web.get(`${wide.headers.location}/preview`);
    expect(preview.body).toContain('data-count="rejected">1<');
    expect(preview.body).not.toContain('f'.repeat(201));
    expect(preview.body.length).toBeLessThan(100_000);
  });

  it('reads UTF-16 (either byte order, tab-separated) and Windows-1252, and names the encoding', async () => {
    const web = await signIn();
    const utf16 = (name: string, bigEndian: boolean) => {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`Name\tModel\r\n${name}\tThinkPad “X1”\r\n`, 'utf16le')]);
      return bigEndian ? bytes.swap16() : bytes;
    };
    // Not UTF-8: Ã before O, Ø, and 0x80, which is € in Windows-1252.
    const cp1252 = Buffer.concat([Buffer.from('Name,Model\r\nSÃO-1252,Ø ', 'latin1'), Buffer.from([0x80]), Buffer.from('\r\n')]);
    const files = [
      { content: utf16('Café-Ü16LE', false), encoding: 'UTF-16LE', name: 'Café-Ü16LE', model: 'ThinkPad “X1”' },
      { content: utf16('Café-Ü16BE', true), encoding: 'UTF-16BE', name: 'Café-Ü16BE', model: 'ThinkPad “X1”' },
      { content: cp1252, encoding: 'Windows-1252', name: 'SÃO-1252', model: 'Ø €' },
    ];
    for (const file of files) {
      const uploaded = await upload(web, `${file.encoding}.csv`, file.content);
      expect(uploaded.statusCode).toBe(302);
      const mapping = await web.get(uploaded.headers.location as string);
      expect(mapping.body).toContain(`Read as ${file.encoding}`);
      const preview = await web.get(`${uploaded.headers.location}/preview`);
      expect(preview.body).toContain(`Read as ${file.encoding}`);
      expect(preview.body).toContain('data-count="create">1<');
      await web.post(`${uploaded.headers.location}/commit`, {});
      const asset = await t.store.db.selectFrom('assets').select(['name', 'model']).where('name', '=', file.name).executeTakeFirst();
      expect(asset).toEqual({ name: file.name, model: file.model });
    }
  });

  it('parses the file once: the preview and the commit work without the uploaded file', async () => {
    const web = await signIn();
    const uploaded = await upload(web, 'once.csv', 'Name,Model\r\nONCE-1,T14\r\nONCE-2,T15\r\n');
    expect(uploaded.statusCode).toBe(302);
    // Whatever the server kept of the file as bytes, it is gone now.
    await t.store.db.deleteFrom('stored_file_chunks').execute();
    await t.store.db.deleteFrom('stored_files').execute();
    const preview = await web.get(`${uploaded.headers.location}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('data-count="create">2<');
    await web.post(`${uploaded.headers.location}/commit`, {});
    expect((await web.get(uploaded.headers.location as string)).body).toContain('2 created');
  });

  it('lets an abandoned upload expire after a day, and keeps a committed import', async () => {
    const web = await signIn();
    const abandoned = await upload(web, 'abandoned.csv', 'Name\r\nLEFT-1\r\n');
    const url = abandoned.headers.location as string;
    expect((await web.get(url)).statusCode).toBe(200);
    await runDailyJobs({ ...t.ctx, now: () => new Date(Date.now() + 23 * HOUR) }, '2026-12-01');
    expect((await web.get(url)).statusCode).toBe(200);
    const result = await runDailyJobs({ ...t.ctx, now: () => new Date(Date.now() + 25 * HOUR) }, '2026-12-02');
    expect(result.purged.uploads).toBeGreaterThanOrEqual(1);
    expect((await web.get(url)).statusCode).toBe(404);
    const id = url.split('/').pop()!;
    expect(await t.store.db.selectFrom('imports').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await t.store.db.selectFrom('import_rows').select('seq').where('import_id', '=', id).execute()).toEqual([]);
  });

  it("refuses an upload past the user's quota, with a message", async () => {
    const web = await signIn();
    const me = await t.store.db.selectFrom('users').select('id').where('email', '=', 'up@uploads.test').executeTakeFirstOrThrow();
    // Earlier uploads of this user, still waiting to be imported: just under a gigabyte.
    await t.store.db
      .insertInto('imports')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        kind: 'assets',
        user_id: me.id,
        client_id: clientId,
        asset_id: null,
        file_name: 'big.csv',
        file_size: 1024 * 1024 * 1024 - 10,
        status: 'uploaded',
        options: null,
        summary: null,
        created_at: new Date().toISOString(),
        committed_at: null,
      })
      .execute();
    const refused = await upload(web, 'more.csv', 'Name,Model\r\nQUOTA-1,T14\r\n');
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('1024 MB');
    expect(refused.body).toContain('waiting to be imported');
    await t.store.db.deleteFrom('imports').where('id', '=', '00000000-0000-4000-8000-000000000001').execute();
    expect((await upload(web, 'more.csv', 'Name,Model\r\nQUOTA-1,T14\r\n')).statusCode).toBe(302);
  });
});
