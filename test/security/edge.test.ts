// What every request meets before any route: malformed query strings, control characters, ids out of
// range, redirects off the site, slow bodies, cacheable pages, echoed input, and private data files.
// Each case replays a finding of the security probe against a real `steward serve`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS } from '../support/databases.ts';
import { requesterAt, type HttpResponse, type Requester } from '../support/http.ts';
import { adminKey, createClientV1, startServer, type RunningServer } from '../support/server.ts';
import { WebClient } from '../support/web-client.ts';

const mode = (file: string) => statSync(file).mode & 0o777;

describe.each(DIALECTS)('the edge of a running server on %s', (dialect) => {
  const parent = mkdtempSync(join(tmpdir(), 'steward-edge-'));
  const dir = join(parent, 'data');
  let server: RunningServer;
  let http: Requester;
  let web: WebClient;
  let key = '';
  let assetId = 0;
  let drop: () => Promise<void> = async () => {};
  const api = (url: string, payload: Record<string, string>) => http({ method: 'POST', url, payload: { api_key: key, ...payload } });
  const assetName = async () =>
    ((await http({ url: '/api/v1/assets/read.php', query: { api_key: key, asset_id: String(assetId) } })).json() as { data: Array<{ asset_name: string }> })
      .data[0]!.asset_name;

  beforeAll(async () => {
    const env: Record<string, string> = { STEWARD_DATA_DIR: dir, STEWARD_REQUEST_TIMEOUT: '2' };
    if (dialect === 'postgres') {
      const db = await createEmptyDatabase('postgres');
      drop = db.drop;
      env.STEWARD_DATABASE_URL = db.url;
    }
    key = await adminKey(env);
    server = await startServer(env);
    http = requesterAt(server.port);
    const clientId = await createClientV1(http, key, 'Edge Co');
    const created = await api('/api/v1/assets/create.php', { client_id: String(clientId), asset_name: 'EDGE-01' });
    assetId = Number((created.json() as { data: Array<{ insert_id: string }> }).data[0]!.insert_id);
    web = new WebClient(http);
    await web.get('/sign-in');
    expect((await web.post('/sign-in', { email: 'ops@example.test', password: 'correct horse' })).statusCode).toBe(303);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await drop();
    rmSync(parent, { recursive: true, force: true });
  });

  const refused = (res: HttpResponse, field: string) => {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.body).toContain(field);
  };

  describe('query strings (finding 9)', () => {
    it('refuses a parameter given twice, naming it', async () => {
      refused(await web.get('/assets?q=1&q=2'), 'q');
      refused(await web.get(`/clients/1/assets?status=1&status=2`), 'status');
    });

    it('still takes the ticked columns of the column chooser, which repeat by design', async () => {
      const res = await web.get('/assets?columns_set=1&col=serial&col=ip');
      expect(res.statusCode).toBe(200);
    });

    it('treats names of built-in object properties as unknown values', async () => {
      for (const query of ['sort=__proto__', 'sort=constructor', 'tab=constructor', 'warranty=toString', '__proto__=1', 'constructor=x']) {
        const res = await web.get(`/assets?${query}`);
        expect(res.statusCode, query).toBe(200);
        expect(res.body).toContain('EDGE-01');
      }
    });

    it('never lets a bulk action named after a built-in property edit the asset', async () => {
      const list = await web.get('/assets');
      expect(list.statusCode).toBe(200);
      const res = await web.post('/assets/bulk', { action: 'constructor', ids: String(assetId), name: 'HIJACKED', undefined: 'x', return_to: '/assets' });
      expect(res.statusCode).toBe(303);
      expect(await assetName()).toBe('EDGE-01');
    });

    it('refuses export columns named after built-in properties as unknown columns', async () => {
      for (const columns of ['constructor', 'toString', '__proto__']) {
        const res = await web.get(`/assets/export.csv?columns=${columns}`);
        expect(res.statusCode, columns).toBe(422);
        expect(res.body).toContain(`unknown column ${columns}`);
      }
    });

    it('refuses broken percent-encoding instead of storing or searching it', async () => {
      refused(await web.get('/assets?q=%C3%28'), 'percent-encoded');
      refused(await web.get('/assets?q=%ZZ'), 'percent-encoded');
    });
  });

  describe('text and ids that reach the database (finding 4)', () => {
    it('refuses NUL and other control characters in searches and form text, naming the field', async () => {
      refused(await web.get('/assets?q=a%00b'), 'q');
      refused(await web.get('/assets?q=%1B%5B31m'), 'q');
      await web.get(`/assets/${assetId}/edit`);
      refused(await web.post(`/assets/${assetId}/edit`, { name: 'EDGE\u0000-02', version: '1' }), 'name');
      const v1 = await api('/api/v1/assets/update.php', { asset_id: String(assetId), asset_name: 'bad\u0000name' });
      expect(v1.statusCode).toBe(400);
      expect(v1.body).toContain('asset_name');
      expect(await assetName()).toBe('EDGE-01');
    });

    it('refuses a form body with broken percent-encoding instead of storing it literally', async () => {
      // Signed in: a visitor's form is sent to the sign-in page before its body is read at all.
      const res = await http({
        method: 'POST',
        url: `/assets/${assetId}/quick-notes`,
        payload: 'notes=%ZZ',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: web.cookieHeader(), 'x-csrf-token': web.csrf },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('percent-encoded');
    });

    it('takes control characters out of an uploaded file name, and refuses them in the upload form fields', async () => {
      await web.get('/assets/import');
      const named = await web.upload('/imports', { kind: 'assets', client: '1', asset: '' }, { name: 'kit\u0001\u007f.csv', content: 'Name\r\nUP-1\r\n' });
      expect(named.statusCode).toBeLessThan(500);
      await web.get('/assets/import');
      const field = await web.upload('/imports', { kind: 'assets\u0000', client: '1', asset: '' }, { name: 'kit.csv', content: 'Name\r\nUP-2\r\n' });
      expect(field.statusCode).toBe(400);
    });

    it('keeps tabs and line breaks where text may hold them', async () => {
      await web.get(`/assets/${assetId}`);
      const res = await web.post(`/assets/${assetId}/notes`, { body: 'line one\r\n\tline two', type: '' });
      expect(res.statusCode).toBeLessThan(400);
    });

    it('answers ids beyond 31 bits, in hex or in exponent form as not found, never 500', async () => {
      for (const id of ['2147483648', '99999999999999999999', '0x10', '1e3', '-1', '0']) {
        const res = await web.get(`/assets/${id}`);
        expect(res.statusCode, id).toBe(404);
      }
      expect((await web.get('/assets/transfer?ids=2147483648&to=2147483648')).statusCode).toBeLessThan(500);
    });

    it('refuses an impossible date in the audit filters, naming the field', async () => {
      refused(await web.get('/admin/audit?from=2023-13-01'), 'from');
      refused(await web.get('/admin/audit?to=2023-02-30'), 'to');
      expect((await web.get('/admin/audit?from=2023-02-28')).statusCode).toBe(200);
    });
  });

  describe('redirects after sign-in and forms (finding 6)', () => {
    const stayOnSite = (res: HttpResponse) => {
      expect(res.statusCode).toBeLessThan(500);
      const location = String(res.headers.location ?? '');
      expect(location.startsWith('/')).toBe(true);
      expect(location.startsWith('//')).toBe(false);
      expect(location).not.toMatch(/evil/);
    };

    it('sends a signed-in user only to paths on this site', async () => {
      for (const next of [
        '/%09/evil.example/x',
        '/%0A/evil.example',
        '/\\evil.example',
        '/.//evil.example',
        'https://evil.example',
        '//evil.example',
        '/%5Cevil.example',
      ]) {
        const res = await web.get(`/sign-in?next=${next}`);
        expect(res.statusCode, next).toBe(302);
        stayOnSite(res);
      }
    });

    it('answers next with line breaks or non-ASCII without a 500', async () => {
      for (const next of ['/assets%0D%0ASet-Cookie:%20x=1', '/assets/%C3%A9t%C3%A9', '/caf%C3%A9?x=%E2%9C%93']) {
        const res = await web.get(`/sign-in?next=${next}`);
        expect(res.statusCode, next).toBe(302);
        expect(String(res.headers.location)).not.toMatch(/[\r\n]/);
        expect(res.headers['set-cookie'] ?? []).not.toContain('x=1');
      }
    });

    it('never follows return_to off the site after a bulk action or a favourite', async () => {
      await web.get('/assets');
      stayOnSite(await web.post('/assets/bulk', { action: 'favorite', ids: String(assetId), return_to: '/\t/evil.example/x' }));
      await web.get(`/assets/${assetId}`);
      stayOnSite(await web.post(`/assets/${assetId}/favorite`, { return_to: '/\t/evil.example/x' }));
    });
  });

  describe('HTTP (finding 13)', () => {
    it('cuts off a body trickled in too slowly instead of holding the connection', async () => {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1');
        let answer = '';
        socket.on('data', (d) => (answer += d));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(answer || 'closed');
        });
        socket.write('POST /api/v1/assets/read.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
        const drip = setInterval(() => socket.write(' '), 500);
      });
      expect(outcome).toMatch(/^HTTP\/1\.1 408|^closed$/);
      expect((await http({ url: '/healthz' })).statusCode).toBe(200);
    }, 60_000);

    it('marks every signed-in page and API answer as not to be stored by any cache', async () => {
      for (const url of ['/assets', `/assets/${assetId}`, '/clients', '/admin/audit']) {
        expect((await web.get(url)).headers['cache-control'], url).toBe('no-store');
      }
      expect((await http({ url: '/api/v1/assets/read.php', query: { api_key: key } })).headers['cache-control']).toBe('no-store');
      expect((await http({ url: '/static/app/app.css' })).headers['cache-control']).not.toBe('no-store');
    });

    it('echoes only a short excerpt of what was typed in a message', async () => {
      await web.get(`/assets/${assetId}`);
      const res = await web.post(`/assets/${assetId}/tags`, { tags: 'y'.repeat(70_000) });
      expect(res.statusCode).toBe(303);
      const cookies = [res.headers['set-cookie'] ?? []].flat().join('\n');
      expect(cookies.length).toBeLessThan(4_000);
    });
  });

  it('keeps the data folder, the database, its WAL and the secret key private to its user (finding 14)', () => {
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'secret.key'))).toBe(0o600);
    if (dialect === 'sqlite') {
      expect(mode(join(dir, 'steward.db'))).toBe(0o600);
      expect(mode(join(dir, 'steward.db-wal'))).toBe(0o600);
    }
  });
});
