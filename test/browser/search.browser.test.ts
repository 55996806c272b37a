// The top bar's search in a real browser, on each database: a MAC pasted with dashes lands on its
// asset, "muller" finds the contact "Müller" under Contacts on the results page, and "/" pressed
// anywhere outside a text field puts the cursor in the search box.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { createClient } from '../../src/clients/client.service.ts';
import { createContact } from '../../src/contacts/contact.service.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

describe.each(DIALECTS)('the top bar search in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);
  let page: Page;
  let assetId: number;
  const searchBox = () => page.locator('#global-search');

  beforeAll(async () => {
    await createUser(env.ctx, { email: 'sam@msp.test', name: 'Sam Search', password: 'a long password', role: 'admin' });
    const client = await createClient(env.ctx, { name: 'Bäckerei Schmidt' });
    await createContact(env.ctx, { clientId: client.id, name: 'Lena Müller', email: 'lena@baeckerei.test' });
    assetId = (await createAsset(env.ctx, { clientId: client.id, name: 'OFEN-CTRL', primaryInterface: { mac: '00:15:5D:01:02:03' } })).id;
    page = await (await env.browser.newContext()).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('sam@msp.test');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });

  it('lands on the asset when a MAC is pasted with dashes', async () => {
    await page.goto(`${env.base}/dashboard`);
    await searchBox().click();
    // Inserted in one go, as a paste from a switch's MAC table is (no key presses).
    await page.keyboard.insertText('00-15-5D-01-02-03');
    await searchBox().press('Enter');
    await expect.poll(() => page.url()).toBe(`${env.base}/assets/${assetId}`);
    expect(await page.textContent('h1')).toContain('OFEN-CTRL');
  });

  it('finds the contact "Müller" by "muller", grouped under Contacts', async () => {
    await searchBox().fill('muller');
    await searchBox().press('Enter');
    await expect.poll(() => page.url()).toContain('/search?q=muller');
    const contacts = page.locator('[data-search-group="contacts"]');
    expect(await contacts.getByRole('heading').textContent()).toMatch(/Contacts\s*1/);
    expect(await contacts.getByRole('link', { name: 'Lena Müller' }).count()).toBe(1);
    await screenshot(page, `search-results-${dialect}`);
    await expectNoAxeViolations(page, 'search results');
  });

  it('focuses the search box when "/" is pressed outside a text field, and types it in a text field', async () => {
    await page.goto(`${env.base}/clients`);
    await page.locator('h1').click();
    expect(await page.evaluate(() => document.activeElement?.id ?? '')).not.toBe('global-search');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('global-search');
    expect(await searchBox().inputValue()).toBe('');
    // In another text field, "/" is just a character.
    await page.goto(`${env.base}/search`);
    await page.locator('#search-page-q').click();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-page-q');
    expect(await page.locator('#search-page-q').inputValue()).toBe('/');
  });
});
