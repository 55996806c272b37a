// Changing a password after the account exists: the user's own change (their current password
// required, unless an administrator's reset asks them to choose a new one), an administrator's reset
// (the user must choose a new one at their next sign-in) and the CLI's set-password. Every new password
// goes through the password policy; every change is audited and ends the sessions it should: all of the
// user's on a reset or set-password, every other one on the user's own change.
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { requiredText, type Raw } from '../platform/fields.ts';
import { checkNewPassword } from './password-policy.ts';
import { companyName, hashPassword, verifyPassword } from './user.service.ts';

interface PasswordHolder {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  must_change_password: number | boolean;
}

function holderQuery(ctx: Ctx) {
  return ctx.db.selectFrom('users').select(['id', 'email', 'name', 'password_hash', 'must_change_password']).where('archived_at', 'is', null);
}

/** Checks the new password (and its repetition, when the form had one); adds every problem to issues. */
async function checkChosen(ctx: Ctx, issues: IssueList, user: PasswordHolder, password: Raw, confirm: Raw | undefined): Promise<string> {
  const chosen = await checkNewPassword(issues, 'password', password, { email: user.email, name: user.name, company: await companyName(ctx) });
  if (confirm !== undefined && (typeof confirm !== 'string' || confirm !== chosen))
    issues.add('password_confirm', 'mismatch', 'is not the same as the new password');
  return chosen;
}

/** Whether the signed-in user must choose a new password before anything else (after a reset). */
export async function mustChangePassword(ctx: Ctx, userId: number): Promise<boolean> {
  const row = await holderQuery(ctx).where('id', '=', userId).executeTakeFirst();
  return Boolean(row?.must_change_password);
}

/**
 * The acting user changes their own password. The current one is required, except when an
 * administrator's reset made them choose a new one (they have just signed in with the reset one).
 * Their other sessions end; `keepSessionId` (the one they are using) stays signed in.
 */
export async function changeOwnPassword(
  ctx: Ctx,
  input: { current?: Raw; password: Raw; confirm?: Raw },
  keepSessionId: string | null,
): Promise<{ forced: boolean }> {
  const userId = ctx.principal?.userId;
  if (!userId) throw new ForbiddenError('only a signed-in user can change their own password');
  const user = await holderQuery(ctx).where('id', '=', userId).executeTakeFirst();
  if (!user) throw new NotFoundError('user', userId);
  const forced = Boolean(user.must_change_password);
  const issues = new IssueList();
  if (!forced) {
    const current = typeof input.current === 'string' ? input.current : '';
    if (!current) issues.add('current_password', 'required', 'is required');
    else if (!(await verifyPassword(user.password_hash, current).catch(() => false))) issues.add('current_password', 'wrong', 'is not your current password');
  }
  const chosen = await checkChosen(ctx, issues, user, input.password, input.confirm);
  if (issues.empty && (await verifyPassword(user.password_hash, chosen).catch(() => false)))
    issues.add('password', 'unchanged', 'must be different from the current password');
  issues.throwIfAny();
  const password_hash = await hashPassword(chosen);
  await inTransaction(ctx, async (ctx) => {
    await ctx.db.updateTable('users').set({ password_hash, must_change_password: 0 }).where('id', '=', userId).execute();
    let others = ctx.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSessionId) others = others.where('id', '!=', keepSessionId);
    await others.execute();
    await recordAudit(ctx, { action: 'user.password_changed', entityType: 'user', entityId: userId, details: forced ? { afterReset: true } : null });
  });
  return { forced };
}

/** Only an administrator (or the system itself: the CLI) sets another user's password. */
function requireAdministrator(ctx: Ctx): void {
  if (ctx.principal && !ctx.principal.isAdmin) throw new ForbiddenError(`${ctx.principal.name} is not an administrator`);
}

/**
 * An administrator gives a user a new password: every session of the user ends, and the user must
 * choose a password of their own at their next sign-in.
 */
export async function resetPassword(ctx: Ctx, userId: number, input: { password: Raw; confirm?: Raw }): Promise<void> {
  requireAdministrator(ctx);
  const user = await holderQuery(ctx).where('id', '=', userId).executeTakeFirst();
  if (!user) throw new NotFoundError('user', userId);
  const issues = new IssueList();
  const chosen = await checkChosen(ctx, issues, user, input.password, input.confirm);
  issues.throwIfAny();
  const password_hash = await hashPassword(chosen);
  await inTransaction(ctx, async (ctx) => {
    await ctx.db.updateTable('users').set({ password_hash, must_change_password: 1 }).where('id', '=', userId).execute();
    const ended = await ctx.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    await recordAudit(ctx, {
      action: 'user.password_reset',
      entityType: 'user',
      entityId: userId,
      details: { sessionsEnded: Number(ended.numDeletedRows), mustChange: true },
    });
  });
}

/**
 * Sets a user's password by email (the CLI, for an operator who holds the server): the user's sessions
 * end, and the user is not asked to change it again.
 */
export async function setPasswordByEmail(ctx: Ctx, input: { email: Raw; password: Raw }): Promise<{ id: number; email: string; name: string }> {
  requireAdministrator(ctx);
  const issues = new IssueList();
  const email = requiredText(issues, 'email', input.email, 200).toLowerCase();
  const user = email ? await holderQuery(ctx).where(sql`lower(email)`, '=', email).executeTakeFirst() : undefined;
  if (email && !user) issues.add('email', 'unknown_value', `no user has the email ${email}`);
  issues.throwIfAny();
  const chosen = await checkChosen(ctx, issues, user!, input.password, undefined);
  issues.throwIfAny();
  const password_hash = await hashPassword(chosen);
  await inTransaction(ctx, async (ctx) => {
    await ctx.db.updateTable('users').set({ password_hash, must_change_password: 0 }).where('id', '=', user!.id).execute();
    const ended = await ctx.db.deleteFrom('sessions').where('user_id', '=', user!.id).executeTakeFirst();
    await recordAudit(ctx, {
      action: 'user.password_set',
      entityType: 'user',
      entityId: user!.id,
      details: { sessionsEnded: Number(ended.numDeletedRows) },
    });
  });
  return { id: user!.id, email: user!.email, name: user!.name };
}
