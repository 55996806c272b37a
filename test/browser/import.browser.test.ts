// Onboarding a client from ITFlow's export in a real browser, on each database: the list's "Import
// CSV", upload, the column screen, a preview with a verdict per row, the commit and the summary, and
// the imported assets in the list.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createClient } from '../../src/clients/client.service.ts';
import { createContact } from '../../src/contacts/contact.service.ts';
import { createLocation } from '../../src/locations/location.service.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const exportFile = readFileSync(new URL('../fixtures/itflow/itflow-export-default.csv', import.meta.url));

describe.each(DIALECTS)('CSV import in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect, { config: { dataDir: mkdtempSync(join(tmpdir(), 'steward-import-browser-')) } });

  it("imports ITFlow's export: upload, columns, preview, commit, summary, list", async () => {
    const ctx = env.ctx;
    await createUser(ctx, { email: 'olga@onboard.test', name: 'Olga Onboard', password: 'a long password', role: 'admin' });
    const client = await createClient(ctx, { name: 'Fabrikam Law' });
    for (const name of ['Head Office', 'Zürich Branch']) await createLocation(ctx, { clientId: client.id, name });
    let n = 0;
    for (const name of ['Chloé Dubois', 'Anna Müller', "Björn O'Brien"])
      await createContact(ctx, { clientId: client.id, name, email: `c${++n}@fabrikam.test` });

    const page = await (await env.browser.newContext()).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('olga@onboard.test');
    await page.getByLabel('Password').fill('a long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${env.base}/clients/${client.id}/assets`);
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Import assets into Fabrikam Law');

    await page.getByLabel(/CSV file/).setInputFiles({ name: 'itflow-export.csv', mimeType: 'text/csv', buffer: exportFile });
    await page.getByRole('button', { name: 'Upload and continue' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Columns of itflow-export.csv');
    await expect.poll(() => page.getByLabel('Serial Number', { exact: true }).inputValue()).toBe('serial');
    await page.getByRole('button', { name: 'Preview' }).click();

    await expect.poll(() => page.textContent('h1')).toBe('Preview of itflow-export.csv');
    expect(await page.locator('[data-count="create"]').textContent()).toBe('26');
    expect(await page.locator('[data-count="rejected"]').textContent()).toBe('0');
    expect(await page.locator('#verdicts tbody tr').count()).toBe(26);
    await screenshot(page, `import-preview-${dialect}`);
    await expectNoAxeViolations(page, 'import preview');
    await page.getByRole('button', { name: 'Import 26 rows' }).click();

    await expect.poll(() => page.textContent('h1')).toBe('Imported itflow-export.csv');
    await expect.poll(() => page.textContent('body')).toContain('26 created, 0 updated, 0 unchanged');
    await page.getByRole('link', { name: 'See the assets' }).click();
    await expect.poll(() => page.textContent('body')).toContain('NAS-Backup');
    await screenshot(page, `import-done-${dialect}`);
  });
});
