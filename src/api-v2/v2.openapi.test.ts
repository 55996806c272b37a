// The generated OpenAPI document, the reference page, CORS and compression over a real socket, on each
// database; the start refusing a v2 route without operationId or tags; and the contract check catching
// an answer the document does not describe.
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, requesterAt, type Requester } from '../../test/support/http.ts';
import { Contract, type OpenApiDocument } from '../../test/support/contract.ts';
import { buildApp } from '../app.ts';
import { ConfigError, loadConfig, parseCorsOrigins, unknownVariables } from '../platform/config.ts';
import { VERSION } from '../version.ts';
import { registerV2OpenApi } from './v2.openapi.ts';

const DASHBOARD = 'https://dash.example.test';

describe.each(DIALECTS)('the /api/v2 document, reference, CORS and compression on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let base: string;
  let doc: OpenApiDocument & { info: Record<string, unknown>; openapi: string; security: unknown; servers: unknown; tags: Array<{ name: string }> };
  let key: string;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent', corsOrigins: [DASHBOARD] }, store: t.store });
    http = await listen(app);
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    ({ admin: key } = await makeKeyedUsers(t.ctx, { admin: 'admin' }));
    doc = (await http({ url: '/api/v2/openapi.json' })).json() as typeof doc;
  });
  afterAll(async () => app.close());

  it('is OpenAPI 3.1 with the version, a licence, the bearer scheme for every operation and paths relative to /api/v2', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Steward API v2', version: VERSION, license: { name: 'AGPL-3.0-only', identifier: 'AGPL-3.0-only' } });
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.servers).toEqual([{ url: '/api/v2', description: 'This Steward' }]);
    expect(doc.components?.schemas).toHaveProperty('Problem');
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining(['/assets/transfers', '/assets/{id}/history']));
    // Only v2 operations, no pages, no v1, not the reference itself.
    expect(paths.filter((p) => p.startsWith('/api/') || p.startsWith('/docs') || p === '/openapi.json' || p.endsWith('.php'))).toEqual([]);
  });

  it('gives every operation an operationId and tags, and answers problems as application/problem+json', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const label = `${method.toUpperCase()} ${path}`;
        expect(operation.operationId, label).toEqual(expect.any(String));
        expect(ids.has(operation.operationId!), `${label}: operationId used twice`).toBe(false);
        ids.add(operation.operationId!);
        expect((operation as { tags?: string[] }).tags?.length, label).toBeGreaterThan(0);
        for (const status of ['400', '401', '429', '500', '503']) expect(Object.keys(operation.responses ?? {}), label).toContain(status);
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (Number(status) >= 400) expect(Object.keys(response.content ?? {}), `${label} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
    const history = doc.paths['/assets/{id}/history']!.get!;
    expect(history.operationId).toBe('getAssetHistory');
    expect(history.responses?.['404']?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(doc.paths['/assets/transfers']!.post!.responses).toHaveProperty('201');
  });

  it('serves the reference at /api/v2/docs without a key, from Steward, under the same strict CSP as the pages', async () => {
    const page = await http({ url: '/api/v2/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/v2/docs/static/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    const csp = String(page.headers['content-security-policy']);
    const signIn = await http({ url: '/sign-in' });
    expect(csp).toBe(String(signIn.headers['content-security-policy']));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    const script = await http({ url: '/api/v2/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
    expect((await http({ url: '/api/v2/docs/json' })).json()).toMatchObject({ openapi: '3.1.0' });
    // The API itself still wants a key.
    expect((await http({ url: '/api/v2/assets/1/history' })).statusCode).toBe(401);
  });

  it('compresses JSON and HTML of 1 KB or more for clients that accept it, and leaves small answers alone', async () => {
    const big = await fetch(`${base}/api/v2/openapi.json`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(big.headers.get('content-encoding')).toBe('br');
    expect(((await big.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const gzip = await fetch(`${base}/api/v2/docs/static/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect((await gzip.text()).length).toBeGreaterThan(100_000);
    const small = await fetch(`${base}/api/v2/assets/1/history`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(small.status).toBe(401);
    expect(small.headers.get('content-encoding')).toBeNull();
    const plain = await http({ url: '/api/v2/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('lets only the configured origins call /api/v2 from a browser, and nothing else', async () => {
    const preflight = (url: string, origin: string) =>
      http({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    const allowed = await preflight('/api/v2/assets/1/history', DASHBOARD);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');
    const other = await preflight('/api/v2/assets/1/history', 'https://evil.example.test');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const read = await http({ url: '/api/v2/assets/999999/history', headers: { origin: DASHBOARD, authorization: `Bearer ${key}` } });
    expect(read.statusCode).toBe(404);
    expect(read.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(read.headers['access-control-expose-headers'])).toContain('etag');
    // Pages and v1 never carry CORS headers.
    const page = await http({ url: '/sign-in', headers: { origin: DASHBOARD } });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const v1 = await http({ url: '/api/v1/assets/read.php', query: { api_key: key }, headers: { origin: DASHBOARD } });
    expect(v1.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a path with broken percent-encoding with a problem document under /api/v2 only', async () => {
    const broken = await http({ method: 'POST', url: '/api/v2/assets/%FF%FE/history', headers: { authorization: `Bearer ${key}` } });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    expect(broken.json()).toMatchObject({ status: 400, title: 'Malformed request', instance: '/api/v2/assets/%FF%FE/history' });
    const page = await http({ url: '/assets/%FF%FE' });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).not.toContain('problem');
  });

  it('has CORS off by default', async () => {
    const plain = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    try {
      const h = await listen(plain);
      const answer = await h({ url: '/api/v2/assets/1/history', headers: { origin: DASHBOARD, authorization: `Bearer ${key}` } });
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await h({ method: 'OPTIONS', url: '/api/v2/assets/1/history', headers: { origin: DASHBOARD, 'access-control-request-method': 'GET' } });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('holds answers to the document: a wrong body, an undocumented status or an unknown operation fails the request', async () => {
    const contract = new Contract(doc);
    const answer =
      (status: number, body: unknown, url = '/api/v2/assets/7/history?limit=2', type = 'application/json; charset=utf-8') =>
      () =>
        contract.check({ method: 'GET', url, status, contentType: type, body: JSON.stringify(body) });
    expect(answer(200, { events: [], next_cursor: null })).not.toThrow();
    expect(answer(200, { events: 'none', next_cursor: null })).toThrow(
      /getAssetHistory \(GET \/api\/v2\/assets\/7\/history\) 200 does not match.*\/events must be array/,
    );
    expect(answer(200, { events: [] })).toThrow(/must have required property 'next_cursor'/);
    expect(answer(418, { title: 'teapot' })).toThrow(/getAssetHistory .* answered 418, a status the OpenAPI document does not list/);
    expect(answer(404, { title: 'Not found' }, undefined, 'application/problem+json')).toThrow(/404 does not match.*required property 'type'/);
    expect(answer(404, { title: 'Not found' })).toThrow(/answered 404 as "application\/json", but the document lists application\/problem\+json/);
    expect(answer(200, {}, '/api/v2/no-such-thing')).toThrow(/no operation/);

    // Over a socket, as every test's requester does: a server answering a wrong history page fails the call.
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/api/v2/openapi.json' ? JSON.stringify(doc) : JSON.stringify({ events: [{ id: 'x' }], next_cursor: null }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as { port: number }).port;
      await expect(requesterAt(port)({ url: '/api/v2/assets/3/history' })).rejects.toThrow(
        /getAssetHistory .* 200 does not match the OpenAPI document: \/events\/0/,
      );
      expect((await requesterAt(port, { contract: false })({ url: '/api/v2/assets/3/history' })).statusCode).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('the start of a v2 scope', () => {
  const start = async (schema: Record<string, unknown>) => {
    const app = Fastify();
    await app.register(
      async (v2) => {
        await registerV2OpenApi(v2);
        v2.get('/things', { schema }, async () => ({}));
      },
      { prefix: '/api/v2' },
    );
    try {
      await app.ready();
    } finally {
      await app.close();
    }
  };

  it('refuses an operation without operationId or tags, or one reusing an operationId', async () => {
    await expect(start({ tags: ['things'] })).rejects.toThrow('API v2 route GET /api/v2/things has no operationId in its schema');
    await expect(start({ operationId: 'listThings' })).rejects.toThrow('has no tags');
    await expect(start({ operationId: 'listThings', tags: ['things'] })).resolves.toBeUndefined();
  });
});

describe('STEWARD_CORS_ORIGINS', () => {
  it('takes a comma-separated list of origins, none by default, and names a bad entry', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(parseCorsOrigins(' https://dash.example.com , http://10.0.0.5:8080 ')).toEqual(['https://dash.example.com', 'http://10.0.0.5:8080']);
    for (const bad of ['*', 'dash.example.com', 'https://dash.example.com/app', 'ftp://files.example.com']) {
      expect(() => parseCorsOrigins(bad), bad).toThrow(ConfigError);
      expect(() => parseCorsOrigins(bad), bad).toThrow(/STEWARD_CORS_ORIGINS: ".*" is not an origin/);
    }
    expect(unknownVariables({ STEWARD_CORS_ORIGIN: 'https://x.test' })).toEqual([{ name: 'STEWARD_CORS_ORIGIN', suggestion: 'STEWARD_CORS_ORIGINS' }]);
  });
});
