// A PostgreSQL outage under load, the way a database restart or a network cut happens in production: a
// TCP proxy in front of PostgreSQL is cut for 10 seconds while API clients keep writing. Steward must
// keep running (no process crashes, none gives up), answer 503 with Retry-After while the database is
// away, say so on /readyz, and serve again by itself once it is back. Also: a server started while the
// database is down waits for it; and a server process killed twice in a row is replaced, not fatal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS } from './support/databases.ts';
import { requesterAt, type Requester } from './support/http.ts';
import { adminKey, createClientV1, freePort, launchServer, startServer, type RunningServer } from './support/server.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS.filter((d) => d === 'postgres'))('a database outage on %s', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-outage-'));
  let proxy: TcpProxy;
  let server: RunningServer;
  let http: Requester;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let key = '';
  let clientId = 0;

  beforeAll(async () => {
    const db = await createEmptyDatabase('postgres');
    drop = db.drop;
    const url = new URL(db.url);
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(await proxy.start());
    env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: url.toString(), STEWARD_SECRET_KEY: 'q0Rj0d2mZ1m6yWqg0b4m3Xv7t8b2Jc9H1l5p0s3u6wA=' };
    key = await adminKey(env);
    server = await startServer(env);
    http = requesterAt(server.port);
    clientId = await createClientV1(http, key, 'Outage Co');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while PostgreSQL is cut off for 10 s, and recovers by itself', async () => {
    const statuses = new Map<number, number>();
    let running = true;
    let n = 0;
    const load = (async () => {
      while (running) {
        const res = await http({
          method: 'POST',
          url: '/api/v1/assets/create.php',
          payload: { api_key: key, client_id: String(clientId), asset_name: `OUT-${n++}` },
        }).catch(() => null);
        const status = res?.statusCode ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 503) expect(res!.headers['retry-after']).toBeDefined();
        await sleep(20);
      }
    })();
    await sleep(1_000);
    await proxy.cut();
    await sleep(2_000);
    const ready = await http({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'database unavailable' });
    expect((await http({ url: '/healthz' })).statusCode).toBe(200);
    const during = await http({
      method: 'POST',
      url: '/api/v1/assets/create.php',
      payload: { api_key: key, client_id: String(clientId), asset_name: 'DURING' },
    });
    expect(during.statusCode).toBe(503);
    expect(during.json()).toMatchObject({ success: 'False' });
    expect(during.body).not.toMatch(/ECONNREFUSED|ECONNRESET|terminated/);
    const page = await http({ url: '/sign-in' });
    expect([200, 503]).toContain(page.statusCode);
    await sleep(8_000);
    await proxy.restore();

    let back = 0;
    for (let i = 0; i < 60 && back !== 200; i++) {
      back = (await http({ url: '/readyz' })).statusCode;
      if (back !== 200) await sleep(500);
    }
    expect(back).toBe(200);
    await sleep(1_000);
    running = false;
    await load;
    const after = await http({ method: 'POST', url: '/api/v1/assets/create.php', payload: { api_key: key, client_id: String(clientId), asset_name: 'AFTER' } });
    expect(after.statusCode).toBe(200);

    // Only successes and "try again later": never a 500, never a dropped connection.
    expect([...statuses.keys()].sort()).toEqual([200, 503]);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toContain('stopped (');
  }, 120_000);

  it('replaces a server process killed twice in quick succession instead of giving up', async () => {
    const pid = server.child.pid!;
    const children = () =>
      execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    const before = children();
    process.kill(before[0]!, 'SIGKILL');
    let replacement: number | undefined;
    for (let i = 0; i < 50 && !replacement; i++) {
      await sleep(100);
      replacement = children().find((c) => !before.includes(c));
    }
    expect(replacement).toBeDefined();
    process.kill(replacement!, 'SIGKILL');
    let answered = 0;
    for (let i = 0; i < 100 && answered !== 200; i++) {
      await sleep(200);
      answered = (await http({ url: '/readyz' }).catch(() => null))?.statusCode ?? 0;
    }
    expect(answered).toBe(200);
    await sleep(4_000);
    expect(server.child.exitCode).toBeNull();
    expect(children()).toHaveLength(2);
    expect(server.output()).toMatch(/starting another in \d+ s/);
  }, 60_000);

  it('waits for a database that is down when it starts, and serves once it is up', async () => {
    await proxy.cut();
    const late = await launchServer(env, { port: await freePort() });
    for (let i = 0; i < 300 && !late.output().includes('waiting for the database'); i++) await sleep(100);
    await sleep(1_000);
    await proxy.restore();
    await late.ready;
    try {
      expect((await requesterAt(late.port)({ url: '/readyz' })).statusCode).toBe(200);
      expect(late.output()).toContain('waiting for the database');
    } finally {
      await late.stop();
    }
  }, 90_000);
});
