// Every main page in a real browser, on each database, with the demo data set: axe-core (WCAG 2.1 A
// and AA plus its best practices) finds nothing in the light theme or the dark one, signed in and
// signed out, forms sent back with errors included. Esc on the confirmation dialog gives the focus
// back to the button that opened it, and the first row of a list (assets, clients, logins) is
// reached in fewer than 15 presses of Tab from the top of the page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createAsset, deleteAsset } from '../../src/assets/asset.service.ts';
import { DEMO_ADMIN, fillDemo } from '../../src/demo/demo.ts';
import { runWarrantyAlerts } from '../../src/notifications/warranty-alerts.ts';
import { addDays } from '../../src/platform/dates.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { axeViolations, describeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const box = new SecretBox(Buffer.alloc(32, 5));
const THEMES = ['light', 'dark'] as const;

/** Keeps axe's findings per page in test-results/accessibility/, for reading after a failed run. */
function writeReport(name: string, found: string[]): void {
  const dir = join('test-results', 'accessibility');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), found.length ? `${found.join('\n\n')}\n` : 'no violations\n');
}

describe.each(DIALECTS)('accessibility in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect, { secretBox: box });
  let page: Page;
  let pages: Array<[string, string]> = [];
  let clientId: number;
  let assetIds: number[] = [];
  let deletedId: number;

  const firstId = async (table: 'locations' | 'contacts' | 'vendors' | 'networks' | 'services' | 'tickets' | 'logins'): Promise<number> =>
    (await env.store.db.selectFrom(table).select('id').where('client_id', '=', clientId).orderBy('id').executeTakeFirstOrThrow()).id;

  const setTheme = async (target: Page, mode: 'light' | 'dark') => {
    await target.evaluate((m) => localStorage.setItem('steward-theme', m), mode);
    await target.reload();
    expect(await target.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe(mode);
  };

  /** Visits each page and returns "page (theme): N violation(s)" lines with axe's findings, empty when all pass. */
  const audit = async (target: Page, list: Array<[string, string]>, mode: string): Promise<string[]> => {
    const found: string[] = [];
    const details: string[] = [];
    for (const [name, path] of list) {
      const response = await target.goto(`${env.base}${path}`);
      expect(response?.status(), `${name} at ${path}`).toBeLessThan(400);
      expect(new URL(target.url()).pathname, `${name} is not redirected`).toBe(path.split('?')[0]);
      await target.waitForLoadState('networkidle');
      const violations = await axeViolations(target);
      if (violations.length) {
        const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
        found.push(`${name} (${mode}), ${path}: ${nodes} node(s)\n${describeViolations(violations)}`);
        details.push(`${name} (${mode}), ${path}: ${nodes} node(s)\n${describeViolations(violations, true)}`);
      }
    }
    writeReport(`${list[0]![0]}-${mode}-${dialect}`, details);
    return found;
  };

  it('fills the demo data set, deletes an asset, raises warranty alerts and signs in', async () => {
    await fillDemo(env.ctx, box);
    const client = await env.store.db.selectFrom('clients').select('id').orderBy('id').executeTakeFirstOrThrow();
    clientId = client.id;
    const today = new Date().toISOString().slice(0, 10);
    await createAsset(env.ctx, { clientId, name: 'A11Y-SOON', warrantyExpire: addDays(today, 7) });
    const doomed = await createAsset(env.ctx, { clientId, name: 'A11Y-GONE' });
    await deleteAsset(env.ctx, doomed.id);
    deletedId = doomed.id;
    await runWarrantyAlerts(env.ctx, today);
    assetIds = (
      await env.store.db.selectFrom('assets').select('id').where('client_id', '=', clientId).where('archived_at', 'is', null).orderBy('id').limit(2).execute()
    ).map((r) => r.id);
    const other = await env.store.db.selectFrom('clients').select('id').where('id', '!=', clientId).orderBy('id').executeTakeFirstOrThrow();

    page = await (await env.browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill(DEMO_ADMIN.email);
    await page.getByLabel('Password').fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));

    // A small CSV through the import's pages: one upload left at its preview (columns and preview
    // pages), a second one imported (the summary page).
    const importPaths: string[] = [];
    for (const [file, commit] of [
      ['a11y-preview.csv', false],
      ['a11y-done.csv', true],
    ] as const) {
      await page.goto(`${env.base}/clients/${clientId}/assets/import`);
      const csv = `Name,Type,Serial Number\r\nA11Y-IMPORT-${commit ? 'B' : 'A'},Laptop,SN-A11Y-${commit ? 2 : 1}\r\n`;
      await page.getByLabel(/CSV file/).setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Upload and continue' }).click();
      await expect.poll(() => page.textContent('h1')).toBe(`Columns of ${file}`);
      if (!commit) importPaths.push(new URL(page.url()).pathname);
      await page.getByRole('button', { name: 'Preview' }).click();
      await expect.poll(() => page.textContent('h1')).toBe(`Preview of ${file}`);
      if (!commit) importPaths.push(new URL(page.url()).pathname + new URL(page.url()).search);
      else {
        await page.getByRole('button', { name: /^Import 1 row/ }).click();
        await expect.poll(() => page.textContent('h1')).toBe(`Imported ${file}`);
        importPaths.push(new URL(page.url()).pathname);
      }
    }
    const iface = await env.store.db.selectFrom('asset_interfaces').select(['id', 'asset_id']).orderBy('id').executeTakeFirstOrThrow();

    const a = assetIds[0]!;
    pages = [
      ['dashboard', '/dashboard'],
      ['all assets', '/assets'],
      ["a client's assets", `/clients/${clientId}/assets`],
      ['asset page', `/assets/${a}`],
      ['add asset', `/assets/new?client_id=${clientId}`],
      ['edit asset', `/assets/${a}/edit`],
      ['transfer preview', `/assets/transfer?ids=${assetIds.join(',')}&to=${other.id}`],
      ['import upload', `/clients/${clientId}/assets/import`],
      ['clients', '/clients'],
      ['client overview', `/clients/${clientId}`],
      ['locations', `/clients/${clientId}/locations`],
      ['location', `/locations/${await firstId('locations')}`],
      ['contacts', `/clients/${clientId}/contacts`],
      ['contact', `/contacts/${await firstId('contacts')}`],
      ['vendors', `/clients/${clientId}/vendors`],
      ['vendor', `/vendors/${await firstId('vendors')}`],
      ['networks', `/clients/${clientId}/networks`],
      ['network', `/networks/${await firstId('networks')}`],
      ['services', `/clients/${clientId}/services`],
      ['service', `/services/${await firstId('services')}`],
      ['tickets', `/clients/${clientId}/tickets`],
      ['ticket', `/tickets/${await firstId('tickets')}`],
      ['logins', `/clients/${clientId}/logins`],
      ['login', `/logins/${await firstId('logins')}`],
      ['notifications', '/notifications'],
      ['search results', '/search?q=a'],
      ['users', '/admin/users'],
      ['roles', '/admin/roles'],
      ['api keys', '/admin/api-keys'],
      ['lists', '/admin/lists'],
      ['settings', '/admin/settings'],
      ['audit', '/admin/audit'],
      ['deleted assets', '/admin/deleted-assets'],
      ['deleted asset', `/admin/deleted-assets/${deletedId}`],
      ['two-factor', '/account/two-factor'],
      ['edit client', `/clients/${clientId}/edit`],
      ['add location', `/clients/${clientId}/locations/new`],
      ['edit location', `/locations/${await firstId('locations')}/edit`],
      ['add contact', `/clients/${clientId}/contacts/new`],
      ['edit contact', `/contacts/${await firstId('contacts')}/edit`],
      ['add vendor', `/clients/${clientId}/vendors/new`],
      ['edit vendor', `/vendors/${await firstId('vendors')}/edit`],
      ['add network', `/clients/${clientId}/networks/new`],
      ['edit network', `/networks/${await firstId('networks')}/edit`],
      ['add service', `/clients/${clientId}/services/new`],
      ['edit service', `/services/${await firstId('services')}/edit`],
      ['add ticket', `/clients/${clientId}/tickets/new`],
      ['edit ticket', `/tickets/${await firstId('tickets')}/edit`],
      ['add login', `/clients/${clientId}/logins/new`],
      ['edit login', `/logins/${await firstId('logins')}/edit`],
      ['import columns', importPaths[0]!],
      ['import preview', importPaths[1]!],
      ['import done', importPaths[2]!],
      ['location import', `/clients/${clientId}/locations/import`],
      ['contact import', `/clients/${clientId}/contacts/import`],
      ['getting started', '/welcome'],
      ['change password', '/account/password'],
      ['search, no match', '/search?q=zzz-nothing-here'],
      ['connect interface', `/assets/${iface.asset_id}/interfaces/${iface.id}/connect`],
      ['link a login', `/assets/${a}/logins/search?q=a`],
      ['link a service', `/assets/${a}/services/search?q=a`],
      ['link a ticket', `/assets/${a}/tickets/search?q=`],
    ];
  });

  it.each(THEMES)(
    'finds no accessibility problem on any main page in the %s theme',
    async (mode) => {
      await setTheme(page, mode);
      const found = await audit(page, pages, mode);
      if (mode === 'dark') {
        await page.goto(`${env.base}/clients/${clientId}/assets`);
        await screenshot(page, `a11y-asset-list-dark-${dialect}`);
      }
      expect(found.join('\n\n')).toBe('');
    },
    300_000,
  );

  it.each(THEMES)(
    'finds no accessibility problem on forms sent back with their errors in the %s theme',
    async (mode) => {
      await setTheme(page, mode);
      const found: string[] = [];
      for (const [name, path] of [
        ['edit client', `/clients/${clientId}/edit`],
        ['add location', `/clients/${clientId}/locations/new`],
        ['add contact', `/clients/${clientId}/contacts/new`],
        ['add vendor', `/clients/${clientId}/vendors/new`],
        ['add network', `/clients/${clientId}/networks/new`],
        ['add service', `/clients/${clientId}/services/new`],
        ['add ticket', `/clients/${clientId}/tickets/new`],
        ['add login', `/clients/${clientId}/logins/new`],
        ['change password', '/account/password'],
      ]) {
        await page.goto(`${env.base}${path}`);
        const form = page.locator('#main form[method="post"][novalidate]').first();
        const named = form.locator('input[name="name"]');
        if (await named.count()) await named.fill('');
        await form.locator('button[type="submit"]').first().click();
        await page.waitForLoadState('networkidle');
        expect(await page.locator('.is-invalid').count(), `${name} shows its errors`).toBeGreaterThan(0);
        const violations = await axeViolations(page);
        if (violations.length) found.push(`${name} with errors (${mode}), ${path}:\n${describeViolations(violations, true)}`);
      }
      writeReport(`form-errors-${mode}-${dialect}`, found);
      expect(found.join('\n\n')).toBe('');
    },
    120_000,
  );

  it.each(THEMES)('finds no accessibility problem on the sign-in page in the %s theme', async (mode) => {
    const visitor = await (await env.browser.newContext()).newPage();
    await visitor.goto(`${env.base}/sign-in`);
    await setTheme(visitor, mode);
    expect((await audit(visitor, [['sign-in', '/sign-in']], mode)).join('\n\n')).toBe('');
    await visitor.context().close();
  });

  it('gives the focus back to the button that opened the confirmation dialog when Esc closes it', async () => {
    await page.goto(`${env.base}/clients/${clientId}/assets`);
    await page.locator('input[data-row-check]').first().check();
    await page.getByLabel('With ticked assets:').selectOption('delete');
    const apply = page.getByRole('button', { name: 'Apply to ticked' });
    await apply.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('#confirm-modal') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-bulk-apply'))).not.toBeNull();
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Apply to ticked');
  });

  it('reaches the first row of a list in fewer than 15 presses of Tab, through the "Skip to results" link', async () => {
    for (const [path, rowLink] of [
      ['/assets', 'table.asset-list tbody tr a[href^="/assets/"]'],
      [`/clients/${clientId}/assets`, 'table.asset-list tbody tr a[href^="/assets/"]'],
      ['/clients', '#results tr a[href^="/clients/"]'],
      [`/clients/${clientId}/logins`, '#results tr a[href^="/logins/"]'],
    ]) {
      await page.goto(`${env.base}${path}`);
      const firstAsset = await page.locator(rowLink!).first().getAttribute('href');
      expect(firstAsset).toBeTruthy();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to results');
      let presses = 1;
      await page.keyboard.press('Enter');
      for (; presses < 15; presses++) {
        const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
        if (href === firstAsset) break;
        await page.keyboard.press('Tab');
      }
      expect(presses, path).toBeLessThan(15);
    }
  });
});

describe.each(DIALECTS)('accessibility of the first-run setup page in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);

  it.each(THEMES)('finds no accessibility problem on the setup page of an empty Steward in the %s theme', async (mode) => {
    const visitor = await (await env.browser.newContext()).newPage();
    await visitor.goto(`${env.base}/setup`);
    await visitor.evaluate((m) => localStorage.setItem('steward-theme', m), mode);
    await visitor.reload();
    expect(await visitor.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe(mode);
    expect(await visitor.textContent('h1')).toBeTruthy();
    const violations = await axeViolations(visitor);
    await visitor.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await visitor.waitForLoadState('networkidle');
    expect(await visitor.locator('.is-invalid').count(), 'the setup form shows its errors').toBeGreaterThan(0);
    const withErrors = await axeViolations(visitor);
    writeReport(
      `setup-${mode}-${dialect}`,
      [...violations, ...withErrors].length ? [describeViolations(violations, true), describeViolations(withErrors, true)] : [],
    );
    expect(describeViolations(violations)).toBe('');
    expect(describeViolations(withErrors)).toBe('');
    await visitor.context().close();
  });
});
