// The login pages over a real socket, on each database: secrets written, never echoed back, revealed
// only on request (audited, not cached) with a live TOTP code, kept when an edit leaves them empty,
// and a login linked to an asset from its own page and deleted with the asset told.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { currentTotpCode } from '../auth/two-factor.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { SecretBox } from '../platform/secrets.ts';

describe.each(DIALECTS)('login pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t, { secretBox: new SecretBox(Buffer.alloc(32, 9)) });
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'creds@logins.test', name: 'Creds', password: 'correct horse', role: 'admin' });
  });

  it('keeps secrets out of forms, reveals them on request with a live TOTP code, and links to an asset', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Login Co');
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'FW-01' });
    const web = await site.signIn('creds@logins.test');
    await web.get(`/clients/${c.client.id}/logins/new`);
    const bad = await web.post(`/clients/${c.client.id}/logins/new`, {
      name: 'Firewall admin',
      username: 'admin',
      password: 'Sup3r$ecret',
      otpSecret: 'not base32!',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Is not a base32 TOTP secret');
    expect(bad.body).not.toContain('Sup3r$ecret');

    const made = await web.post(`/clients/${c.client.id}/logins/new`, {
      name: 'Firewall admin',
      username: 'admin',
      password: 'Sup3r$ecret',
      otpSecret: 'JBSWY3DPEHPK3PXP',
      assetId: String(asset.id),
    });
    const url = made.headers.location as string;
    const page = await web.get(url);
    expect(page.body).toContain(`href="/assets/${asset.id}">FW-01</a>`);
    expect(page.body).not.toContain('Sup3r$ecret');
    expect((await web.get(`/clients/${c.client.id}/logins`)).body).toContain('Firewall admin</a>');

    const revealed = await web.post(`${url}/reveal`, {}, { 'hx-request': 'true' });
    expect(revealed.headers['cache-control']).toBe('no-store');
    expect(revealed.body).toContain('Sup3r$ecret');
    const code = /data-totp[^>]*>(\d{6})</.exec(revealed.body)![1]!;
    expect([currentTotpCode('JBSWY3DPEHPK3PXP', Date.now() - 30_000), currentTotpCode('JBSWY3DPEHPK3PXP')]).toContain(code);
    expect((await web.post(`${url}/code`, {}, { 'hx-request': 'true' })).body).toMatch(/data-totp[^>]*>\d{6}</);
    const audits = await t.store.db.selectFrom('audit_log').select('action').where('action', '=', 'login.secret_revealed').execute();
    expect(audits.length).toBeGreaterThan(0);

    await web.get(`${url}/edit`);
    await web.post(`${url}/edit`, { name: 'Firewall admin', description: 'FortiGate', uri: 'https://10.0.0.1', username: '', password: '', otpSecret: '' });
    expect((await web.post(`${url}/reveal`, {}, { 'hx-request': 'true' })).body).toContain('Sup3r$ecret');

    await web.get(url);
    await web.post(`${url}/delete`, { confirmed: '1' });
    expect((await web.get(url)).statusCode).toBe(404);
    expect((await listAssetEvents(t.ctx, asset.id)).events[0]).toMatchObject({ action: 'login_unlinked' });
  });
});
