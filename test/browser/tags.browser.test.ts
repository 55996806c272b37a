// Tags in a real browser, on each database: two letters typed in the asset page's tag box bring the
// matching existing tags as suggestions (after a comma too), a name no tag has becomes a new tag on
// saving, and the administrators' colours show on the chips of the asset page and the list, through
// the tag stylesheet the Content-Security-Policy allows, readable (axe) in the light and dark themes.
// Screenshots of the list in both themes.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { createTag, listTags } from '../../src/tags/tag.service.ts';
import { axeViolations, describeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';
import { makeClientWithRecords } from '../support/factories.ts';

const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('tags in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);
  let page: Page;
  let clientId: number;
  let assetId: number;

  /** The values the tag box's datalist offers now. */
  const suggestions = () => page.evaluate(() => Array.from(document.querySelectorAll('#asset-tags-options option')).map((o) => (o as HTMLOptionElement).value));
  /** The chip's colours as the browser paints them. */
  const chipColours = (scope: string, name: string) =>
    page.evaluate(
      ([s, n]) => {
        const chip = Array.from(document.querySelectorAll(`${s} .tag-chip`)).find((c) => c.textContent === n);
        if (!chip) return null;
        const style = getComputedStyle(chip);
        return { background: style.backgroundColor, text: style.color };
      },
      [scope, name],
    );
  const theme = async (mode: 'light' | 'dark') => {
    await page.evaluate((m) => localStorage.setItem('steward-theme', m), mode);
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'))).toBe(mode);
  };
  /** axe's findings on the tag chips and tag boxes (the rest of the page is test/browser/accessibility's). */
  const tagViolations = async () =>
    (await axeViolations(page))
      .map((v) => ({ ...v, nodes: v.nodes.filter((n) => /tag-chip|tag-color|tag-plain|#asset-tags|#bulk-tags/.test(n.target.map(String).join(' '))) }))
      .filter((v) => v.nodes.length > 0);

  it('sets up a client, an asset and coloured tags, and signs a technician in', async () => {
    const c = await makeClientWithRecords(env.ctx, 'Contoso Dental');
    clientId = c.client.id;
    assetId = (await createAsset(env.ctx, { clientId, name: 'RECEPTION-PC', type: 'Desktop' })).id;
    await createAsset(env.ctx, { clientId, name: 'SPARE-PC', type: 'Desktop' });
    await createTag(env.ctx, { name: 'Leased', color: '#ffeb3b' });
    await createTag(env.ctx, { name: 'Legacy', color: '#8B0000' });
    await createTag(env.ctx, { name: 'Backup' });
    await createUser(env.ctx, { email: 'tess@tags.test', name: 'Tess Tech', password: PASSWORD, role: 'technician' });
    page = await (await env.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('tess@tags.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toBe(`${env.base}/assets`);
  });

  it('suggests existing tags as two letters are typed, and after a comma', async () => {
    await page.goto(`${env.base}/assets/${assetId}`);
    const box = page.locator('#asset-tags');
    expect(await box.getAttribute('list')).toBe('asset-tags-options');
    expect((await suggestions()).sort()).toEqual(['Backup', 'Leased', 'Legacy']);
    await box.pressSequentially('Le');
    await expect.poll(suggestions).toEqual(['Leased', 'Legacy']);
    await box.fill('');
    await box.pressSequentially('Legacy, le');
    // Legacy is in the box already: only Leased is offered, completing the whole box.
    await expect.poll(suggestions).toEqual(['Legacy, Leased']);
  });

  it('creates a tag inline on saving a name no tag has, and shows the coloured chips', async () => {
    const box = page.locator('#asset-tags');
    await box.fill('');
    await box.pressSequentially('Legacy, Front desk');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await expect.poll(() => page.textContent('body')).toContain('Tags saved.');
    expect((await listTags(env.ctx)).map((t) => t.name)).toContain('Front desk');
    expect(await box.inputValue()).toBe('Front desk, Legacy');
    expect(await chipColours('main', 'Legacy')).toEqual({ background: 'rgb(139, 0, 0)', text: 'rgb(255, 255, 255)' });
    expect(await chipColours('main', 'Front desk')).not.toBeNull();
    // The new tag is offered from now on.
    expect(await suggestions()).toContain('Front desk');
  });

  it('shows the chips in the list, readable in the light and dark themes', async () => {
    await page.goto(`${env.base}/clients/${clientId}/assets`);
    // Tag the spare too, from the bulk bar, with the light-coloured tag.
    await page.getByLabel('Tick SPARE-PC').check();
    await page.locator('#bulk-action').selectOption('add_tags');
    await page.locator('#bulk-tags').pressSequentially('Leased');
    await page.getByRole('button', { name: 'Apply to ticked' }).click();
    await page.locator('#confirm-modal [data-confirm-ok]').click();
    await expect.poll(() => page.textContent('body')).toContain('1 of 1 asset tagged.');

    expect(await chipColours('table.asset-list', 'Legacy')).toEqual({ background: 'rgb(139, 0, 0)', text: 'rgb(255, 255, 255)' });
    expect(await chipColours('table.asset-list', 'Leased')).toEqual({ background: 'rgb(255, 235, 59)', text: 'rgb(0, 0, 0)' });
    for (const mode of ['light', 'dark'] as const) {
      await theme(mode);
      const found = await tagViolations();
      expect(describeViolations(found, true), `tag chips in the ${mode} theme`).toBe('');
      await screenshot(page, `tags-list-${mode}-${dialect}`);
    }
    await page.goto(`${env.base}/assets/${assetId}`);
    expect(describeViolations(await tagViolations(), true), 'tag chips on the asset page').toBe('');
    await theme('light');
  });
});
