// First run in a real browser, on each database: a new Steward leads to setup, setup lands on the
// getting-started checklist, and adding a client ticks its first step.
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('first run in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);

  it('sets up, lands on the checklist, and sees "Add a client" ticked once a client is added', async () => {
    const page = await (await env.browser.newContext()).newPage();
    await page.goto(env.base);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/setup');
    await page.getByLabel('Company name').fill('Harbour IT');
    await page.getByLabel('Your name').fill('Hana');
    await page.getByLabel('Email').fill('hana@harbour.test');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();

    await expect.poll(() => new URL(page.url()).pathname).toBe('/welcome');
    await expect.poll(() => page.textContent('#getting-started-title')).toBe('Getting started');
    const step = (key: string) => page.locator(`[data-step="${key}"]`);
    for (const key of ['client', 'asset', 'colleague', 'apiKey']) expect(await step(key).getAttribute('data-done')).toBe('no');
    expect(await page.locator('[data-progress]').textContent()).toBe('0 of 4 steps done');
    await screenshot(page, `first-run-checklist-${dialect}`);
    await expectNoAxeViolations(page, 'getting started');

    await step('client').getByRole('link', { name: 'Add a client' }).click();
    await page.getByLabel('Client name').fill('Dental Co');
    await page.getByRole('button', { name: 'Add client' }).click();
    await expect.poll(() => page.textContent('body')).toContain('Dental Co added.');

    await page.goto(`${env.base}/welcome`);
    await expect.poll(() => step('client').getAttribute('data-done')).toBe('yes');
    expect(await step('client').textContent()).toContain('Done');
    expect(await step('asset').getAttribute('data-done')).toBe('no');
    expect(await page.locator('[data-progress]').textContent()).toBe('1 of 4 steps done');
    await screenshot(page, `first-run-checklist-one-done-${dialect}`);
  });
});
