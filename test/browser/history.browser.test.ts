// The technician's day in a real browser, on each database: a transfer undone from the original's page
// (no "Restore" there), the history read as a story with names of the time and times on hover, its
// CSV, a deleted asset's timeline for the administrator, dates out of order refused beside the field,
// and a long notification list paged and marked read at once.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset, updateAsset } from '../../src/assets/asset.service.ts';
import { createClient } from '../../src/clients/client.service.ts';
import { createLocation, updateLocation } from '../../src/locations/location.service.ts';
import { screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('history, transfers, dates and notifications in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);
  let page: Page;
  let userId: number;

  const signIn = async () => {
    page = await (await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'de-DE', timezoneId: 'America/New_York' })).newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('iris@story.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).not.toContain('/sign-in');
  };

  it('undoes a transfer from the original, which offers no "Restore"', async () => {
    userId = (await createUser(env.ctx, { email: 'iris@story.test', name: 'Iris Admin', password: PASSWORD, role: 'admin' })).id;
    const from = await createClient(env.ctx, { name: 'Litware Clinic' });
    const to = await createClient(env.ctx, { name: 'Tailspin Dental' });
    const asset = await createAsset(env.ctx, { clientId: from.id, name: 'XRAY-PC' });
    await signIn();
    await page.goto(`${env.base}/assets/transfer?ids=${asset.id}&to=${to.id}`);
    await page.getByRole('button', { name: /^Transfer 1 asset/ }).click();
    await expect.poll(() => page.textContent('body')).toContain('Transferred 1 asset');
    await page.goto(`${env.base}/assets/${asset.id}`);
    expect(await page.getByRole('button', { name: 'Restore' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Undo transfer' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Undo the transfer of XRAY-PC?');
    await dialog.getByRole('button', { name: 'Yes, go ahead' }).click();
    await expect.poll(() => page.textContent('body')).toContain('Transfer of XRAY-PC undone');
    expect(await page.getByRole('button', { name: 'Archive' }).count()).toBe(1);
    const latest = await page.locator('[aria-label="History"] li').first().textContent();
    expect(latest).toContain('Transfer undone');
    expect(latest).toContain('the copy under Tailspin Dental was archived');
  });

  it('reads the history as a story: names of the time, labels, exact time on hover; exports it as CSV', async () => {
    const client = await createClient(env.ctx, { name: 'Story Clinic' });
    const reception = await createLocation(env.ctx, { clientId: client.id, name: 'Reception' });
    const lab = await createLocation(env.ctx, { clientId: client.id, name: 'Lab' });
    const asset = await createAsset(env.ctx, { clientId: client.id, name: 'LAB-PC', locationId: reception.id });
    await updateAsset(env.ctx, asset.id, { locationId: lab.id, os: 'Windows 11' });
    await updateLocation(env.ctx, reception.id, { name: 'Front desk' });
    await page.goto(`${env.base}/assets/${asset.id}`);
    const history = page.locator('[aria-label="History"]');
    const change = (await history.locator('li').first().textContent()) ?? '';
    expect(change).toMatch(/Location:\s*Reception \(now Front desk\)\s*→\s*Lab/);
    expect(change).toMatch(/Operating system:\s*—\s*→\s*Windows 11/);
    expect(change).not.toMatch(/locationId|→\s*\d+\b/);
    const time = history.locator('time').first();
    // In the reader's language and time zone (this browser: German, New York), the zone named.
    expect(await time.textContent()).toMatch(/jetzt|Sekunde|Minute/);
    expect(await time.getAttribute('title')).toMatch(/\d{4}.*\d\d:\d\d.*(GMT-5|EST)/);
    expect(await history.locator('ins').count()).toBe(0);
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, `history-${dialect}`);

    const csv = await page.request.get(`${env.base}/assets/${asset.id}/history.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(',LAB-PC,Changed,,,Location,Reception (now Front desk),Lab,browser test,');
  });

  it("leads an administrator from the deleted assets to a deleted asset's timeline", async () => {
    const client = await createClient(env.ctx, { name: 'Gone Clinic' });
    const asset = await createAsset(env.ctx, { clientId: client.id, name: 'OLD-SCANNER', serial: 'SCN-404' });
    await page.goto(`${env.base}/assets/${asset.id}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Deleted assets');
    await dialog.getByRole('button', { name: 'Yes, go ahead' }).click();
    await expect.poll(() => page.textContent('body')).toContain('OLD-SCANNER deleted');
    await page.goto(`${env.base}/admin/deleted-assets`);
    const row = page.locator('tbody tr', { hasText: 'OLD-SCANNER' });
    expect(await row.textContent()).toMatch(/SCN-404.*Gone Clinic.*Iris Admin/);
    await row.getByRole('link', { name: 'OLD-SCANNER' }).click();
    await expect.poll(() => page.textContent('h1')).toContain('OLD-SCANNER');
    expect(await page.locator('[aria-label="History"] li').first().textContent()).toContain('Deleted');
  });

  it('refuses a warranty ending before the purchase, beside the field, keeping what was typed', async () => {
    const client = await createClient(env.ctx, { name: 'Dates Clinic' });
    const asset = await createAsset(env.ctx, { clientId: client.id, name: 'DATE-PC', purchaseDate: '2024-05-01' });
    await page.goto(`${env.base}/assets/${asset.id}/edit`);
    await page.getByLabel('Warranty expires').fill('2023-01-31');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const field = page.getByLabel('Warranty expires');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('2023-01-31');
    expect(await page.textContent('body')).toContain('Warranty ends before the purchase date (2024-05-01)');
  });

  it('pages a long notification list and marks every one read at once', async () => {
    const at = new Date().toISOString();
    const rows = Array.from({ length: 120 }, (_, i) => ({
      user_id: userId,
      client_id: null,
      asset_id: null,
      kind: 'second_factor_locked' as const,
      days_before: null,
      due_date: null,
      title: `Notice ${i + 1}`,
      created_at: at,
      read_at: null,
      dismissed_at: null,
    }));
    await env.store.db.insertInto('notifications').values(rows).execute();
    await page.goto(`${env.base}/notifications`);
    await page.getByRole('link', { name: 'Next' }).click();
    await expect.poll(() => page.url()).toContain('page=2');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expect
      .poll(async () => {
        const row = await env.store.db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('user_id', '=', userId)
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow();
        return Number(row.n);
      })
      .toBe(0);
  });
});
