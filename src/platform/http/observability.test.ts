// What an operator sees, on each database: a request id on every answer and in its one log line, secrets
// kept out of the log, and an unexpected database error answered by every surface with a generic
// message and that request id, never the driver's words, while the log holds the error under that id.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../../test/support/databases.ts';
import { makeClientWithRecords } from '../../../test/support/factories.ts';
import { listen, type Requester } from '../../../test/support/http.ts';
import { WebClient } from '../../../test/support/web-client.ts';
import { createApiKey } from '../../accounts/api-key.service.ts';
import { createUser } from '../../accounts/user.service.ts';
import { buildApp } from '../../app.ts';
import { createAsset } from '../../assets/asset.service.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { FastifyInstance } from 'fastify';

describe.each(DIALECTS)('requests in the log and in the answer on %s', (dialect) => {
  const t = useTestDb(dialect);
  const lines: Array<Record<string, unknown>> = [];
  let app: FastifyInstance;
  let http: Requester;
  let key = '';
  let clientId = 0;

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    app = await buildApp({
      config: { ...loadConfig({}), logLevel: 'info', metrics: { enabled: true, token: 'metrics-token-0123456789' } },
      store: t.store,
      logger,
    });
    http = await listen(app);
    await createUser(t.ctx, { email: 'ops@log.test', name: 'Ops', password: 'correct horse', role: 'admin' });
    key = (await createApiKey(t.ctx, { userEmail: 'ops@log.test', name: 'log test' })).secret;
    clientId = (await makeClientWithRecords(t.ctx, 'Log Co')).client.id;
    await createAsset(t.ctx, { clientId, name: 'LOGGED-1' });
  });
  afterAll(async () => app.close());

  it('gives every answer a request id, and logs one line per request with it, without the API key', async () => {
    const res = await http({ url: '/api/v1/assets/read.php', query: { api_key: key, client_id: String(clientId) } });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.find((l) => l.reqId === id && l.msg === 'request');
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/api/v1/assets/read.php',
      path: '/api/v1/assets/read.php',
      status: 200,
      key: expect.any(Number),
      user: expect.any(Number),
    });
    expect(typeof line!.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain(key);
    const other = await http({ url: '/healthz' });
    expect(other.headers['x-request-id']).not.toBe(id);
  });

  it('answers an unexpected database error with a generic message and the request id on every surface, and logs it', async () => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'ops@log.test', password: 'correct horse' });
    await sql`alter table assets rename to assets_away`.execute(t.store.db);
    try {
      const v1 = await http({ url: '/api/v1/assets/read.php', query: { api_key: key, client_id: String(clientId) } });
      const v2 = await http({ url: '/api/v2/assets/1/history', headers: { authorization: `Bearer ${key}` } });
      const page = await web.get(`/clients/${clientId}/assets`);
      for (const [res, body] of [
        [v1, v1.body],
        [v2, v2.body],
        [page, page.body],
      ] as const) {
        expect(res.statusCode).toBe(500);
        const id = res.headers['x-request-id'] as string;
        expect(body).toContain(id);
        expect(body).not.toMatch(/SQLITE|no such table|relation "|assets_away|does not exist/i);
        expect(lines.find((l) => l.reqId === id && l.level === 50 && l.err)).toBeDefined();
      }
      expect(v1.json()).toMatchObject({ success: 'False', message: expect.stringContaining('request id') });
      expect(v2.json()).toMatchObject({ status: 500, request_id: v2.headers['x-request-id'] });
    } finally {
      await sql`alter table assets_away rename to assets`.execute(t.store.db);
    }
  });

  it('keeps the probes free of the session lookup, so a browser cookie cannot turn them into driver errors', async () => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email: 'ops@log.test', password: 'correct horse' });
    await sql`alter table sessions rename to sessions_away`.execute(t.store.db);
    try {
      const ready = await web.get('/readyz');
      expect(ready.statusCode).toBe(200);
      expect((await web.get('/healthz')).statusCode).toBe(200);
      const page = await web.get('/assets');
      expect(page.statusCode).toBe(500);
      expect(page.body).not.toMatch(/sessions_away|no such table|relation "/);
    } finally {
      await sql`alter table sessions_away rename to sessions`.execute(t.store.db);
    }
  });

  it('serves metrics only with the token', async () => {
    expect((await http({ url: '/metrics' })).statusCode).toBe(401);
    const res = await http({ url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/steward_http_requests_total\{method="GET",route="\/api\/v1\/assets\/read\.php",status="200"\} \d+/);
    expect(res.body).toContain('steward_http_request_duration_seconds_bucket');
  });
});
