// Passwords over a real socket and through the real `steward` command, on each database: the policy on
// every entry point (setup, a new user, a change, a reset, the CLI), a user's own change (current
// password required, other sessions signed out), an administrator's reset (sessions end, the user must
// choose a new password before anything else) and set-password from standard input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.ts';
import { createEmptyDatabase, DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { listen } from '../../test/support/http.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import type { Ctx } from '../platform/context.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { openStore } from '../platform/db/store.ts';
import { ForbiddenError, ValidationError } from '../platform/errors.ts';
import { setSetting } from '../settings/setting.service.ts';
import { loadPrincipal } from '../access/access.ts';
import { changeOwnPassword, resetPassword, setPasswordByEmail } from './password.service.ts';
import { createUser } from './user.service.ts';

const STRONG = 'violet-harbour-tractor-91';
const OTHER_STRONG = 'pebble-mosaic-thunder-58';

/** The message shown beside a form field, or null. */
const fieldError = (body: string, field: string) => new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(body)?.[1] ?? null;

async function issuesOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return Object.fromEntries(error.issues.map((i) => [i.field, i.message]));
    throw error;
  }
  throw new Error('expected a validation error');
}

describe.each(DIALECTS)('passwords on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  const actingAs = async (userId: number, name: string): Promise<Ctx> => ({
    ...t.ctx,
    actor: { type: 'user', userId, name },
    principal: await loadPrincipal(t.ctx, userId),
  });
  const auditActions = async (userId: number) =>
    (await t.store.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'user').where('entity_id', '=', userId).execute()).map(
      (r) => r.action,
    );
  const signIn = async (email: string, password: string) => {
    const web = new WebClient(site.http);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email, password });
    return { web, res };
  };

  it('refuses short and guessable passwords everywhere, naming the field and saying why', async () => {
    await setSetting(t.ctx, 'company.name', 'Northwind Traders');
    const base = { email: 'nina@northwind.test', name: 'Nina North', role: 'technician' };
    expect((await issuesOf(createUser(t.ctx, { ...base, password: 'short' }))).password).toMatch(/at least 12 characters/);
    expect((await issuesOf(createUser(t.ctx, { ...base, password: 'password1234' }))).password).toMatch(
      /too easy to guess: it is close to a commonly used password/,
    );
    expect((await issuesOf(createUser(t.ctx, { ...base, password: 'qwertyuiop123' }))).password).toMatch(/too easy to guess/);
    // Her own email, name and the company's name are the first words an attacker tries.
    for (const guessable of ['nina@northwind', 'Nina@Northwind1', 'Northwind2026!', 'NinaNorth-2026', 'NinaNorth2026!!', 'Steward2026!!'])
      expect((await issuesOf(createUser(t.ctx, { ...base, password: guessable }))).password, guessable).toMatch(/email address or the company/);
    const nina = await createUser(t.ctx, { ...base, password: STRONG });
    expect(nina.email).toBe('nina@northwind.test');

    const ctx = await actingAs(nina.id, nina.name);
    expect(await issuesOf(changeOwnPassword(ctx, { current: STRONG, password: 'northwind-traders', confirm: 'northwind-traders' }, null))).toEqual({
      password: expect.stringMatching(/too easy to guess/),
    });
    expect((await issuesOf(resetPassword(t.ctx, nina.id, { password: 'tiny' }))).password).toMatch(/at least 12/);
    expect((await issuesOf(setPasswordByEmail(t.ctx, { email: nina.email, password: '123456789012' }))).password).toMatch(/too easy to guess/);
    expect((await issuesOf(setPasswordByEmail(t.ctx, { email: 'nobody@northwind.test', password: STRONG }))).email).toMatch(/no user has the email/);
  });

  it('refuses a guessable password for the first administrator, with the company name typed in the same form', async () => {
    const db = await createEmptyDatabase(dialect);
    const store = openStore({ kind: dialect, url: db.url });
    await migrateToLatest(store);
    const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store });
    try {
      const web = new WebClient(await listen(app));
      await web.get('/setup');
      const form = { company: 'Contoso Cloud', name: 'Carl', email: 'carl@contoso.test' };
      const weak = await web.post('/setup', { ...form, password: 'ContosoCloud1!', password_confirm: 'ContosoCloud1!' });
      expect(weak.statusCode).toBe(422);
      expect(fieldError(weak.body, 'password')).toMatch(/^Is too easy to guess: it contains the user.*company/);
      const done = await web.post('/setup', { ...form, password: STRONG, password_confirm: STRONG });
      expect(done.headers.location).toBe('/welcome');
    } finally {
      await app.close();
      await store.close();
      await db.drop();
    }
  });

  it('lets a signed-in user change their own password with their current one; their other sessions end', async () => {
    const user = await createUser(t.ctx, { email: 'olaf@own.test', name: 'Olaf Own', password: STRONG, role: 'technician' });
    const { web } = await signIn('olaf@own.test', STRONG);
    const other = (await signIn('olaf@own.test', STRONG)).web;
    const menu = await web.get('/assets');
    expect(menu.body).toContain('href="/account/password"');
    const page = await web.get('/account/password');
    expect(page.body).toContain('Change your password');

    const wrong = await web.post('/account/password', { current_password: 'not-my-password-at-all', password: OTHER_STRONG, password_confirm: OTHER_STRONG });
    expect(wrong.statusCode).toBe(422);
    expect(fieldError(wrong.body, 'current_password')).toBe('Is not your current password');
    const short = await web.post('/account/password', { current_password: STRONG, password: 'short', password_confirm: 'short' });
    expect(fieldError(short.body, 'password')).toMatch(/^Must be at least 12 characters long/);
    const differ = await web.post('/account/password', { current_password: STRONG, password: OTHER_STRONG, password_confirm: `${OTHER_STRONG}x` });
    expect(fieldError(differ.body, 'password_confirm')).toBe('Is not the same as the new password');
    // The same through the service: the wrong current password is a field error, and nothing changed.
    expect(await issuesOf(changeOwnPassword(await actingAs(user.id, user.name), { current: 'wrong', password: OTHER_STRONG }, null))).toEqual({
      current_password: 'is not your current password',
    });

    const changed = await web.post('/account/password', { current_password: STRONG, password: OTHER_STRONG, password_confirm: OTHER_STRONG });
    expect(changed.statusCode).toBe(303);
    expect((await web.get('/account/password')).body).toContain('Your password is changed');
    expect((await web.get('/assets')).statusCode).toBe(200);
    expect((await other.get('/assets')).headers.location).toMatch(/^\/sign-in/);
    expect((await signIn('olaf@own.test', STRONG)).res.statusCode).toBe(401);
    expect((await signIn('olaf@own.test', OTHER_STRONG)).res.headers.location).toBe('/assets');
    const stored = await t.store.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(await auditActions(user.id)).toContain('user.password_changed');
  });

  it('has an administrator reset a password: sessions end and the user must choose a new one before anything else', async () => {
    await createUser(t.ctx, { email: 'ada@reset.test', name: 'Ada Admin', password: STRONG, role: 'admin' });
    const user = await createUser(t.ctx, { email: 'rita@reset.test', name: 'Rita Reset', password: STRONG, role: 'technician' });
    const rita = (await signIn('rita@reset.test', STRONG)).web;
    expect((await rita.get('/assets')).statusCode).toBe(200);
    // Only an administrator resets a password, whatever the entry point.
    await expect(resetPassword(await actingAs(user.id, user.name), user.id, { password: OTHER_STRONG })).rejects.toBeInstanceOf(ForbiddenError);

    const { web: admin } = await signIn('ada@reset.test', STRONG);
    const edit = await admin.get(`/admin/users/${user.id}`);
    expect(edit.body).toContain('Reset password');
    const weak = await admin.post(`/admin/users/${user.id}/password`, { password: 'password', password_confirm: 'password' });
    expect(weak.statusCode).toBe(422);
    expect(fieldError(weak.body, 'password')).toMatch(/at least 12 characters/);
    expect((await rita.get('/assets')).statusCode).toBe(200);
    const reset = await admin.post(`/admin/users/${user.id}/password`, { password: OTHER_STRONG, password_confirm: OTHER_STRONG });
    expect(reset.statusCode).toBe(303);
    const after = await admin.get(reset.headers.location as string);
    expect(after.body).toContain('must choose their own');
    expect(after.body).toContain('Rita Reset chooses a new password at their next sign-in.');
    expect((await rita.get('/assets')).headers.location).toMatch(/^\/sign-in/);

    const again = await signIn('rita@reset.test', OTHER_STRONG);
    expect(again.res.statusCode).toBe(303);
    for (const url of ['/assets', '/clients', '/account/two-factor', '/dashboard']) {
      const res = await again.web.get(url);
      expect(res.headers.location, url).toBe('/account/password');
    }
    const refusedForm = await again.web.post('/account/two-factor/disable', { password: OTHER_STRONG });
    expect(refusedForm.headers.location).toBe('/account/password');
    const choose = await again.web.get('/account/password');
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('Choose a new password');
    expect(choose.body).not.toContain('name="current_password"');
    const same = await again.web.post('/account/password', { password: OTHER_STRONG, password_confirm: OTHER_STRONG });
    expect(fieldError(same.body, 'password')).toBe('Must be different from the current password');
    const weakOwn = await again.web.post('/account/password', { password: 'rita-reset-1', password_confirm: 'rita-reset-1' });
    expect(weakOwn.statusCode).toBe(422);
    expect(fieldError(weakOwn.body, 'password')).toMatch(/^Is too easy to guess/);
    const chosen = await again.web.post('/account/password', { password: 'saffron-kettle-meadow-33', password_confirm: 'saffron-kettle-meadow-33' });
    expect(chosen.headers.location).toBe('/assets');
    expect((await again.web.get('/assets')).statusCode).toBe(200);
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(['user.password_reset', 'user.password_changed']));
  });

  describe('steward user set-password', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'steward-pw-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = () => ({ STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: t.url });

    it('reads the password from standard input; the user then signs in with it over HTTP, without being asked to change it', async () => {
      const user = await createUser(t.ctx, { email: 'cleo@cli.test', name: 'Cleo CLI', password: STRONG, role: 'technician' });
      await resetPassword(t.ctx, user.id, { password: OTHER_STRONG });
      const weak = await runCli(['user', 'set-password', '--email', 'cleo@cli.test'], env(), 'cleo@cli.test\n');
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/^steward: password: is too easy to guess/);

      const set = await runCli(['user', 'set-password', '--email', 'Cleo@CLI.test'], env(), 'marble-cactus-whistle-27\n');
      expect(set.stderr).toBe('');
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('password set for user');
      const { web, res } = await signIn('cleo@cli.test', 'marble-cactus-whistle-27');
      expect(res.headers.location).toBe('/assets');
      expect((await web.get('/assets')).statusCode).toBe(200);
      expect(await auditActions(user.id)).toContain('user.password_set');
    });

    it('takes no password from the command line itself', async () => {
      const res = await runCli(['user', 'set-password', '--email', 'cleo@cli.test', '--password', STRONG], env());
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/unknown option/);
    });
  });
});
