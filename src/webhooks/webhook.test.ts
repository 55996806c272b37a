// Webhooks end to end on each database, with a real receiver on a socket: the outbox is written with the
// change, deliveries are signed, failures are retried on an injected clock, a crashed delivery is sent
// again exactly once, private targets are refused, and a webhook that keeps failing is turned off.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset, updateAsset } from '../assets/asset.service.ts';
import { updateClient } from '../clients/client.service.ts';
import { createLogin } from '../logins/login.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { archiveLocation, createLocation, deleteLocation } from '../locations/location.service.ts';
import { ValidationError } from '../platform/errors.ts';
import { SecretBox } from '../platform/secrets.ts';
import { claimDeliveries, CLAIM_MS, FAILURES_BEFORE_DISABLE, runDeliveryOnce } from './webhook-delivery.ts';
import { forgetWebhookPresence } from './webhook-outbox.ts';
import { sendDelivery } from './webhook-http.ts';
import { isPublicAddress, setPrivateTargetsAllowed, targetProblem } from './webhook-target.ts';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, redeliver, updateWebhook } from './webhook.service.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local receiver: records every request and answers with the next planned status (200 when none). */
function receiver() {
  const received: Received[] = [];
  const plan: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = plan.shift() ?? 200;
      res.end(res.statusCode < 300 ? 'thanks' : 'try later');
    });
  });
  return {
    received,
    plan,
    server,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
  };
}

function verify(secret: string, r: Received): boolean {
  const header = String(r.headers['x-steward-signature']);
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  return createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest('hex') === m[2];
}

describe('webhook targets', () => {
  it('tells public addresses from loopback, private, link-local and mapped ones', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ])
      expect(isPublicAddress(a), a).toBe(false);
  });

  it('refuses other schemes, credentials and names that resolve inside', async () => {
    expect(await targetProblem('ftp://example.com/x', false)).toMatch(/https:\/\/ or http:\/\//);
    expect(await targetProblem('https://user:pw@example.com/', false)).toMatch(/user name or password/);
    expect(await targetProblem('https://rebind.example/', false, async () => ['93.184.216.34', '127.0.0.1'])).toMatch(/non-public/);
    expect(await targetProblem('https://ok.example/', false, async () => ['93.184.216.34'])).toBeNull();
    expect(await targetProblem('http://127.0.0.1:8080/', true)).toBeNull();
  });
});

