// Web UI part 2 in a real browser, on each database: an administrator adds a technician limited to one
// client; a location is added, linked to an asset from its own page, seen on the asset page, and
// archived; the warranty alert job (dates moved by the test) reaches only the technician's client,
// shown on their dashboard; and the technician sees only the allowed client in lists and search.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { createClient } from '../../src/clients/client.service.ts';
import { runWarrantyAlerts } from '../../src/notifications/warranty-alerts.ts';
import { addDays } from '../../src/platform/dates.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

describe.each(DIALECTS)('records and administration in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);

  const signIn = async (email: string, password: string): Promise<Page> => {
    const page = await (await env.browser.newContext()).newPage();
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  };

  it('adds a limited technician, a location linked from its page, and alerts only for the allowed client', async () => {
    await createUser(env.ctx, { email: 'ada@msp.test', name: 'Ada Admin', password: 'a long password', role: 'admin' });
    const allowed = await createClient(env.ctx, { name: 'Contoso Dental' });
    const hidden = await createClient(env.ctx, { name: 'Fabrikam Law' });
    const today = new Date().toISOString().slice(0, 10);
    await createAsset(env.ctx, { clientId: allowed.id, name: 'CD-RECEPTION', warrantyExpire: addDays(today, 50) });
    await createAsset(env.ctx, { clientId: hidden.id, name: 'FL-PARTNER', warrantyExpire: addDays(today, 50) });

    const admin = await signIn('ada@msp.test', 'a long password');
    // The team: a technician limited to Contoso Dental.
    await admin.goto(`${env.base}/admin/users/new`);
    await admin.getByLabel('Name').fill('Tom Tech');
    await admin.getByLabel('Email').fill('tom@msp.test');
    await admin.getByLabel(/Initial password/).fill('another long password');
    await admin.getByLabel('Role').selectOption({ label: 'Technician' });
    await admin.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => admin.textContent('body')).toContain('Tom Tech added.');
    await admin.getByLabel('Contoso Dental').selectOption('allow');
    await admin.getByRole('button', { name: 'Save client access' }).click();
    await expect.poll(() => admin.textContent('body')).toContain('Client access of Tom Tech saved.');

    // A location, linked to the asset from the location's page, then seen on the asset page and archived.
    await admin.goto(`${env.base}/clients/${allowed.id}`);
    await admin.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: 'Locations' }).click();
    await admin.getByRole('link', { name: 'Add location' }).click();
    await admin.getByLabel('Name').fill('Main Street Surgery');
    await admin.getByLabel('City').fill('Springfield');
    await admin.getByRole('button', { name: 'Add location' }).click();
    await expect.poll(() => admin.textContent('h1')).toBe('Main Street Surgery');
    await admin.getByLabel('Asset to link to this location').selectOption({ label: 'CD-RECEPTION' });
    await admin.getByRole('button', { name: 'Link' }).click();
    await admin.getByRole('link', { name: 'CD-RECEPTION' }).click();
    await expect.poll(() => admin.textContent('body')).toContain('Main Street Surgery');
    await admin.goBack();
    await admin.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => admin.textContent('body')).toContain('Location "Main Street Surgery" archived.');
    await screenshot(admin, `records-location-${dialect}`);
    await expectNoAxeViolations(admin, 'archived location');

    // The warranty job, run as if 45 days from now had come early: 50 days left today, 45 in five days.
    await runWarrantyAlerts(env.ctx, addDays(today, 5));
    const tom = await signIn('tom@msp.test', 'another long password');
    await tom.goto(`${env.base}/dashboard`);
    await expect.poll(() => tom.textContent('body')).toContain('Warranty of CD-RECEPTION (Contoso Dental) ends in 45 days');
    expect(await tom.textContent('body')).not.toContain('FL-PARTNER');
    await tom.goto(`${env.base}/clients`);
    expect(await tom.locator('table').textContent()).toContain('Contoso Dental');
    expect(await tom.locator('table').textContent()).not.toContain('Fabrikam Law');
    expect(await tom.locator('#client-picker').textContent()).not.toContain('Fabrikam Law');
    await tom.goto(`${env.base}/assets?q=FL-PARTNER`);
    expect(await tom.textContent('main')).not.toContain('FL-PARTNER');
    await tom.goto(`${env.base}/notifications`);
    await tom.getByRole('button', { name: 'Dismiss', exact: true }).first().click();
    await expect.poll(() => tom.textContent('main')).toContain('Nothing new.');
    await screenshot(tom, `records-technician-${dialect}`);
  });

  // One flow per record type: add it from the client's tab, link it to an asset from the record's own
  // page, see it on the asset page, then archive it.
  const FLOWS = [
    { tab: 'Contacts', add: 'Add contact', fill: { Name: 'Dr. Hana Ito', Email: 'hana@contoso.test' }, seen: 'Dr. Hana Ito' },
    { tab: 'Vendors', add: 'Add vendor', fill: { Name: 'Henry Schein', 'Account number': 'HS-4411' }, seen: 'Henry Schein' },
    {
      tab: 'Networks',
      add: 'Add network',
      fill: { Name: 'Clinic LAN', 'Network (CIDR)': '192.168.50.0/24' },
      seen: 'Clinic LAN',
      linkLabel: 'Interface to put on this network',
      option: 'XRAY-PC – 01',
    },
    { tab: 'Services', add: 'Add service', fill: { Name: 'Imaging', Category: 'Clinical' }, seen: 'Imaging' },
    { tab: 'Tickets', add: 'Add ticket', fill: { Subject: 'X-ray PC will not boot', Details: 'Since Monday' }, seen: 'X-ray PC will not boot' },
  ] as const;

  it('adds each kind of record, links it to an asset from its page, sees it on the asset page, and archives it', async () => {
    const client = await createClient(env.ctx, { name: 'Contoso Imaging' });
    const asset = await createAsset(env.ctx, { clientId: client.id, name: 'XRAY-PC' });
    const page = await signIn('ada@msp.test', 'a long password');
    for (const flow of FLOWS) {
      await page.goto(`${env.base}/clients/${client.id}`);
      await page.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: flow.tab }).click();
      await page.getByRole('link', { name: flow.add }).click();
      for (const [label, value] of Object.entries(flow.fill)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: flow.add }).click();
      await expect.poll(() => page.textContent('h1')).toBe(flow.seen);
      const linkLabel = 'linkLabel' in flow ? flow.linkLabel : new RegExp(`^Asset to link to this`);
      await page.getByLabel(linkLabel).selectOption({ label: 'option' in flow ? flow.option : 'XRAY-PC' });
      await page.getByRole('button', { name: 'Link', exact: true }).click();
      await expect.poll(() => page.textContent('main')).toContain('Linked.');
      const recordUrl = page.url();
      await page.goto(`${env.base}/assets/${asset.id}`);
      expect(await page.textContent('main'), flow.tab).toContain(flow.seen);
      await page.goto(recordUrl);
      await page.getByRole('button', { name: 'Archive' }).click();
      await expect.poll(() => page.textContent('main')).toContain('archived.');
    }

    // A login: added with its asset, seen on the asset page, its secret revealed in place, archived.
    await page.goto(`${env.base}/clients/${client.id}/logins/new`);
    await page.getByLabel('Name', { exact: true }).fill('XRAY-PC local admin');
    await page.getByLabel('Username').fill('Administrator');
    await page.getByLabel('Password').fill('Xr4y!local');
    await page.getByLabel('Asset', { exact: true }).selectOption({ label: 'XRAY-PC' });
    await page.getByRole('button', { name: 'Add login' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('XRAY-PC local admin');
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => page.textContent('#login-secrets')).toContain('Xr4y!local');
    await page.goto(`${env.base}/assets/${asset.id}`);
    expect(await page.textContent('main')).toContain('XRAY-PC local admin');
    await page.goBack();
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => page.textContent('main')).toContain('archived.');
    await screenshot(page, `records-login-${dialect}`);
    await expectNoAxeViolations(page, 'archived login');

    // The client itself: renamed, then archived through the confirmation dialog.
    await page.goto(`${env.base}/clients/${client.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Client name').fill('Contoso Imaging Centre');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.textContent('h1')).toContain('Contoso Imaging Centre');
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Contoso Imaging Centre archived.');
    expect(await page.locator('#client-picker').textContent()).not.toContain('Contoso Imaging Centre');
  });
});
