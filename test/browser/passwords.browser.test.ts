// Passwords in a real browser, on each database: an administrator resets a user's password from
// Administration → users; the user signs in with it, is held on "Choose a new password" whatever page
// they ask for, sees a guessable choice refused beside the field, and continues with a strong one.
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { setSetting } from '../../src/settings/setting.service.ts';
import { expectNoAxeViolations, screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

describe.each(DIALECTS)('passwords in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);

  it('resets a password; the user must choose a strong new one before anything else', async () => {
    await setSetting(env.ctx, 'company.name', 'Northwind Traders');
    await createUser(env.ctx, { email: 'ada@northwind.test', name: 'Ada Admin', password: 'copper-lantern-meadow-19', role: 'admin' });
    await createUser(env.ctx, { email: 'nina@northwind.test', name: 'Nina North', password: 'forgotten-orchid-canyon-73', role: 'technician' });

    const admin = await (await env.browser.newContext()).newPage();
    await admin.goto(`${env.base}/sign-in`);
    await admin.getByLabel('Email').fill('ada@northwind.test');
    await admin.getByLabel('Password').fill('copper-lantern-meadow-19');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('button', { name: 'Ada Admin' }).click();
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.getByRole('link', { name: 'Nina North' }).click();
    await admin.getByLabel('New password', { exact: true }).fill('amber-violin-crescent-64');
    await admin.getByLabel('New password again').fill('amber-violin-crescent-64');
    await admin.getByRole('button', { name: 'Reset password' }).click();
    await expect.poll(() => admin.textContent('body')).toContain('Password of Nina North reset');

    const nina = await (await env.browser.newContext()).newPage();
    await nina.goto(`${env.base}/sign-in`);
    await nina.getByLabel('Email').fill('nina@northwind.test');
    await nina.getByLabel('Password').fill('amber-violin-crescent-64');
    await nina.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => nina.textContent('h1')).toBe('Choose a new password');
    await nina.goto(`${env.base}/clients`);
    await expect.poll(() => nina.textContent('h1')).toBe('Choose a new password');
    expect(new URL(nina.url()).pathname).toBe('/account/password');

    await nina.getByLabel('New password', { exact: true }).fill('Nina@Northwind1');
    await nina.getByLabel('New password again').fill('Nina@Northwind1');
    await nina.getByRole('button', { name: 'Save and continue' }).click();
    const field = nina.getByLabel('New password', { exact: true });
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const message = nina.locator('#f-password-error');
    expect(await message.textContent()).toMatch(/^Is too easy to guess: it contains the user.s name, email address or the company.s name/);
    expect(await message.isVisible()).toBe(true);
    await screenshot(nina, `password-refused-${dialect}`);
    await expectNoAxeViolations(nina, 'new password refused');

    await field.fill('saffron-kettle-meadow-33');
    await nina.getByLabel('New password again').fill('saffron-kettle-meadow-33');
    await nina.getByRole('button', { name: 'Save and continue' }).click();
    await expect.poll(() => nina.textContent('h1')).toBe('Assets, all clients');
    expect(await nina.textContent('main')).toContain('Your new password is saved');
  });
});
