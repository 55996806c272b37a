// The asset list in a real browser, on each database, with sixty assets of short and very long
// values: at 1366×768 every default column fits without sideways scrolling, warranty badges show,
// the bulk bar appears when rows are ticked, shows only the chosen action's field and asks "Delete 2
// assets? The history is kept."; at 390×844 the list and the asset page do not scroll sideways.
// Screenshots of both widths in light and dark.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { addInterface } from '../../src/assets/interface.service.ts';
import { createContact } from '../../src/contacts/contact.service.ts';
import { createLocation } from '../../src/locations/location.service.ts';
import { addDays } from '../../src/platform/dates.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';
import { makeClientWithRecords } from '../support/factories.ts';

const PASSWORD = 'correct-horse-battery-staple-42';
const DEFAULT_HEADERS = ['Name', 'Type', 'Make / model', 'Serial', 'IP', 'MAC', 'Status', 'Assigned to', 'Location', 'Client', 'Warranty'];
const TYPES = ['Laptop', 'Desktop', 'Server', 'Printer', 'Switch', null];
const STATUSES = ['Deployed', 'Ready to Deploy', 'Out for Repair', 'Retired', null];

describe.each(DIALECTS)('the asset list in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);
  let page: Page;
  let clientId: number;
  let longAssetId: number;

  const theme = async (mode: 'light' | 'dark') => {
    await page.evaluate((m) => localStorage.setItem('steward-theme', m), mode);
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe(mode);
  };
  const pageScrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

  it('fills two clients with sixty assets of varied lengths and signs in', async () => {
    await createUser(env.ctx, { email: 'lena@list.test', name: 'Lena List', password: PASSWORD, role: 'admin' });
    const today = new Date().toISOString().slice(0, 10);
    const long = 'Extraordinarily-Long-Unbroken-Value-That-Would-Push-Any-Table-Sideways';
    for (const [k, clientName] of ['Contoso Dental and Orthodontics of Greater Springfield', 'Fabrikam'].entries()) {
      const c = await makeClientWithRecords(env.ctx, clientName);
      if (k === 0) clientId = c.client.id;
      const contact = await createContact(env.ctx, { clientId: c.client.id, name: 'Maximiliana Bartholomew-Featherstonehaugh' });
      const location = await createLocation(env.ctx, { clientId: c.client.id, name: 'Second floor, east wing, server room behind reception' });
      for (let i = 0; i < 30; i++) {
        const wordy = i % 3 === 0;
        const asset = await createAsset(env.ctx, {
          clientId: c.client.id,
          name: wordy ? `${long}-${k}-${i}` : `PC-${k}-${i}`,
          type: TYPES[i % TYPES.length],
          make: wordy ? 'Hewlett Packard Enterprise' : i % 2 ? 'Dell' : null,
          model: wordy ? 'ProLiant DL380 Gen10 Plus 8SFF NC CTO Server' : 'X1',
          serial: wordy ? `SN-${long}` : i % 4 ? `SN${i}` : null,
          os: 'Windows 11 Pro for Workstations',
          status: STATUSES[i % STATUSES.length],
          contactId: i % 2 ? contact.id : c.contact.id,
          locationId: i % 2 ? location.id : c.location.id,
          warrantyExpire: i % 5 === 0 ? addDays(today, -10) : i % 5 === 1 ? addDays(today, 12) : i % 5 === 2 ? addDays(today, 400) : null,
          description: wordy ? `${long} ${long}` : null,
          ...(i % 4 === 3 ? {} : { primaryInterface: { ip: `10.${k}.${i}.${100 + i}`, mac: `00:11:22:33:${10 + k}:${10 + i}` } }),
        });
        if (wordy && k === 0 && !longAssetId) {
          longAssetId = asset.id;
          await addInterface(env.ctx, asset.id, { name: `${long}-port`, ip: '192.168.200.201', ipv6: 'fe80::1', mac: '00:00:5e:00:53:01' });
        }
      }
    }
    page = await (await env.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('lena@list.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toBe(`${env.base}/assets`);
  });

  it('at 1366×768 shows every default column without sideways scrolling, with warranty badges', async () => {
    await page.goto(`${env.base}/assets?size=100`);
    expect(await page.locator('table.asset-list tbody tr').count()).toBe(60);
    const fit = await page.evaluate(() => {
      const table = document.querySelector('table.asset-list') as HTMLTableElement;
      return { table: table.scrollWidth, container: table.parentElement!.clientWidth, page: document.documentElement.scrollWidth };
    });
    expect(fit.table).toBeLessThanOrEqual(fit.container);
    expect(fit.page).toBeLessThanOrEqual(1366);
    for (const name of DEFAULT_HEADERS) {
      const header = page.locator('table.asset-list thead th', { hasText: name }).first();
      expect(await header.isVisible(), name).toBe(true);
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, name).toBeLessThanOrEqual(1366);
    }
    // A cut value keeps its whole text in the tooltip.
    expect(await page.locator('td.col-make_model').first().getAttribute('title')).toBeTruthy();
    expect(await page.locator('table.asset-list .warranty-badge', { hasText: 'Expired' }).count()).toBeGreaterThan(0);
    expect(await page.locator('table.asset-list .warranty-badge', { hasText: 'Ends in 12 days' }).count()).toBeGreaterThan(0);
    await theme('light');
    await screenshot(page, `asset-list-1366-light-${dialect}`);
    await expectNoAxeViolations(page, 'asset list, light');
    await theme('dark');
    await screenshot(page, `asset-list-1366-dark-${dialect}`);
    await expectNoAxeViolations(page, 'asset list, dark');
    await theme('light');
  });

  it('shows the bulk bar once rows are ticked, only the chosen action’s field, and asks what it will do', async () => {
    await page.goto(`${env.base}/clients/${clientId}/assets?size=100`);
    const bar = page.locator('[data-bulk-bar]');
    expect(await bar.isVisible()).toBe(false);
    const boxes = page.locator('input[data-row-check]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect.poll(() => bar.isVisible()).toBe(true);
    const visibleFields = () => page.locator('[data-bulk-for]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-bulk-for')));
    expect(await visibleFields()).toEqual([]);
    await page.getByLabel('With ticked assets:').selectOption('set_status');
    expect(await visibleFields()).toEqual(['set_status']);
    await page.getByLabel('With ticked assets:').selectOption('add_tags');
    expect(await visibleFields()).toEqual(['add_tags replace_tags']);
    await page.getByLabel('With ticked assets:').selectOption('delete');
    expect(await visibleFields()).toEqual([]);
    expect(await page.getByRole('button', { name: 'Apply to ticked' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Apply to ticked' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('[data-confirm-message]').textContent()).toBe('Delete 2 assets? The history is kept.');
    await dialog.getByRole('button', { name: 'Cancel' }).first().click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await boxes.nth(0).uncheck();
    await boxes.nth(1).uncheck();
    await expect.poll(() => bar.isVisible()).toBe(false);
  });

  it('at 390×844 lists name, type and status with the filters folded, and neither list nor asset page scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.base}/assets?size=100`);
    expect(await pageScrollWidth()).toBeLessThanOrEqual(390);
    const shown = await page.locator('table.asset-list thead th:visible').allTextContents();
    expect(shown.map((h) => h.replace(/[▴▾]/g, '').trim()).filter(Boolean)).toEqual(['Name', 'Type', 'Status']);
    expect(await page.locator('#list-status').isVisible()).toBe(false);
    expect(await page.locator('[data-bulk-bar]').isVisible()).toBe(false);
    await screenshot(page, `asset-list-390-light-${dialect}`);
    await theme('dark');
    await screenshot(page, `asset-list-390-dark-${dialect}`);
    await page.locator('summary', { hasText: 'Filters' }).click();
    expect(await page.locator('#list-status').isVisible()).toBe(true);
    expect(await pageScrollWidth()).toBeLessThanOrEqual(390);
    await page.locator('input[data-row-check]').first().check();
    await expect.poll(() => page.locator('[data-bulk-bar]').isVisible()).toBe(true);
    expect(await pageScrollWidth()).toBeLessThanOrEqual(390);

    await theme('light');
    await page.goto(`${env.base}/assets/${longAssetId}`);
    expect(await page.locator('.warranty-badge').textContent()).toBe('Expired');
    expect(await pageScrollWidth()).toBeLessThanOrEqual(390);
    await screenshot(page, `asset-page-390-${dialect}`);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.reload();
    await screenshot(page, `asset-page-1366-${dialect}`);
    await expectNoAxeViolations(page, 'asset page with long values');
  });
});
