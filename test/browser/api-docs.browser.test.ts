// The API v2 reference in a real browser (once: the document does not depend on the database): served by Steward itself (no request leaves
// for another host), it lists the operations of the generated document without a key, and runs under
// Steward's Content-Security-Policy with nothing refused. axe's findings are recorded, not enforced:
// the page is Swagger UI's, not Steward's.
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations, screenshot, useBrowserApp } from '../support/browser.ts';

describe('the API reference in the browser', () => {
  const dialect = 'sqlite';
  const env = useBrowserApp(dialect);

  it('lists the operations, loading everything from Steward, with no Content-Security-Policy violation', async () => {
    const page = await (await env.browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(env.base) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    const answer = await page.goto(`${env.base}/api/v2/docs`, { timeout: 60_000 });
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    const operation = page.locator('.opblock', { hasText: '/assets/{id}/history' });
    await expect.poll(() => operation.count(), { timeout: 100_000 }).toBeGreaterThan(0);
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('body')).toContain('Steward API v2');
    expect(await page.textContent('body')).toContain('transferAssets');
    await operation.first().locator('.opblock-summary').click();
    await expect.poll(() => page.locator('.responses-table').first().textContent()).toContain('application/problem+json');
    await screenshot(page, `api-docs-${dialect}`);
    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
    const findings = await axeViolations(page);
    if (findings.length) console.log(`axe on Swagger UI (not enforced):\n${describeViolations(findings)}`);
    // Swagger UI reads the whole document before it shows anything: slow on a busy machine.
  }, 180_000);
});
