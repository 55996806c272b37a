// /api/v2/webhooks over a real socket, on each database: an administrator's key registers a webhook
// (the secret shown once), reads and patches it with its ETag, reads the delivery log, pings and
// redelivers; a private URL is a 422 naming target_url; anyone else's key gets 403.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { loadConfig } from '../platform/config.ts';
import { runDeliveryOnce } from '../webhooks/webhook-delivery.ts';
import { setPrivateTargetsAllowed } from '../webhooks/webhook-target.ts';

describe.each(DIALECTS)('/api/v2/webhooks on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'tech', string>;
  const received: Array<{ event: string; delivery: string }> = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ event: String(req.headers['x-steward-event']), delivery: String(req.headers['x-steward-delivery']) });
      res.end('ok');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', tech: 'technician' });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  type Hook = { id: number; name: string; secret?: string; secret_hint: string };
  type Problem = { errors: Array<{ field: string; code: string }> };
  type Delivery = { id: number; delivery_key: string; log: Array<{ ok: boolean }> };
  const call = (method: string, url: string, key: string, payload?: unknown, headers: Record<string, string> = {}) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('lets an administrator manage webhooks and their deliveries', async () => {
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const refused = await call('POST', '/api/v2/webhooks', keys.admin, { name: 'Local', target_url: target });
    expect(refused.statusCode).toBe(422);
    expect((refused.json() as Problem).errors).toEqual([expect.objectContaining({ field: 'target_url', code: 'target_refused' })]);
    const unknown = await call('POST', '/api/v2/webhooks', keys.admin, { name: 'Local', target_url: 'https://93.184.216.34/', events: ['asset.exploded'] });
    expect(unknown.statusCode).toBe(422);
    expect((unknown.json() as Problem).errors).toEqual([expect.objectContaining({ field: 'events', code: 'unknown_event' })]);

    await setPrivateTargetsAllowed(t.ctx, true);
    const created = await call('POST', '/api/v2/webhooks', keys.admin, { name: 'Local', target_url: target, events: ['asset.*'] });
    expect(created.statusCode).toBe(201);
    const hook = created.json() as Hook & { secret: string };
    expect(hook).toMatchObject({ name: 'Local', target_url: target, events: ['asset.*'], active: true });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(created.headers.location).toBe(`/api/v2/webhooks/${hook.id}`);

    const read = await call('GET', `/api/v2/webhooks/${hook.id}`, keys.admin);
    expect(read.statusCode).toBe(200);
    expect((read.json() as Hook).secret).toBeUndefined();
    expect((read.json() as Hook).secret_hint).toBe(hook.secret.slice(-4));
    const etag = String(read.headers.etag);
    expect((await call('GET', `/api/v2/webhooks/${hook.id}`, keys.admin, undefined, { 'if-none-match': etag })).statusCode).toBe(304);
    const patched = await call('PATCH', `/api/v2/webhooks/${hook.id}`, keys.admin, { name: 'Local receiver' }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect((patched.json() as Hook).name).toBe('Local receiver');
    expect((await call('PATCH', `/api/v2/webhooks/${hook.id}`, keys.admin, { name: 'Stale' }, { 'if-match': etag })).statusCode).toBe(412);
    expect(((await call('GET', '/api/v2/webhooks', keys.admin)).json() as { results: Hook[] }).results.map((w) => w.id)).toContain(hook.id);

    const c = await makeClientWithRecords(t.ctx, 'API Hooks Co');
    await createAsset(t.ctx, { clientId: c.client.id, name: 'API-PC' });
    await runDeliveryOnce(t.ctx);
    expect(received.map((r) => r.event)).toEqual(['asset.created']);
    const log = await call('GET', `/api/v2/webhooks/${hook.id}/deliveries?limit=10`, keys.admin);
    expect(log.statusCode).toBe(200);
    const delivery = (log.json() as { results: Delivery[] }).results[0]!;
    expect(delivery).toMatchObject({ event_type: 'asset.created', status: 'delivered', attempts: 1, delivery_key: received[0]!.delivery });
    expect(delivery.log[0]).toMatchObject({ ok: true, status_code: 200 });

    const again = await call('POST', `/api/v2/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`, keys.admin);
    expect(again.statusCode).toBe(202);
    const ping = await call('POST', `/api/v2/webhooks/${hook.id}/ping`, keys.admin);
    expect(ping.statusCode).toBe(202);
    await runDeliveryOnce(t.ctx);
    expect(received.map((r) => r.event).sort()).toEqual(['asset.created', 'asset.created', 'webhook.ping']);
    expect((await call('POST', `/api/v2/webhooks/${hook.id}/deliveries/999999/redeliver`, keys.admin)).statusCode).toBe(404);

    for (const [method, url] of [
      ['GET', '/api/v2/webhooks'],
      ['POST', '/api/v2/webhooks'],
      ['GET', `/api/v2/webhooks/${hook.id}`],
      ['PATCH', `/api/v2/webhooks/${hook.id}`],
      ['DELETE', `/api/v2/webhooks/${hook.id}`],
      ['GET', `/api/v2/webhooks/${hook.id}/deliveries`],
      ['POST', `/api/v2/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`],
      ['POST', `/api/v2/webhooks/${hook.id}/ping`],
    ] as const) {
      const body = method === 'POST' && url === '/api/v2/webhooks' ? { name: 'Mine', target_url: target } : method === 'PATCH' ? { name: 'Mine' } : undefined;
      const res = await call(method, url, keys.tech, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }

    expect((await call('DELETE', `/api/v2/webhooks/${hook.id}`, keys.admin)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/webhooks/${hook.id}`, keys.admin)).statusCode).toBe(404);
  });
});
