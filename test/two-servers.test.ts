// Two app servers on one PostgreSQL database, the documented way to scale out: each step of a web
// import may land on either server, a revoked key or a disabled user stops working on the other server
// at once, and failed API keys are counted across both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { createEmptyDatabase, DIALECTS } from './support/databases.ts';
import { requesterAt, type Requester } from './support/http.ts';
import { adminKey, createClientV1, startServer, type RunningServer } from './support/server.ts';
import { WebClient } from './support/web-client.ts';

describe.each(DIALECTS.filter((d) => d === 'postgres'))('two servers on one %s database', () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'steward-two-a-')), mkdtempSync(join(tmpdir(), 'steward-two-b-'))];
  const servers: RunningServer[] = [];
  let a: Requester;
  let b: Requester;
  let env: (i: number) => Record<string, string>;
  let drop: () => Promise<void>;
  let key = '';
  let clientId = 0;

  beforeAll(async () => {
    const db = await createEmptyDatabase('postgres');
    drop = db.drop;
    // Each server has its own data directory, as on its own machine: only the database is shared.
    env = (i) => ({
      STEWARD_DATA_DIR: dirs[i]!,
      STEWARD_DATABASE_URL: db.url,
      STEWARD_SECRET_KEY: 'q0Rj0d2mZ1m6yWqg0b4m3Xv7t8b2Jc9H1l5p0s3u6wA=',
      STEWARD_TRUST_PROXY: '127.0.0.1',
    });
    key = await adminKey(env(0));
    servers.push(await startServer(env(0)), await startServer(env(1)));
    [a, b] = servers.map((s) => requesterAt(s.port)) as [Requester, Requester];
    clientId = await createClientV1(a, key, 'Two Server Co');
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await drop?.();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a web import uploaded on one server and mapped, previewed and committed on the other', async () => {
    const onA = new WebClient(a);
    await onA.get('/sign-in');
    expect((await onA.post('/sign-in', { email: 'ops@example.test', password: 'correct horse' })).statusCode).toBe(303);
    await onA.get(`/clients/${clientId}/assets/import`);
    const uploaded = await onA.upload(
      '/imports',
      { kind: 'assets', client: String(clientId), asset: '' },
      { name: 'kit.csv', content: 'Name,Model,Serial\r\nTWO-1,T14,S-1\r\nTWO-2,X1,S-2\r\n' },
    );
    expect(uploaded.statusCode).toBe(302);
    const importUrl = uploaded.headers.location as string;

    // The same browser, its next requests answered by server B.
    const onB = onA.via(b);
    const mapping = await onB.get(importUrl);
    expect(mapping.statusCode).toBe(200);
    expect(mapping.body).toContain('TWO-1');
    const preview = await onB.get(`${importUrl}/preview`);
    expect(preview.body).toContain('data-count="create">2<');
    const committed = await onB.post(`${importUrl}/commit`, {});
    expect(committed.statusCode).toBe(302);
    const summary = await onA.get(importUrl);
    expect(summary.body).toContain('2 created');
    const read = await a({ url: '/api/v1/assets/read.php', query: { api_key: key, client_id: String(clientId) } });
    expect((read.json() as { data: Array<{ asset_name: string }> }).data.map((r) => r.asset_name).sort()).toEqual(['TWO-1', 'TWO-2']);
  });

  it('stops a revoked key and a disabled user on the other server at once', async () => {
    const env0 = env(0);
    expect(
      (await runCli(['user', 'create', '--email', 'sync@example.test', '--name', 'Sync', '--password', 'correct horse', '--role', 'technician'], env0)).code,
    ).toBe(0);
    const syncKey = (await runCli(['apikey', 'create', '--user', 'sync@example.test', '--name', 'sync'], env0)).stdout.trim();
    const otherKey = (await runCli(['apikey', 'create', '--user', 'sync@example.test', '--name', 'other'], env0)).stdout.trim();
    const readWith = (http: Requester, k: string) =>
      http({ url: '/api/v1/assets/read.php', query: { api_key: k, client_id: String(clientId) } }).then((r) => r.statusCode);
    // Both servers have checked (and remember) both keys.
    for (const http of [a, b]) for (const k of [syncKey, otherKey]) expect(await readWith(http, k)).toBe(200);

    const admin = new WebClient(a);
    await admin.get('/sign-in');
    await admin.post('/sign-in', { email: 'ops@example.test', password: 'correct horse' });
    await admin.get('/admin/api-keys');
    const listed = JSON.parse((await runCli(['apikey', 'list', '--json'], env0)).stdout) as Array<{ id: number; prefix: string }>;
    const id = listed.find((k) => syncKey.startsWith(k.prefix))?.id;
    expect(id).toBeDefined();
    expect((await admin.post(`/admin/api-keys/${id}/revoke`, {})).statusCode).toBe(303);
    expect(await readWith(b, syncKey)).toBe(401);
    expect(await readWith(b, otherKey)).toBe(200);

    const users = await admin.get('/admin/users');
    const userId = /href="\/admin\/users\/(\d+)"[^>]*>Sync</.exec(users.body)?.[1];
    expect(userId).toBeDefined();
    const form = await admin.get(`/admin/users/${userId}`);
    const role = /<select[^>]*name="role"[\s\S]*?<option value="(\d+)" selected/.exec(form.body)?.[1];
    expect((await admin.post(`/admin/users/${userId}`, { name: 'Sync', role: role!, status: 'disabled' })).statusCode).toBe(303);
    expect(await readWith(b, otherKey)).toBe(401);
  });

  it('counts failed keys from one address across both servers', async () => {
    const from = (http: Requester) => (k: string) =>
      http({ url: '/api/v1/assets/read.php', query: { api_key: k }, headers: { 'x-forwarded-for': '203.0.113.77' } }).then((r) => r.statusCode);
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) answers.push(await from(a)(`wrong-a-${i}-xxxxxxxxxxxxxx`), await from(b)(`wrong-b-${i}-xxxxxxxxxxxxxx`));
    expect(answers.every((s) => s === 401)).toBe(true);
    expect(await from(a)('wrong-again-xxxxxxxxxxxxxx')).toBe(429);
    expect(await from(b)('wrong-on-b-xxxxxxxxxxxxxxx')).toBe(429);
    const elsewhere = await b({
      url: '/api/v1/assets/read.php',
      query: { api_key: key, client_id: String(clientId) },
      headers: { 'x-forwarded-for': '203.0.113.78' },
    });
    expect(elsewhere.statusCode).toBe(200);
  });
});
