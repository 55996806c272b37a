// Shared settings administration over a real socket, on each database: role levels taking effect,
// list values added and archived, a tag with its colour, company name and audit retention with the
// rules' message, and the audit log filtered.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import type { Requester } from '../../test/support/http.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { listValues } from '../lists/list.service.ts';
import { createUser } from './user.service.ts';

describe.each(DIALECTS)('settings administration on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  const http: Requester = (req) => site.http(req);

  it('changes role levels, lists, tags, company settings, and filters the audit log', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Settings Co');
    await createUser(t.ctx, { email: 'root@settings.test', name: 'Root', password: 'correct horse', role: 'admin' });
    await createUser(t.ctx, { email: 'tech@settings.test', name: 'Tech', password: 'correct horse', role: 'technician' });
    const web = await site.signIn('root@settings.test');
    const tech = await site.signIn('tech@settings.test');
    expect((await tech.get(`/clients/${c.client.id}/logins`)).statusCode).toBe(200);

    const roles = await web.get('/admin/roles');
    const technicianRole = /action="\/admin\/roles\/(\d+)" class="card card-body mb-3" aria-label="Role Technician"/.exec(roles.body)![1]!;
    await web.post(`/admin/roles/${technicianRole}`, { client: '2', support: '2', credential: '0', sales: '0', financial: '0', reporting: '0' });
    expect((await tech.get(`/clients/${c.client.id}/logins`)).statusCode).toBe(403);
    await web.get('/admin/roles');
    await web.post(`/admin/roles/${technicianRole}`, { client: '2', support: '2', credential: '2', sales: '0', financial: '0', reporting: '0' });
    expect((await tech.get(`/clients/${c.client.id}/logins`)).statusCode).toBe(200);

    await web.get('/admin/lists');
    await web.post('/admin/lists/asset_type', { name: 'Kiosk' });
    const dup = await web.post('/admin/lists/asset_type', { name: 'kiosk' });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('&quot;kiosk&quot; is already in the list');
    expect((await web.get(`/assets/new?client_id=${c.client.id}`)).body).toContain('>Kiosk</option>');
    const kiosk = (await listValues(t.ctx, 'asset_type')).find((v) => v.name === 'Kiosk')!;
    await web.post(`/admin/lists/values/${kiosk.id}/archive`, {});
    expect((await listValues(t.ctx, 'asset_type')).some((v) => v.name === 'Kiosk')).toBe(false);

    await web.get('/admin/lists');
    await web.post('/admin/tags', { name: 'Critical', color: '#d32f2f' });
    expect((await web.get('/admin/lists')).body).toMatch(/Critical[\s\S]*?value="#d32f2f"/);

    await web.get('/admin/settings');
    const badRetention = await web.post('/admin/settings', { companyName: 'Northwind MSP', retentionDays: 'forever' });
    expect(badRetention.statusCode).toBe(422);
    expect(badRetention.body).toContain('&quot;forever&quot; is not a number of days');
    await web.post('/admin/settings', { companyName: 'Northwind MSP', retentionDays: '365' });
    expect((await web.get('/dashboard')).body).toContain('Northwind MSP');

    const failing = new WebClient(http);
    await failing.get('/sign-in');
    await failing.post('/sign-in', { email: 'root@settings.test', password: 'wrong password' });
    const audit = await web.get('/admin/audit?outcome=failure');
    expect(audit.body).toContain('root@settings.test');
    expect(audit.body).toContain('failure</span>');
    expect((await web.get('/admin/audit?action=role.levels_changed')).body).toContain('role.levels_changed');
    expect((await tech.get('/admin/audit')).statusCode).toBe(403);
  });
});
