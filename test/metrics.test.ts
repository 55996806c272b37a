// /metrics on a real server with the default number of processes: a scrape, whichever process answers
// it, counts the requests every process served.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requesterAt, type Requester } from './support/http.ts';
import { adminKey, startServer, type RunningServer } from './support/server.ts';

describe('metrics of a server of several processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-metrics-'));
  const token = 'scrape-token-0123456789abcdef';
  let server: RunningServer;
  let http: Requester;
  let key = '';

  beforeAll(async () => {
    const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '', STEWARD_METRICS_TOKEN: token, STEWARD_WORKERS: '2' };
    key = await adminKey(env);
    server = await startServer(env);
    http = requesterAt(server.port);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds up every process, whichever process answers the scrape', async () => {
    // A new connection per request, so both processes get some.
    for (let i = 0; i < 40; i++) await http({ url: '/api/v1/clients/read.php', query: { api_key: key }, headers: { connection: 'close' } });
    for (let scrape = 0; scrape < 3; scrape++) {
      const res = await http({ url: '/metrics', headers: { authorization: `Bearer ${token}`, connection: 'close' } });
      expect(res.statusCode).toBe(200);
      const count = Number(/steward_http_requests_total\{method="GET",route="\/api\/v1\/clients\/read\.php",status="200"\} (\d+)/.exec(res.body)?.[1]);
      expect(count).toBe(40);
    }
    expect((await http({ url: '/metrics' })).statusCode).toBe(401);
  });
});
