// /api/v2/logins over a real socket on each database: the open fields in lists, reads and writes, and
// never a secret; reveal answers the secrets no-store, audited, only to a key whose user may read the
// client's logins.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { SecretBox } from '../platform/secrets.ts';

const PASSWORD = 'Plum-Orchard-Lantern-47!';
const OTP = 'JBSWY3DPEHPK3PXP';

describe.each(DIALECTS)('/api/v2/logins on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store, secretBox: new SecretBox(Buffer.alloc(32, 9)) });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Logins');
    b = await makeClientWithRecords(t.ctx, 'Beta Logins');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, key = keys.admin) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });
  const reveals = async (id: number) =>
    (await t.store.db.selectFrom('audit_log').select('id').where('action', '=', 'login.secret_revealed').where('entity_id', '=', id).execute()).length;

  it('never answers a secret in create, read, list or patch, only whether one is stored', async () => {
    const created = await call('POST', '/api/v2/logins', {
      client_id: a.client.id,
      name: 'Router admin',
      uri: 'https://10.0.0.1',
      username: 'root',
      password: PASSWORD,
      otp_secret: OTP,
    });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Record<string, unknown>;
    expect(rec).toMatchObject({ name: 'Router admin', has_username: true, has_password: true, has_totp: true, url: `/api/v2/logins/${rec.id}` });
    const answers = [
      created,
      await call('GET', `/api/v2/logins/${rec.id}`),
      await call('GET', `/api/v2/logins?client_id=${a.client.id}`),
      await call('GET', `/api/v2/logins?client_id=${a.client.id}&q=router`),
      await call('PATCH', `/api/v2/logins/${rec.id}`, { description: 'Edge router', password: `${PASSWORD}2` }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200 + (answer === created ? 1 : 0));
      expect(answer.body).not.toContain('Plum-Orchard');
      expect(answer.body).not.toContain(OTP);
      expect(answer.body).not.toMatch(/"(password|username|otp_secret|password_secret|username_secret)"/);
    }
    expect((answers[2]!.json() as { results: Array<{ name: string }> }).results.map((r) => r.name)).toEqual(['Router admin']);
    expect(await reveals(rec.id as number)).toBe(0);
  });

  it('reveals to a key that may, audited and no-store; refuses a role without logins (403) and hides other clients (404)', async () => {
    const rec = (
      await call('POST', '/api/v2/logins', { client_id: a.client.id, name: 'Mail', username: 'ops', password: PASSWORD, otp_secret: OTP })
    ).json() as {
      id: number;
    };
    const shown = await call('POST', `/api/v2/logins/${rec.id}/reveal`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.json()).toEqual({ username: 'ops', password: PASSWORD, totp_code: expect.stringMatching(/^[0-9]{6}$/) });
    expect(await reveals(rec.id)).toBe(1);

    // An Idempotency-Key never keeps the secrets: the second call reveals (and is audited) again.
    const again = await call('POST', `/api/v2/logins/${rec.id}/reveal`, undefined, { 'idempotency-key': 'reveal-1' });
    const twice = await call('POST', `/api/v2/logins/${rec.id}/reveal`, undefined, { 'idempotency-key': 'reveal-1' });
    expect(twice.headers['idempotency-replayed']).toBeUndefined();
    expect([again.statusCode, twice.statusCode]).toEqual([200, 200]);
    expect(await reveals(rec.id)).toBe(3);

    const refused = await call('POST', `/api/v2/logins/${rec.id}/reveal`, undefined, {}, keys.reader);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('Plum-Orchard');
    expect((await call('GET', `/api/v2/logins/${rec.id}`, undefined, {}, keys.reader)).statusCode).toBe(403);
    const hidden = await call('POST', `/api/v2/logins/${rec.id}/reveal`, undefined, {}, keys.onlyB);
    expect(hidden.statusCode).toBe(404);
    expect((await call('GET', `/api/v2/logins/${rec.id}`, undefined, {}, keys.onlyB)).statusCode).toBe(404);
    expect(await reveals(rec.id)).toBe(3);

    const noTotp = (await call('POST', '/api/v2/logins', { client_id: b.client.id, name: 'Wifi', password: 'lantern-orchard-99' }, {}, keys.onlyB)).json() as {
      id: number;
    };
    expect((await call('POST', `/api/v2/logins/${noTotp.id}/reveal`, undefined, {}, keys.onlyB)).json()).toEqual({
      username: null,
      password: 'lantern-orchard-99',
    });
  });

  it('patches, archives, restores and deletes; names bad fields in snake_case; filters and sorts', async () => {
    const bad = await call('POST', '/api/v2/logins', { client_id: a.client.id, name: 'X', otp_secret: 'not base32!', uri_2: 'y'.repeat(501) });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort()).toEqual(['otp_secret', 'uri_2']);

    for (const name of ['Zeta VPN', 'Alpha VPN']) expect((await call('POST', '/api/v2/logins', { client_id: a.client.id, name })).statusCode).toBe(201);
    const sorted = (await call('GET', `/api/v2/logins?client_id=${a.client.id}&name__ic=vpn&sort=-name`)).json() as {
      results: Array<{ id: number; name: string }>;
    };
    expect(sorted.results.map((r) => r.name)).toEqual(['Zeta VPN', 'Alpha VPN']);
    const id = sorted.results[0]!.id;
    const etag = (await call('GET', `/api/v2/logins/${id}`)).headers.etag as string;
    const patched = await call('PATCH', `/api/v2/logins/${id}`, { favorite: true }, { 'if-match': etag });
    expect(patched.json()).toMatchObject({ favorite: true, has_password: false });
    expect((await call('PATCH', `/api/v2/logins/${id}`, { favorite: false }, { 'if-match': etag })).statusCode).toBe(412);
    expect((await call('GET', `/api/v2/logins?client_id=${a.client.id}&favorite=true`)).json()).toMatchObject({ results: [{ id }] });

    expect(((await call('POST', `/api/v2/logins/${id}/archive`)).json() as { archived_at: string | null }).archived_at).not.toBeNull();
    expect(((await call('GET', `/api/v2/logins?client_id=${a.client.id}&name__ic=vpn`)).json() as { results: unknown[] }).results).toHaveLength(1);
    expect(((await call('POST', `/api/v2/logins/${id}/restore`)).json() as { archived_at: string | null }).archived_at).toBeNull();
    expect((await call('DELETE', `/api/v2/logins/${id}`, undefined, {}, keys.reader)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v2/logins/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/logins/${id}`)).statusCode).toBe(404);
  });
});
