// A technician's day in a real browser, on each database: first-run setup, a client and its first
// asset, search, an edit seen in the history, a bulk status change, archive and restore, sign-out and
// sign-in, client limits, a script-like asset name shown as text, and a form without its CSRF token.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { currentTotpCode } from '../../src/auth/two-factor.service.ts';
import { createLogin } from '../../src/logins/login.service.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const box = new SecretBox(Buffer.alloc(32, 3));

describe.each(DIALECTS)('in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect, { secretBox: box });
  const alerts: string[] = [];

  const newPage = async (): Promise<Page> => {
    const page = await (await env.browser.newContext()).newPage();
    // Confirmations are accepted; an alert would mean a script ran that should not have.
    page.on('dialog', async (dialog) => {
      if (dialog.type() === 'alert') alerts.push(dialog.message());
      await dialog.accept();
    });
    return page;
  };
  const systemCtx = (): Ctx => env.ctx;

  let page: Page;
  let clientId: number;
  let assetUrl: string;

  it('sets up the first administrator, adds a client and its first asset with two interfaces', async () => {
    page = await newPage();
    await page.goto(`${env.base}/`);
    await expect.poll(() => page.url()).toContain('/setup');
    await expectNoAxeViolations(page, 'first-run setup');
    await page.getByLabel('Company name').fill('Northwind MSP');
    await page.getByLabel('Your name').fill('Nina Admin');
    await page.getByLabel('Email').fill('nina@northwind.test');
    await page.getByLabel('Password', { exact: true }).fill('a long password');
    await page.getByLabel('Password again').fill('a long password');
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await expect.poll(() => page.textContent('body')).toContain('Welcome, Nina Admin.');

    await page.getByRole('link', { name: 'Add client' }).click();
    await page.getByLabel('Client name').fill('Contoso Dental');
    await page.getByRole('button', { name: 'Add client' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Contoso Dental: assets');
    clientId = Number(/\/clients\/(\d+)\/assets/.exec(page.url())![1]);

    await page.getByRole('link', { name: 'Add asset' }).click();
    await page.getByLabel('Name').fill('RECEPTION-PC');
    await page.getByLabel('Type').selectOption('Desktop');
    await page.getByLabel('Serial').fill('CZC1234XYZ');
    await page.getByLabel('IP address').fill('192.168.10.25');
    await page.getByLabel('MAC address').fill('3c-52-82-aa-bb-cc');
    await page.getByLabel('Warranty expires').fill('2027-03-31');
    await page.getByRole('button', { name: 'Save asset' }).click();
    await expect.poll(() => page.textContent('h1')).toContain('RECEPTION-PC');
    assetUrl = page.url();
    const body = await page.textContent('body');
    expect(body).toContain('CZC1234XYZ');
    expect(body).toContain('3C:52:82:AA:BB:CC');
    expect(body).toContain('2027-03-31');

    await page.getByText('Add an interface').click();
    await page.getByLabel('Name', { exact: true }).last().fill('WLAN');
    await page.locator('#if-ip').fill('192.168.20.25');
    await page.locator('#if-mac').fill('3c52.82aa.bbcd');
    await page.getByRole('button', { name: 'Add interface' }).click();
    await expect.poll(() => page.textContent('body')).toContain('Interface WLAN added.');
    const rows = await page.locator('section[aria-labelledby="interfaces-h"] table tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows.join(' ')).toContain('3C:52:82:AA:BB:CD');
    await screenshot(page, `asset-detail-${dialect}`);
    await expectNoAxeViolations(page, 'asset page');
  });

  it('finds the asset by serial, IP and MAC from the search box, going straight to it when it is the only match', async () => {
    for (const term of ['CZC1234', '192.168.10.25', '3C:52:82:AA:BB:CC']) {
      await page.goto(`${env.base}/assets`);
      await page.getByLabel('Search assets').fill(term);
      await page.getByLabel('Search assets').press('Enter');
      await expect.poll(() => page.url()).toBe(assetUrl);
    }
    // The list's own search box filters the list in place.
    await page.goto(`${env.base}/assets`);
    await page.getByLabel('Search', { exact: true }).fill('192.168.10');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect.poll(() => page.locator('table tbody').textContent()).toContain('RECEPTION-PC');
    expect(page.url()).toContain('q=192.168.10');
  });

  it('edits the asset and shows the change in the history timeline', async () => {
    await page.goto(assetUrl);
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Operating system').fill('Windows 11 Pro');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('[aria-label="History"]').textContent()).toContain('Windows 11 Pro');
    const history = await page.locator('[aria-label="History"] li').first().textContent();
    expect(history).toContain('Changed');
    expect(history).toContain('by Nina Admin');
    expect(history).toMatch(/Operating system:\s*—\s*→\s*Windows 11 Pro/);
  });

  it('sets the status of three ticked assets at once', async () => {
    for (const name of ['WS-A', 'WS-B', 'WS-C']) await createAsset(systemCtx(), { clientId, name, type: 'Laptop' });
    await page.goto(`${env.base}/clients/${clientId}/assets`);
    await page.getByRole('button', { name: 'Star WS-B' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unstar WS-B' }).count()).toBe(1);
    for (const name of ['WS-A', 'WS-B', 'WS-C']) await page.getByLabel(`Tick ${name}`).check();
    await page.getByLabel('With ticked assets:').selectOption('set_status');
    await page.locator('#bulk-status').selectOption('Deployed');
    await page.getByRole('button', { name: 'Apply to ticked' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, go ahead' }).click();
    await expect.poll(() => page.textContent('body')).toContain('3 of 3 assets set to Deployed.');
    const rows = await page.locator('table tbody tr').allTextContents();
    expect(rows.filter((r) => r.includes('Deployed'))).toHaveLength(3);
    await screenshot(page, `asset-list-${dialect}`);
    await expectNoAxeViolations(page, "client's asset list");
  });

  it("stars the asset and shows a linked login's secrets in place, without leaving the page", async () => {
    const assetId = Number(/\/assets\/(\d+)/.exec(assetUrl)![1]);
    await createLogin(systemCtx(), box, { clientId, name: 'Reception PC local admin', username: 'localadmin', password: 'Tr0ub4dor&3', assetId });
    await page.goto(assetUrl);
    await page.getByRole('button', { name: 'Star RECEPTION-PC' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unstar RECEPTION-PC' }).count()).toBe(1);
    expect(page.url()).toBe(assetUrl);
    expect(await page.textContent('body')).not.toContain('Tr0ub4dor&3');
    await page.getByRole('button', { name: 'show secrets of Reception PC local admin' }).click();
    await expect.poll(() => page.locator('[id^="secrets-"]').textContent()).toContain('Tr0ub4dor&3');
    expect(page.url()).toBe(assetUrl);
  });

  it('edits the quick notes in place', async () => {
    await page.goto(assetUrl);
    await page.getByRole('link', { name: 'edit quick notes' }).click();
    await page.getByLabel('Quick notes').fill('Front desk PC; label printer attached.');
    await page.getByRole('button', { name: 'Save quick notes' }).click();
    await expect.poll(() => page.locator('#quick-notes').textContent()).toContain('Front desk PC; label printer attached.');
    expect(page.url()).toBe(assetUrl);
    await page.reload();
    expect(await page.locator('[aria-label="History"] li').first().textContent()).toMatch(/Notes:\s*—\s*→\s*Front desk PC/);
  });

  it('fits a phone screen: the menu folds away and the list scrolls sideways', async () => {
    const phone = await (await env.browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await page.context().storageState() })).newPage();
    await phone.goto(`${env.base}/clients/${clientId}/assets`);
    expect(await phone.getByRole('button', { name: 'Menu' }).isVisible()).toBe(true);
    expect(await phone.getByLabel('Search assets').isVisible()).toBe(false);
    await phone.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(() => phone.getByLabel('Search assets').isVisible()).toBe(true);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, `asset-list-phone-${dialect}`);
    await phone.close();
  });

  it('archives and restores the asset', async () => {
    await page.goto(assetUrl);
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => page.textContent('h1')).toContain('archived');
    await page.goto(`${env.base}/clients/${clientId}/assets`);
    expect(await page.locator('table tbody').textContent()).not.toContain('RECEPTION-PC');
    await page.goto(assetUrl);
    await page.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.textContent('h1')).not.toContain('archived');
  });

  it('asks in a dialog before deleting an asset, and deletes it only when confirmed', async () => {
    const doomed = await createAsset(systemCtx(), { clientId, name: 'OLD-PRINTER' });
    await page.goto(`${env.base}/assets/${doomed.id}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Delete OLD-PRINTER for good?');
    await dialog.getByRole('button', { name: 'Cancel' }).first().click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.textContent('h1')).toContain('OLD-PRINTER');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByRole('button', { name: 'Yes, go ahead' }).click();
    await expect.poll(() => page.textContent('body')).toContain('OLD-PRINTER deleted.');
  });

  it('shows a script-like asset name as text and runs nothing', async () => {
    const evil = await createAsset(systemCtx(), { clientId, name: '<img src=x onerror=alert(1)>' });
    await page.goto(`${env.base}/assets/${evil.id}`);
    await expect.poll(() => page.textContent('h1')).toContain('<img src=x onerror=alert(1)>');
    await page.goto(`${env.base}/clients/${clientId}/assets`);
    expect(await page.locator('table tbody').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(alerts).toEqual([]);
  });

  it('refuses a form whose CSRF token was removed', async () => {
    await page.goto(assetUrl);
    await page.evaluate(() =>
      document.querySelectorAll('input[name="_csrf"]').forEach((el) => {
        el.remove();
      }),
    );
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => page.textContent('body')).toContain('did not come from Steward');
    await page.goto(assetUrl);
    expect(await page.textContent('h1')).not.toContain('archived');
  });

  it('signs out, and a technician limited to another client finds this asset "not found"', async () => {
    await page.goto(`${env.base}/assets`);
    await page.getByRole('button', { name: 'Nina Admin' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.textContent('body')).toContain('You are signed out.');

    const other = (
      await env.store.db.insertInto('clients').values({ name: 'Other Co', created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()
    ).id;
    const tech = await createUser(systemCtx(), { email: 'tom@northwind.test', name: 'Tom Tech', password: 'a long password', role: 'technician' });
    await env.store.db.insertInto('user_client_access').values({ user_id: tech.id, client_id: other, mode: 'allow' }).execute();
    await page.getByLabel('Email').fill('tom@northwind.test');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Assets, all clients');
    expect(await page.locator('table tbody').textContent()).not.toContain('RECEPTION-PC');

    await page.goto(assetUrl);
    const hidden = await page.locator('main').textContent();
    await page.goto(`${env.base}/assets/987654`);
    const missing = await page.locator('main').textContent();
    expect(hidden).toContain('Not found');
    expect(hidden).toBe(missing);
  });

  it('turns on two-factor sign-in, then signs in with the code from the app', async () => {
    const nina = await newPage();
    await nina.goto(`${env.base}/sign-in`);
    await nina.getByLabel('Email').fill('nina@northwind.test');
    await nina.getByLabel('Password').fill('a long password');
    await nina.getByRole('button', { name: 'Sign in' }).click();
    await nina.getByRole('button', { name: 'Nina Admin' }).click();
    await nina.getByRole('link', { name: 'Two-factor sign-in' }).click();
    expect(await nina.getByAltText('QR code for your authenticator app').isVisible()).toBe(true);
    const secret = (await nina.getByTestId('totp-secret').textContent())!.trim();
    // The app's previous code (accepted for clock drift) turns it on and is used up; the current one signs in.
    await nina.getByLabel('Code from the app').fill(currentTotpCode(secret, Date.now() - 30_000));
    await nina.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await expect.poll(() => nina.locator('[aria-label="Recovery codes"] li').count()).toBe(10);

    await nina.getByRole('button', { name: 'Nina Admin' }).click();
    await nina.getByRole('button', { name: 'Sign out' }).click();
    await nina.getByLabel('Email').fill('nina@northwind.test');
    await nina.getByLabel('Password').fill('a long password');
    await nina.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => nina.textContent('h1')).toBe('One more step');
    await nina.getByLabel('Code').fill(currentTotpCode(secret));
    await nina.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => nina.textContent('h1')).toBe('Assets, all clients');
  });

  it('transfers an asset to another client through the preview, and the copy tells where it came from', async () => {
    await createUser(systemCtx(), { email: 'olga@northwind.test', name: 'Olga Ops', password: 'a long password', role: 'admin' });
    const olga = await newPage();
    await olga.goto(`${env.base}/sign-in`);
    await olga.getByLabel('Email').fill('olga@northwind.test');
    await olga.getByLabel('Password').fill('a long password');
    await olga.getByRole('button', { name: 'Sign in' }).click();
    await olga.goto(`${env.base}/clients/${clientId}/assets`);
    await olga.getByLabel('Tick WS-C').check();
    await olga.getByLabel('With ticked assets:').selectOption('transfer');
    await olga.getByRole('button', { name: 'Apply to ticked' }).click();
    await olga.getByRole('dialog').getByRole('button', { name: 'Yes, go ahead' }).click();
    await expect.poll(() => olga.textContent('h1')).toBe('Transfer 1 asset to another client');
    await olga.getByLabel('Target client').selectOption({ label: 'Other Co' });
    await expect.poll(() => olga.getByRole('region', { name: 'Transfer of WS-C' }).count()).toBe(1);
    expect(await olga.getByRole('region', { name: 'Transfer of WS-C' }).textContent()).toContain('Stays with Contoso Dental');
    await olga.getByLabel('Reason (kept in both histories)').fill('Laptop reassigned after the merger');
    await olga.getByRole('button', { name: 'Transfer 1 asset to Other Co' }).click();
    await expect.poll(() => olga.textContent('body')).toContain('Came from Contoso Dental');
    expect(await olga.locator('[aria-label="History"]').textContent()).toContain('Laptop reassigned after the merger');
    await screenshot(olga, `asset-transferred-${dialect}`);
  });
});
