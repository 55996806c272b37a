// How Steward's processes live: a request in flight when SIGTERM arrives still gets its answer, `npm
// start` stopped by a signal leaves no server process behind, and its server processes start without
// repeating what the supervisor already said.
import SQLite from '../src/platform/db/sqlite-binding.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requesterAt } from './support/http.ts';
import { adminKey, createClientV1, freePort, startServer } from './support/server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  );

describe('stopping', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-stop-'));
  const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lets a request in flight finish on SIGTERM, then exits 0 with nothing left listening', async () => {
    const key = await adminKey(env);
    const server = await startServer(env);
    const http = requesterAt(server.port);
    const clientId = await createClientV1(http, key, 'Stop Co');
    // The write waits for a lock another process holds, so it is still in flight when the signal comes.
    const other = new SQLite(join(dataDir, 'steward.db'));
    other.exec('begin immediate');
    const write = http({ method: 'POST', url: '/api/v1/assets/create.php', payload: { api_key: key, client_id: String(clientId), asset_name: 'IN-FLIGHT' } });
    await sleep(500);
    const exited = server.stop('SIGTERM');
    await sleep(1_000);
    other.exec('rollback');
    other.close();
    const res = await write;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: 'True' });
    expect(await exited).toBe(0);
    expect(await answers(server.port)).toBe(false);
  }, 60_000);

  it('stops every server process when `npm start` is stopped with SIGTERM', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], { env: { ...process.env, ...env, STEWARD_PORT: String(port), STEWARD_LOG_LEVEL: 'warn' }, stdio: 'ignore' });
    for (let i = 0; i < 600 && !(await answers(port)); i++) await sleep(100);
    expect(await answers(port)).toBe(true);
    npm.kill('SIGTERM');
    let stillAnswering = true;
    for (let i = 0; i < 50 && stillAnswering; i++) {
      await sleep(200);
      stillAnswering = await answers(port);
    }
    expect(stillAnswering).toBe(false);
  }, 60_000);

  it('says once, not once per server process, that a STEWARD_ variable is misspelt', async () => {
    const server = await startServer({ ...env, STEWARD_WORKERS: '2', STEWARD_LOG_LEVEL: 'info', STEWARD_DATABSE_URL: 'postgres://x' });
    // Both server processes are up before the count is read.
    for (let i = 0; i < 100 && (server.output().match(/Server listening/g) ?? []).length < 2; i++) await sleep(100);
    expect(server.output().match(/Server listening/g)).toHaveLength(2);
    expect(server.output().match(/STEWARD_DATABSE_URL is not a Steward setting; did you mean STEWARD_DATABASE_URL\?/g)).toHaveLength(1);
    expect(await server.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
