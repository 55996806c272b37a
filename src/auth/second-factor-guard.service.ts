// Guessing the code step (issue 13): wrong codes are counted per user, in the database, whatever the
// session, process or server; the tenth within 15 minutes locks the code step of that user for 15
// minutes (a right code included), writes an audit entry and tells the user.
import { FailureThrottle, type Attempt } from '../access/failure-throttle.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notifyAccountHolder } from '../notifications/notification.service.ts';
import { nowIso, type Ctx } from '../platform/context.ts';

export const WRONG_CODE_LIMIT = 10;
export const CODE_LOCK_MS = 15 * 60_000;

const wrongCodes = new FailureThrottle('second_factor_user', WRONG_CODE_LIMIT, CODE_LOCK_MS);

/** Makes sure the user has a row of second-factor state (created on first use). */
export async function ensureSecondFactorState(ctx: Ctx, userId: number): Promise<void> {
  await ctx.db
    .insertInto('second_factor_state')
    .values({ user_id: userId, last_totp_step: null, locked_until: null })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

/** Milliseconds the user's code step stays locked; 0 when it is open. */
export async function codeStepLockedForMs(ctx: Ctx, userId: number): Promise<number> {
  const row = await ctx.db.selectFrom('second_factor_state').select('locked_until').where('user_id', '=', userId).executeTakeFirst();
  if (!row?.locked_until) return 0;
  return Math.max(0, new Date(row.locked_until).getTime() - new Date(nowIso(ctx)).getTime());
}

/** Counts a code attempt of the user before it is judged; refused when a burst went past the limit. */
export function codeAttempt(ctx: Ctx, userId: number): Promise<Attempt> {
  return wrongCodes.attempt(ctx.db, String(userId));
}

/**
 * After a wrong code: locks the code step when this was the limit's failure, and then (once, however
 * many processes saw it) audits the lock and tells the user. Returns how long the lock lasts, or 0.
 */
export async function afterWrongCode(ctx: Ctx, userId: number, attempt: Attempt): Promise<number> {
  if ((attempt.failures ?? 0) < WRONG_CODE_LIMIT) return 0;
  const now = nowIso(ctx);
  const until = new Date(new Date(now).getTime() + CODE_LOCK_MS).toISOString();
  await ensureSecondFactorState(ctx, userId);
  const locked = await ctx.db
    .updateTable('second_factor_state')
    .set({ locked_until: until })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) === 0) return codeStepLockedForMs(ctx, userId);
  await recordAudit(ctx, {
    action: 'user.second_factor_locked',
    outcome: 'failure',
    entityType: 'user',
    entityId: userId,
    details: { wrongCodes: attempt.failures, lockedUntil: until },
  });
  await notifyAccountHolder(
    ctx,
    userId,
    'second_factor_locked',
    `${WRONG_CODE_LIMIT} wrong two-factor codes were entered for your account; signing in is paused for ${CODE_LOCK_MS / 60_000} minutes. If that was not you, change your password.`,
  );
  return CODE_LOCK_MS;
}
