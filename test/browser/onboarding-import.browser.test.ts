// Onboarding a new, empty client from ITFlow's asset export in a real browser, on each database: the
// column screen offers to create the locations and contacts the file names (the default), the preview
// says which it will create, and the import creates them once each with every row.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createClient } from '../../src/clients/client.service.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const exportFile = readFileSync(new URL('../fixtures/itflow/itflow-export-default.csv', import.meta.url));

describe.each(DIALECTS)('onboarding import in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect, { config: { dataDir: mkdtempSync(join(tmpdir(), 'steward-onboarding-browser-')) } });

  it("imports ITFlow's export into a new client, creating the locations and contacts it names", async () => {
    const ctx = env.ctx;
    await createUser(ctx, { email: 'nina@onboard.test', name: 'Nina New', password: 'a long password', role: 'admin' });
    const client = await createClient(ctx, { name: 'Brand New AG' });

    const page = await (await env.browser.newContext()).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('nina@onboard.test');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${env.base}/clients/${client.id}/assets`);
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Import assets into Brand New AG');

    await page.getByLabel(/CSV file/).setInputFiles({ name: 'itflow-export.csv', mimeType: 'text/csv', buffer: exportFile });
    await page.getByRole('button', { name: 'Upload and continue' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Columns of itflow-export.csv');
    for (const column of ['Location', 'Assigned To', 'Vendor']) expect(await page.getByLabel(`Missing: ${column}`).inputValue()).toBe('create');
    await expect.poll(() => page.locator('#missing-location option:checked').textContent()).toBe('Create the missing ones');
    await screenshot(page, `onboarding-mapping-create-missing-${dialect}`);
    await expectNoAxeViolations(page, 'import columns');
    await page.getByRole('button', { name: 'Preview' }).click();

    await expect.poll(() => page.textContent('h1')).toBe('Preview of itflow-export.csv');
    expect(await page.locator('[data-count="create"]').textContent()).toBe('26');
    expect(await page.locator('[data-count="rejected"]').textContent()).toBe('0');
    expect(await page.textContent('#verdicts')).toContain("will create location 'Head Office'");
    expect(await page.textContent('#will-create')).toContain("2 locations: 'Head Office', 'Zürich Branch'");
    await screenshot(page, `onboarding-preview-${dialect}`);
    await page.getByRole('button', { name: 'Import 26 rows' }).click();

    await expect.poll(() => page.textContent('h1')).toBe('Imported itflow-export.csv');
    await expect.poll(() => page.textContent('body')).toContain('26 created, 0 updated, 0 unchanged; also created 2 locations, 3 contacts.');
    await page.goto(`${env.base}/clients/${client.id}/locations`);
    const body = await page.textContent('main');
    expect(body?.match(/Head Office/g)).toHaveLength(1);
    expect(body).toContain('Zürich Branch');
  });
});
