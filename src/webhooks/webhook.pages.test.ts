// Administration → Webhooks over a real socket, on each database: the list and form render, a private
// URL gets its field error, a new webhook shows its secret once, the delivery log shows the attempt
// with its excerpts, and "Redeliver" sends the event again; anyone else gets 403.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { runDeliveryOnce } from './webhook-delivery.ts';
import { privateTargetsAllowed } from './webhook-target.ts';

describe.each(DIALECTS)('webhook administration on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  const received: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['x-steward-event']));
      res.end('got it');
    });
  });
  const password = 'plum-orchard-lantern-47';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await createUser(t.ctx, { email: 'root@hooks.test', name: 'Root', password, role: 'admin' });
    await createUser(t.ctx, { email: 'tech@hooks.test', name: 'Tech', password, role: 'technician' });
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('creates, logs, redelivers and deletes a webhook; refuses private targets until allowed', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
    const web = await site.signIn('root@hooks.test', password);
    const list = await web.get('/admin/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('No webhooks yet.');
    expect((await web.get('/admin/webhooks/new')).body).toContain('name="_csrf"');

    const refused = await web.post('/admin/webhooks', { name: 'Local', url, events: 'asset.*', secret: '', active: 'true' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toMatch(/id="f-url-error"[^>]*>[^<]*non-public/);
    const bad = await web.post('/admin/webhooks', { name: 'Local', url: 'ftp://example.com/', events: 'asset.made', secret: 'short', active: 'true' });
    expect(bad.statusCode).toBe(422);
    for (const field of ['url', 'events', 'secret']) expect(bad.body).toContain(`id="f-${field}-error"`);

    await web.get('/admin/settings');
    const settings = await web.post('/admin/settings', { companyName: 'Hooks Ltd', retentionDays: '365', webhookPrivateTargets: 'on' });
    expect(settings.statusCode).toBe(303);
    expect(await privateTargetsAllowed(t.ctx)).toBe(true);

    await web.get('/admin/webhooks/new');
    const created = await web.post('/admin/webhooks', { name: 'Local', url, events: 'asset.*', secret: '', active: 'true' });
    expect(created.statusCode).toBe(201);
    const secret = /id="webhook-secret"[^>]*>\s*(whsec_[A-Za-z0-9_-]+)/.exec(created.body)?.[1];
    expect(secret).toBeTruthy();
    const id = /href="\/admin\/webhooks\/(\d+)"/.exec(created.body)![1]!;

    const c = await makeClientWithRecords(t.ctx, 'Hooked Pages Co');
    await createAsset(t.ctx, { clientId: c.client.id, name: 'PAGE-PC' });
    await runDeliveryOnce(t.ctx);
    expect(received).toEqual(['asset.created']);

    const page = await web.get(`/admin/webhooks/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Delivered');
    expect(page.body).toContain('got it');
    expect(page.body).not.toContain(secret!);
    const redeliver = /action="(\/admin\/webhooks\/\d+\/deliveries\/\d+\/redeliver)"/.exec(page.body)![1]!;
    expect((await web.post(redeliver, {})).statusCode).toBe(303);
    await runDeliveryOnce(t.ctx);
    expect(received).toEqual(['asset.created', 'asset.created']);

    await web.get(`/admin/webhooks/${id}`);
    expect((await web.post(`/admin/webhooks/${id}/ping`, {})).statusCode).toBe(303);
    await runDeliveryOnce(t.ctx);
    expect(received.at(-1)).toBe('webhook.ping');

    await web.get(`/admin/webhooks/${id}`);
    const edited = await web.post(`/admin/webhooks/${id}`, { name: 'Local receiver', url, events: 'asset.created, client.*', secret: '', active: 'false' });
    expect(edited.statusCode).toBe(303);
    const after = await web.get(`/admin/webhooks/${id}`);
    expect(after.body).toContain('Local receiver');
    expect(after.body).toContain('asset.created, client.*');

    const tech = await site.signIn('tech@hooks.test', password);
    expect((await tech.get('/admin/webhooks')).statusCode).toBe(403);
    expect((await tech.post(`/admin/webhooks/${id}/delete`, {})).statusCode).toBe(403);

    expect((await web.post(`/admin/webhooks/${id}/delete`, {})).statusCode).toBe(303);
    expect((await web.get('/admin/webhooks')).body).toContain('No webhooks yet.');
  });
});