describe.each(DIALECTS)('webhooks on %s', (dialect) => {
  const t = useTestDb(dialect);
  const r = receiver();
  let clock = Date.parse('2026-12-08T09:00:00.000Z');
  let ctx: Ctx;
  let client: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    ctx = { ...t.ctx, now: () => new Date(clock) };
    client = await makeClientWithRecords(ctx, 'Hooked Co');
  });
  afterAll(async () => new Promise<void>((resolve) => r.server.close(() => resolve())));
  beforeEach(async () => {
    // Each test starts with no webhook and an empty receiver.
    for (const w of await listWebhooks(ctx)) await deleteWebhook(ctx, w.id);
    forgetWebhookPresence();
    await setPrivateTargetsAllowed(ctx, true);
    r.received.length = 0;
    r.plan.length = 0;
    clock += 3_600_000;
  });

  const outboxCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('webhook_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('writes no event while no webhook is active', async () => {
    const before = await outboxCount();
    await createAsset(ctx, { clientId: client.client.id, name: 'NO-HOOK' });
    expect(await outboxCount()).toBe(before);
  });

  it('delivers a signed asset.created, then asset.updated with its changes', async () => {
    const { webhook, secret } = await createWebhook(ctx, { name: 'Receiver', url: r.url(), events: 'asset.*' });
    expect(secret).toMatch(/^whsec_/);
    expect(webhook.secretHint).toBe(secret.slice(-4));
    const asset = await createAsset(ctx, { clientId: client.client.id, name: 'PC-042', os: 'Windows 10' });
    await updateAsset(ctx, asset.id, { os: 'Windows 11', locationId: client.location.id });
    await updateClient(ctx, client.client.id, { website: 'https://hooked.example' }); // not asked for: client.*
    await runDeliveryOnce(ctx);
    expect(r.received.map((x) => x.headers['x-steward-event'])).toEqual(['asset.created', 'asset.updated']);
    for (const x of r.received) expect(verify(secret, x)).toBe(true);
    expect(verify('whsec_someone-else-entirely', r.received[0]!)).toBe(false);
    const created = JSON.parse(r.received[0]!.body);
    expect(created).toMatchObject({
      type: 'asset.created',
      source: 'web',
      client_id: client.client.id,
      data: { id: asset.id, name: 'PC-042', client_id: client.client.id },
      actor: { type: 'user', name: 'Test Technician' },
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const updated = JSON.parse(r.received[1]!.body);
    expect(updated.changes).toEqual(
      expect.arrayContaining([
        { field: 'os', old: 'Windows 10', new: 'Windows 11' },
        expect.objectContaining({ field: 'location_id', old: null, new: client.location.id, new_name: 'Head Office' }),
      ]),
    );
    expect(r.received[0]!.headers['x-steward-delivery']).not.toBe(r.received[1]!.headers['x-steward-delivery']);
    const log = await listDeliveries(ctx, webhook.id);
    expect(log.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(log.deliveries[0]!.log[0]).toMatchObject({ ok: true, statusCode: 200 });
    expect(log.deliveries[0]!.log[0]!.responseExcerpt).toContain('thanks');
  });

  it('emits record events with snake_case changes, and none for a change that rolled back', async () => {
    await createWebhook(ctx, { name: 'Records', url: r.url(), events: 'client.*, location.*' });
    await updateClient(ctx, client.client.id, { website: 'https://records.example' });
    const location = await createLocation(ctx, { clientId: client.client.id, name: 'Annex' });
    await archiveLocation(ctx, location.id);
    await deleteLocation(ctx, location.id);
    await inTransaction(ctx, async (trx) => {
      await createLocation(trx, { clientId: client.client.id, name: 'Never' });
      throw new Error('rolled back');
    }).catch(() => undefined);
    await createAsset(ctx, { clientId: client.client.id, name: 'NOT-WANTED' });
    await runDeliveryOnce(ctx);
    const bodies = r.received.map((x) => JSON.parse(x.body));
    expect(bodies.map((b) => b.type)).toEqual(['client.updated', 'location.created', 'location.archived', 'location.deleted']);
    expect(bodies[0]).toMatchObject({
      data: { id: client.client.id, name: 'Hooked Co', client_id: client.client.id },
      changes: [expect.objectContaining({ field: 'website', new: 'https://records.example' })],
    });
    expect(bodies[3].data).toEqual({ id: location.id, name: 'Annex', client_id: client.client.id });
  });

  it('never puts a login secret in an event', async () => {
    await createWebhook(ctx, { name: 'Logins', url: r.url(), events: ['login.*'] });
    const box = new SecretBox(Buffer.alloc(32, 7));
    await createLogin(ctx, box, { clientId: client.client.id, name: 'Router admin', username: 'admin', password: 'tulip-harbour-lantern-93' });
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.body).not.toContain('tulip-harbour-lantern-93');
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ type: 'login.created', data: { name: 'Router admin' } });
  });

  it('retries a failing receiver with backoff until it answers 2xx', async () => {
    const { webhook } = await createWebhook(ctx, { name: 'Flaky', url: r.url() });
    r.plan.push(503, 500);
    await createAsset(ctx, { clientId: client.client.id, name: 'FLAKY-1' });
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(1);
    await runDeliveryOnce(ctx); // not due yet
    expect(r.received).toHaveLength(1);
    clock += 30_000;
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(2);
    clock += 60_000;
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.headers['x-steward-delivery'])).size).toBe(1);
    const [delivery] = (await listDeliveries(ctx, webhook.id)).deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(delivery!.log.map((a) => a.statusCode)).toEqual([200, 500, 503]);
    expect((await getWebhook(ctx, webhook.id)).consecutiveFailures).toBe(0);
  });

  it('delivers exactly once after a process dies holding a claim', async () => {
    const { webhook } = await createWebhook(ctx, { name: 'Crash', url: r.url() });
    await createAsset(ctx, { clientId: client.client.id, name: 'CRASH-1' });
    await runDeliveryOnce(ctx, { batch: 0 }); // fan-out only
    const claimed = await claimDeliveries(ctx);
    expect(claimed).toHaveLength(1);
    // The process "dies" here: nothing sent, nothing recorded. Another process finds nothing to take
    // while the claim holds, and takes it once it has expired.
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(0);
    clock += CLAIM_MS + 1;
    await runDeliveryOnce(ctx);
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.headers['x-steward-delivery']).toBe(claimed[0]!.deliveryKey);
    expect((await listDeliveries(ctx, webhook.id)).deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('refuses a private URL with a field error unless allowed, and again at delivery time', async () => {
    await setPrivateTargetsAllowed(ctx, false);
    const refused = await createWebhook(ctx, { name: 'Inside', url: 'http://127.0.0.1:9/x' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([expect.objectContaining({ field: 'url', code: 'target_refused' })]);
    await setPrivateTargetsAllowed(ctx, true);
    const { webhook } = await createWebhook(ctx, { name: 'Inside', url: r.url() });
    await createAsset(ctx, { clientId: client.client.id, name: 'INSIDE-1' });
    await setPrivateTargetsAllowed(ctx, false);
    await runDeliveryOnce(ctx);
    expect(r.received).toHaveLength(0);
    const [delivery] = (await listDeliveries(ctx, webhook.id)).deliveries;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery!.lastError).toMatch(/non-public/);
  });

  it('checks the DNS answer on the connection itself: a name for a loopback address is refused', async () => {
    const url = r.url().replace('127.0.0.1', 'localhost');
    const refused = await sendDelivery({ url, body: '{}', headers: {}, allowPrivate: false });
    expect(refused).toMatchObject({ ok: false, statusCode: null });
    expect(refused.error).toMatch(/non-public/);
    expect(r.received).toHaveLength(0);
    const allowed = await sendDelivery({ url, body: '{}', headers: {}, allowPrivate: true });
    expect(allowed).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('turns off a webhook that keeps failing and tells the administrators; redeliver sends again', async () => {
    const admin = await createUser(ctx, { email: `boss-${dialect}@example.test`, name: 'Boss', password: 'plum-orchard-lantern-47', role: 'admin' });
    const { webhook } = await createWebhook(ctx, { name: 'Broken', url: r.url() });
    await createAsset(ctx, { clientId: client.client.id, name: 'BROKEN-1' });
    for (let i = 0; i < FAILURES_BEFORE_DISABLE; i++) {
      r.plan.push(500);
      await runDeliveryOnce(ctx, { backoffMs: () => 1_000 });
      clock += 1_000;
    }
    const off = await getWebhook(ctx, webhook.id);
    expect(off.active).toBe(false);
    expect(off.disabledReason).toMatch(/20 failed deliveries/);
    const notices = await ctx.db.selectFrom('notifications').select(['title']).where('kind', '=', 'webhook_disabled').where('user_id', '=', admin.id).execute();
    expect(notices.some((n) => n.title.includes('Broken'))).toBe(true);
    await updateWebhook(ctx, webhook.id, { active: true });
    const [last] = (await listDeliveries(ctx, webhook.id)).deliveries;
    await redeliver(ctx, webhook.id, last!.id);
    const before = r.received.length;
    await runDeliveryOnce(ctx, { backoffMs: () => 1_000 });
    expect(r.received.length).toBeGreaterThan(before);
    expect(r.received.at(-1)!.headers['x-steward-event']).toBe('asset.created');
  });
});
