// SQLite has one write lock for the whole database. Long work must not hold it, reads and previews must
// never need it, and a write that meets it taken waits for it instead of failing. Checked against a real
// `steward serve` with the default number of processes, with the lock taken by another process (as a
// CLI import or a backup would) and with a real CLI import running alongside. (PostgreSQL has no such
// lock; its parallel writers are in concurrency.test.ts.)
import SQLite from '../src/platform/db/sqlite-binding.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { requesterAt, type Requester } from './support/http.ts';
import { adminKey, createClientV1, startServer, type RunningServer } from './support/server.ts';
import { WebClient } from './support/web-client.ts';

describe('the SQLite write lock', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-lock-'));
  const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '' };
  let server: RunningServer;
  let http: Requester;
  let key = '';
  let clientId = 0;
  let web: WebClient;

  beforeAll(async () => {
    key = await adminKey(env);
    server = await startServer(env);
    http = requesterAt(server.port);
    clientId = await createClientV1(http, key, 'Lock Co');
    web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'ops@example.test', password: 'correct horse' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Takes the database's write lock from this process, as another writer would, until released. */
  function takeWriteLock(): () => void {
    const other = new SQLite(join(dataDir, 'steward.db'));
    other.exec('begin immediate');
    return () => {
      other.exec('rollback');
      other.close();
    };
  }

  it('serves pages, API reads and an import preview while another process holds the write lock', async () => {
    await http({ method: 'POST', url: '/api/v1/assets/create.php', payload: { api_key: key, client_id: String(clientId), asset_name: 'READ-ME' } });
    const upload = await web.get(`/clients/${clientId}/assets/import`);
    expect(upload.statusCode).toBe(200);
    const uploaded = await web.upload(
      '/imports',
      { kind: 'assets', client: String(clientId), asset: '' },
      { name: 'kit.csv', content: 'Name,Model\r\nPREVIEW-1,T14\r\nREAD-ME,X1\r\n' },
    );
    expect(uploaded.statusCode).toBe(302);
    const importUrl = uploaded.headers.location as string;

    const release = takeWriteLock();
    try {
      const list = await web.get(`/clients/${clientId}/assets`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('READ-ME');
      const read = await http({ url: '/api/v1/assets/read.php', query: { api_key: key, client_id: String(clientId) } });
      expect((read.json() as { count: number }).count).toBe(1);
      const preview = await web.get(`${importUrl}/preview`);
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('data-count="create">1<');
      expect(preview.body).toContain('data-count="update">1<');
    } finally {
      release();
    }
  });

  it('makes a write wait while another process holds the lock, then succeed', async () => {
    const release = takeWriteLock();
    let settled = false;
    const write = http({
      method: 'POST',
      url: '/api/v1/assets/create.php',
      payload: { api_key: key, client_id: String(clientId), asset_name: 'WAITED' },
    }).finally(() => (settled = true));
    // Longer than SQLite's usual busy timeout of 5 s, after which writes used to fail.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(settled).toBe(false);
    release();
    const res = await write;
    expect(res.statusCode).toBe(200);
    expect((res.json() as { success: string }).success).toBe('True');
  }, 30_000);

  it('keeps taking writes from the API while a CLI import of 20,000 rows runs', async () => {
    const file = join(dataDir, 'big.csv');
    const lines = ['Name,Serial,Model,Notes'];
    for (let i = 0; i < 20_000; i++) lines.push(`BULK-${i},SER-${i},Model ${i % 7},"line one\nline two"`);
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    const importing = runCli(['import', 'assets', file, '--client', String(clientId)], env);
    let done = false;
    void importing.then(() => (done = true));
    const answers: number[] = [];
    for (let i = 0; !done || i < 5; i++) {
      const res = await http({
        method: 'POST',
        url: '/api/v1/assets/create.php',
        payload: { api_key: key, client_id: String(clientId), asset_name: `DURING-${i}` },
      });
      answers.push(res.statusCode === 200 && (res.json() as { success: string }).success === 'True' ? 200 : res.statusCode);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await importing;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('20000 to create');
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((a) => a !== 200)).toEqual([]);
    const read = await http({ url: '/api/v1/assets/read.php', query: { api_key: key, client_id: String(clientId), limit: '1' } });
    expect((read.json() as { success: string }).success).toBe('True');
  }, 180_000);
});
