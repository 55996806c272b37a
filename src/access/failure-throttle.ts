/**
 * Slows down guessing: after `limit` failures for one subject (an address, an account) within
 * `windowMs`, that subject is refused (HTTP 429) until the window has passed. Failures are kept in the
 * database, so every server process and every app server counts the same ones; a success does not
 * reset the count.
 */
import type { DbOrTrx } from '../database.ts';

export class FailureThrottle {
  constructor(
    /** What fails: 'sign_in_address', 'api_key', … (failures of different kinds never add up). */
    private readonly scope: string,
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this subject may try again, or 0 if it may now. */
  async retryAfter(db: DbOrTrx, subject: string): Promise<number> {
    const since = new Date(this.now() - this.windowMs).toISOString();
    const recent = await db
      .selectFrom('auth_failures')
      .select('created_at')
      .where('scope', '=', this.scope)
      .where('subject', '=', subject.slice(0, 300))
      .where('created_at', '>', since)
      .orderBy('created_at', 'desc')
      .limit(this.limit)
      .execute();
    if (recent.length < this.limit) return 0;
    const oldest = Date.parse(recent[recent.length - 1]!.created_at);
    return Math.max(0, oldest + this.windowMs - this.now());
  }

  async recordFailure(db: DbOrTrx, subject: string): Promise<void> {
    const at = this.now();
    await db.insertInto('auth_failures').values({ scope: this.scope, subject: subject.slice(0, 300), created_at: new Date(at).toISOString() }).execute();
    // Now and then, failures that no window looks at any more are let go.
    if (Math.random() < 0.02) {
      await db.deleteFrom('auth_failures').where('created_at', '<', new Date(at - 24 * 60 * 60_000).toISOString()).execute();
    }
  }
}
