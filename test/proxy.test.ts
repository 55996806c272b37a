// Steward behind a TLS reverse proxy (nginx) at a base path, as the README sets it up: every link,
// redirect and cookie carries the base path, cookies are Secure, HSTS is sent, and each caller's own
// address (from X-Forwarded-For, trusted only from the proxy) reaches the throttles, the audit log and
// the history, so one caller's bad keys do not lock everyone else out.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/platform/db/store.ts';
import { httpsRequesterAt, requesterAt } from './support/http.ts';
import { NGINX, startNginx, type RunningNginx } from './support/nginx.ts';
import { adminKey, startServer, type RunningServer } from './support/server.ts';
import { WebClient } from './support/web-client.ts';

describe('behind nginx with TLS at /steward', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-proxy-'));
  const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '', STEWARD_TRUST_PROXY: '127.0.0.1' };
  let server: RunningServer;
  let nginx: RunningNginx;
  let key = '';
  const from = (address: string) => httpsRequesterAt(nginx.port, '/steward', { 'x-forwarded-for': address });

  beforeAll(async () => {
    expect(existsSync(NGINX), `the proxy tests need nginx at ${NGINX} (apt-get install nginx-light)`).toBe(true);
    key = await adminKey(env);
    server = await startServer({ ...env, STEWARD_PUBLIC_URL: 'https://127.0.0.1/steward' });
    nginx = await startNginx(server.port, '/steward');
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts the base path in every link, redirect and cookie, marks cookies Secure and sends HSTS', async () => {
    const http = from('198.51.100.10');
    const root = await http({ url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/steward/sign-in');
    const web = new WebClient(http);
    const signInPage = await web.get('/sign-in');
    expect(signInPage.statusCode).toBe(200);
    expect(signInPage.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(signInPage.body).toContain('action="/steward/sign-in"');
    expect(signInPage.body).toMatch(/href="\/steward\/static\/bootstrap\//);
    expect(signInPage.body).not.toMatch(/(href|src|action)="\/(?!steward\/)/);
    const formCookie = String(signInPage.headers['set-cookie']);
    expect(formCookie).toMatch(/Path=\/steward/);
    expect(formCookie).toMatch(/Secure/);
    const css = await http({ url: '/static/app/app.css' });
    expect(css.statusCode).toBe(200);

    const signedIn = await web.post('/sign-in', { email: 'ops@example.test', password: 'correct horse' });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/steward/assets');
    const session = (signedIn.headers['set-cookie'] as string[]).find((c) => c.startsWith('steward_session='))!;
    expect(session).toMatch(/Path=\/steward/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/HttpOnly/);
    const list = await web.get('/assets');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/steward/assets/import"');
    expect(list.body).not.toMatch(/(href|src|action|hx-get|hx-post)="\/(?!steward\/)/);
  });

  it("records each caller's own address, and throttles one caller's bad keys without locking out another", async () => {
    const created = await from('198.51.100.23')({ method: 'POST', url: '/api/v1/clients/create.php', payload: { api_key: key, client_name: 'Proxy Co' } });
    const clientId = Number((created.json() as { data: Array<{ insert_id: number }> }).data[0]!.insert_id);
    const asset = await from('198.51.100.23')({
      method: 'POST',
      url: '/api/v1/assets/create.php',
      payload: { api_key: key, client_id: String(clientId), asset_name: 'BEHIND-PROXY' },
    });
    expect(asset.statusCode).toBe(200);

    const guesser = from('203.0.113.66');
    const answers: number[] = [];
    for (let i = 0; i < 22; i++)
      answers.push((await guesser({ url: '/api/v1/assets/read.php', query: { api_key: `wrong-key-${i}-xxxxxxxxxxxx` } })).statusCode);
    expect(answers.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(answers.at(-1)).toBe(429);
    const honest = await from('203.0.113.67')({ url: '/api/v1/assets/read.php', query: { api_key: key, client_id: String(clientId) } });
    expect(honest.statusCode).toBe(200);

    const store = openStore({ kind: 'sqlite', url: join(dataDir, 'steward.db') });
    try {
      const event = await store.db.selectFrom('asset_events').select('ip').where('asset_name', '=', 'BEHIND-PROXY').executeTakeFirstOrThrow();
      expect(event.ip).toBe('198.51.100.23');
      const failures = await store.db.selectFrom('audit_log').select('ip').where('action', '=', 'api_key.auth_failed').execute();
      expect(new Set(failures.map((f) => f.ip))).toEqual(new Set(['203.0.113.66']));
    } finally {
      await store.close();
    }
  });

  it('serves requests that arrive with the base path still on, as from a proxy that does not strip it', async () => {
    const direct = requesterAt(server.port);
    expect((await direct({ url: '/steward/healthz' })).statusCode).toBe(200);
    expect((await direct({ url: '/steward' })).headers.location).toBe('/steward/sign-in');
    expect((await direct({ url: '/healthz' })).statusCode).toBe(200);
  });
});
