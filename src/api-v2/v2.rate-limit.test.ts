// Rate limits per API key on /api/v2, over a real socket on each database, with a tiny limit: every
// authenticated answer carries RateLimit-Limit/Remaining/Reset (errors too), the request over the
// limit is a 429 problem with Retry-After, each key has its own budget, and API v1, requests without a
// key and the OpenAPI document are not limited. Also STEWARD_API_RATE_LIMIT's parsing.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import type { HttpResponse } from '../../test/support/http.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { ConfigError, loadConfig, unknownVariables } from '../platform/config.ts';

function budget(res: HttpResponse) {
  return {
    limit: res.headers['ratelimit-limit'],
    remaining: res.headers['ratelimit-remaining'],
    reset: Number(res.headers['ratelimit-reset']),
  };
}

describe.each(DIALECTS)('/api/v2 rate limits on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t, { config: { apiRateLimit: 3 } });
  const v2 = (method: string, url: string, key: string | null, payload?: unknown) =>
    site.http({ method, url, payload, headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('counts each key: headers on every answer, then 429 with Retry-After; another key, v1 and unauthenticated requests are not affected', async () => {
    const a = await makeClientWithRecords(t.ctx, 'Limited Co');
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'LIMITED-PC' });
    const keys = await makeKeyedUsers(t.ctx, { busy: 'admin', calm: 'admin' });

    const first = await v2('GET', `/api/v2/assets/${asset.id}/history`, keys.busy);
    expect(first.statusCode).toBe(200);
    expect(budget(first)).toMatchObject({ limit: '3', remaining: '2' });
    expect(budget(first).reset).toBeGreaterThanOrEqual(1);
    expect(budget(first).reset).toBeLessThanOrEqual(60);
    // Answers that are errors say the budget too, and count.
    const missing = await v2('GET', '/api/v2/assets/987654/history', keys.busy);
    expect(missing.statusCode).toBe(404);
    expect(budget(missing)).toMatchObject({ limit: '3', remaining: '1' });
    const invalid = await v2('POST', '/api/v2/assets/transfers', keys.busy, { asset_ids: 'all' });
    expect(invalid.statusCode).toBe(422);
    expect(budget(invalid)).toMatchObject({ limit: '3', remaining: '0' });

    const over = await v2('GET', `/api/v2/assets/${asset.id}/history`, keys.busy);
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json()).toMatchObject({
      type: 'https://steward.invalid/problems/too-many-requests',
      title: 'Too many requests',
      status: 429,
      detail: expect.stringMatching(/^This API key has made its 3 requests of this minute; try again in \d+ seconds?\.$/),
      instance: `/api/v2/assets/${asset.id}/history`,
    });
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(budget(over)).toMatchObject({ limit: '3', remaining: '0' });
    expect((await v2('POST', '/api/v2/assets/transfers', keys.busy, { asset_ids: [asset.id], to_client_id: a.client.id })).statusCode).toBe(429);

    const calm = await v2('GET', `/api/v2/assets/${asset.id}/history`, keys.calm);
    expect(calm.statusCode).toBe(200);
    expect(budget(calm)).toMatchObject({ limit: '3', remaining: '2' });

    // API v1 never limits (ITFlow's scripts never met a limit) and says nothing of one.
    for (let i = 0; i < 5; i++) {
      const old = await site.http({ url: '/api/v1/assets/read.php', query: { api_key: keys.busy, asset_id: String(asset.id) } });
      expect(old.json()).toMatchObject({ success: 'True' });
      expect(old.headers['ratelimit-limit']).toBeUndefined();
    }
    // No key: a 401 (guessing has its own throttle), no budget to tell.
    const anonymous = await v2('GET', `/api/v2/assets/${asset.id}/history`, null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['ratelimit-limit']).toBeUndefined();
    for (let i = 0; i < 4; i++) expect((await v2('GET', '/api/v2/openapi.json', null)).statusCode).toBe(200);
  });
});

describe.each(DIALECTS)('/api/v2 with the default limit on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);

  it('allows 1200 requests a minute per key', async () => {
    const { key } = await makeKeyedUsers(t.ctx, { key: 'admin' });
    const res = await site.http({ url: '/api/v2/assets/1/history', headers: { authorization: `Bearer ${key}` } });
    expect(budget(res)).toMatchObject({ limit: '1200', remaining: '1199' });
  });
});

describe('/api/v2 with the limit off', () => {
  const t = useTestDb('sqlite');
  const site = useWebApp(t, { config: { apiRateLimit: 0 } });

  it('sends no rate-limit headers and never answers 429', async () => {
    const { key } = await makeKeyedUsers(t.ctx, { key: 'admin' });
    const res = await site.http({ url: '/api/v2/assets/1/history', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });
});

describe('STEWARD_API_RATE_LIMIT', () => {
  it('is requests per minute per key, 1200 unless set, 0 for no limit, and a mistake names the variable', () => {
    expect(loadConfig({}).apiRateLimit).toBe(1200);
    expect(loadConfig({ STEWARD_API_RATE_LIMIT: '60' }).apiRateLimit).toBe(60);
    expect(loadConfig({ STEWARD_API_RATE_LIMIT: ' 0 ' }).apiRateLimit).toBe(0);
    for (const bad of ['lots', '-1', '1.5', '1e3']) {
      expect(() => loadConfig({ STEWARD_API_RATE_LIMIT: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ STEWARD_API_RATE_LIMIT: bad })).toThrow(/STEWARD_API_RATE_LIMIT must be a whole number/);
    }
    expect(unknownVariables({ STEWARD_API_RATE_LIMIT: '5' })).toEqual([]);
    expect(unknownVariables({ STEWARD_API_RATELIMIT: '5' })).toEqual([{ name: 'STEWARD_API_RATELIMIT', suggestion: 'STEWARD_API_RATE_LIMIT' }]);
  });
});
