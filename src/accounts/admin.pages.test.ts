// Administration over a real socket, on each database: an administrator adds a technician, limits
// them to one client (who then sees only that client in lists, search and the picker), creates an API
// key whose secret is shown once and revokes it, cannot lock the last administrator out, and a
// non-administrator is refused.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import type { Requester } from '../../test/support/http.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createUser } from './user.service.ts';

describe.each(DIALECTS)('administration on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  const http: Requester = (req) => site.http(req);

  const signIn = async (email: string, password = 'correct horse') => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email, password });
    return { web, res };
  };

  it('adds a technician limited to one client, who then sees only that client everywhere', async () => {
    const allowed = await makeClientWithRecords(t.ctx, 'Admin Allowed Co');
    const hidden = await makeClientWithRecords(t.ctx, 'Admin Hidden Co');
    await createAsset(t.ctx, { clientId: allowed.client.id, name: 'VISIBLE-PC', serial: 'SHARED-SERIAL-1' });
    await createAsset(t.ctx, { clientId: hidden.client.id, name: 'HIDDEN-PC', serial: 'SHARED-SERIAL-2' });
    const boss = await createUser(t.ctx, { email: 'boss@admin.test', name: 'Boss', password: 'correct horse', role: 'admin' });
    const { web } = await signIn('boss@admin.test');

    const form = await web.get('/admin/users/new');
    const technicianRole = /<option value="(\d+)"[^>]*>Technician<\/option>/.exec(form.body)![1]!;
    const short = await web.post('/admin/users/new', { name: 'Tina Tech', email: 'tina@admin.test', password: 'short', role: technicianRole });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Must be at least 12 characters long');
    const created = await web.post('/admin/users/new', { name: 'Tina Tech', email: 'tina@admin.test', password: 'correct horse', role: technicianRole });
    const userUrl = created.headers.location as string;
    await web.get(userUrl);
    await web.post(`${userUrl}/clients`, { [`client_${allowed.client.id}`]: 'allow', [`client_${hidden.client.id}`]: '' });
    expect((await web.get('/admin/users')).body).toMatch(/Tina Tech[\s\S]*?Only Admin Allowed Co/);

    const tina = (await signIn('tina@admin.test')).web;
    const clients = await tina.get('/clients');
    expect(clients.body).toContain('Admin Allowed Co</a>');
    expect(clients.body).not.toContain('Admin Hidden Co');
    const assets = await tina.get('/assets?q=SHARED-SERIAL');
    expect(assets.body).toContain('VISIBLE-PC');
    expect(assets.body).not.toContain('HIDDEN-PC');
    expect((await tina.get('/dashboard')).body).not.toContain('HIDDEN-PC');
    expect((await tina.get('/admin/users')).statusCode).toBe(403);

    // The last administrator cannot be disabled or demoted.
    await web.get(`/admin/users/${boss.id}`);
    const lockout = await web.post(`/admin/users/${boss.id}`, { name: 'Boss', role: technicianRole, status: 'active' });
    expect(lockout.statusCode).toBe(422);
    expect(lockout.body).toContain('This is the last active administrator');

    // A role that is no role id (the fuzzer sent 1e300) is a field error, not a database error.
    for (const role of ['1e300', '2147483648', '-1', 'technician']) {
      const odd = await web.post(`/admin/users/${boss.id}`, { name: 'Boss', role, status: 'active' });
      expect(odd.statusCode, role).toBe(422);
      expect(odd.body, role).toContain('Choose one of the roles');
    }

    // Disabling Tina ends her session.
    const tinaId = userUrl.split('/').pop()!;
    await web.get(userUrl);
    await web.post(`/admin/users/${tinaId}`, { name: 'Tina Tech', role: technicianRole, status: 'disabled' });
    expect((await tina.get('/clients')).headers.location).toMatch(/^\/sign-in/);
    expect((await signIn('tina@admin.test')).res.statusCode).not.toBe(303);
  });

  it('creates an API key shown once, and revokes it', async () => {
    await createUser(t.ctx, { email: 'keys@admin.test', name: 'Keys Admin', password: 'correct horse', role: 'admin' });
    const { web } = await signIn('keys@admin.test');
    await web.get('/admin/api-keys');
    const made = await web.post('/admin/api-keys', { user: 'keys@admin.test', name: 'RMM sync', expires: '' });
    expect(made.headers['cache-control']).toBe('no-store');
    const secret = /data-secret[^>]*>([^<]+)</.exec(made.body)![1]!;
    const api = await http({ url: '/api/v1/clients/read.php', query: { api_key: secret } });
    expect(api.statusCode).toBe(200);
    const list = await web.get('/admin/api-keys');
    expect(list.body).not.toContain(secret);
    const id = /\/admin\/api-keys\/(\d+)\/revoke/.exec(list.body)![1]!;
    await web.post(`/admin/api-keys/${id}/revoke`, {});
    expect((await web.get('/admin/api-keys')).body).toContain('Revoked');
    const refused = await http({ url: '/api/v1/clients/read.php', query: { api_key: secret } });
    expect((refused.json() as { success: string }).success).toBe('False');
  });
});
