// Slowing down password guessing without letting a guesser lock anyone out (issue 13). Failures are
// counted in the database (every process and server sees the same ones) three ways:
// - per account at an address: growing delays (after 10), the brake on guessing one account from one place;
// - per address: a ceiling on guessing many accounts from one place;
// - per account: a ceiling on guessing one account from many places.
// The last two never refuse an account at an address it has signed in from before (a "known
// address"): its owner's right password still works there while someone elsewhere, or sharing the
// address, guesses.
import { FailureThrottle, GrowingDelay, type Attempt } from '../access/failure-throttle.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { plural } from '../web/plural.ts';

// Ten free: every attempt counts while it is being checked, so several browsers of one office signing
// in to one account at once are not taken for a guesser.
const byAccountAtAddress = new GrowingDelay('sign_in_account_address', 10, 15_000, 15 * 60_000);
const byAddress = new FailureThrottle('sign_in_address', 10, 5 * 60_000);
const byAccount = new GrowingDelay('sign_in_account', 20, 15_000, 15 * 60_000);

/** Whether the user has signed in from this address before. */
export async function isKnownAddress(ctx: Ctx, userId: number, address: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('sign_in_addresses')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('address', '=', address.slice(0, 100))
    .executeTakeFirst();
  return Boolean(row);
}

/** Notes a completed sign-in (password, and code where asked) from an address. */
export async function rememberSignInAddress(ctx: Ctx, userId: number, address: string): Promise<void> {
  const at = nowIso(ctx);
  await ctx.db
    .insertInto('sign_in_addresses')
    .values({ user_id: userId, address: address.slice(0, 100), last_signed_in_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'address']).doUpdateSet({ last_signed_in_at: at }))
    .execute();
}

/**
 * Records a password attempt for an email (and its user, if there is one) from an address; says how
 * long it must wait, if it must. The caller reports a right password with `succeeded`.
 */
export async function guardPasswordAttempt(ctx: Ctx, email: string, userId: number | null, address: string): Promise<Attempt> {
  const known = userId !== null && (await isKnownAddress(ctx, userId, address));
  const pair = await byAccountAtAddress.attempt(ctx.db, `${email} ${address}`);
  const wide = [await byAddress.attempt(ctx.db, address), await byAccount.attempt(ctx.db, email)];
  const all = [pair, ...wide];
  const wait = Math.max(pair.refusedForMs, ...(known ? [] : wide.map((a) => a.refusedForMs)));
  const takeBack = async () => {
    for (const a of all) await a.succeeded();
  };
  if (wait > 0) {
    await takeBack();
    return { refusedForMs: wait, succeeded: async () => {} };
  }
  return { refusedForMs: 0, succeeded: takeBack };
}

/** "15 seconds", "3 minutes": how long a refused sign-in must wait, for the page. */
export function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return plural(seconds, 'second');
  return `${Math.ceil(seconds / 60)} minutes`;
}
