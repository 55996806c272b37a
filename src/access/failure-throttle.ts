/**
 * Slows down guessing: after `limit` failures for one subject (an address, an account) within
 * `windowMs`, that subject is refused (HTTP 429) until the window has passed. Attempts are kept in the
 * database, so every server process and every app server counts the same ones; a success does not
 * reset the count.
 *
 * An attempt is written before it is judged and counted with every other attempt in flight, so a burst
 * of parallel guesses cannot all slip through before the first failure is recorded: the first `limit`
 * go ahead, the rest are refused. A success takes its attempt back; a refused attempt does not count.
 */
import type { DbOrTrx } from '../database.ts';

export interface Attempt {
  /** 0 when the attempt may go ahead; else milliseconds until the subject may try again. */
  refusedForMs: number;
  /** Attempts of the subject in the window, this one included (when it may go ahead). */
  failures?: number;
  /** The attempt succeeded: it no longer counts. */
  succeeded(): Promise<void>;
}

/** Writes an attempt before it is judged; `forget` takes it back (a success, or a refused attempt). */
async function recordAttempt(db: DbOrTrx, scope: string, subject: string, at: number) {
  const key = subject.slice(0, 300);
  const { id } = await db
    .insertInto('auth_failures')
    .values({ scope, subject: key, created_at: new Date(at).toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const forget = async () => {
    await db.deleteFrom('auth_failures').where('id', '=', id).execute();
  };
  return { id, key, forget };
}

export class FailureThrottle {
  constructor(
    /** What fails: 'sign_in_address', 'api_key', … (failures of different kinds never add up). */
    private readonly scope: string,
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt and says whether it may go ahead; a failed one stays counted. */
  async attempt(db: DbOrTrx, subject: string): Promise<Attempt> {
    const at = this.now();
    const { id, key, forget } = await recordAttempt(db, this.scope, subject, at);
    const recent = await db
      .selectFrom('auth_failures')
      .select(['id', 'created_at'])
      .where('scope', '=', this.scope)
      .where('subject', '=', key)
      .where('created_at', '>', new Date(at - this.windowMs).toISOString())
      .where('id', '<=', id)
      .orderBy('id', 'desc')
      .limit(this.limit + 1)
      .execute();
    // Now and then, attempts that no window looks at any more are let go.
    if (Math.random() < 0.02)
      await db
        .deleteFrom('auth_failures')
        .where('created_at', '<', new Date(at - 24 * 60 * 60_000).toISOString())
        .execute();
    if (recent.length <= this.limit) return { refusedForMs: 0, failures: recent.length, succeeded: forget };
    await forget();
    // Free again once the oldest of the `limit` attempts before this one leaves the window.
    const until = Date.parse(recent[this.limit]!.created_at) + this.windowMs;
    return { refusedForMs: Math.max(1, until - at), succeeded: async () => {} };
  }
}

/**
 * Slows down guessing without locking anyone out for long: a subject (an account at an address, an
 * API key's prefix) has `free` failures within `windowMs`; after that each further failure must wait
 * `firstDelayMs` after the one before, twice as long each time, up to `maxDelayMs`. Attempts are kept
 * and counted like FailureThrottle's (written before they are judged, so a burst cannot slip through;
 * a refused attempt does not count; a success takes its attempt back).
 */
export class GrowingDelay {
  constructor(
    private readonly scope: string,
    private readonly free: number,
    private readonly firstDelayMs: number,
    private readonly maxDelayMs: number,
    private readonly windowMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async attempt(db: DbOrTrx, subject: string): Promise<Attempt> {
    const at = this.now();
    const { id, key, forget } = await recordAttempt(db, this.scope, subject, at);
    const before = await db
      .selectFrom('auth_failures')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('created_at').as('last')])
      .where('scope', '=', this.scope)
      .where('subject', '=', key)
      .where('created_at', '>', new Date(at - this.windowMs).toISOString())
      .where('id', '<', id)
      .executeTakeFirstOrThrow();
    const n = Number(before.n);
    if (n < this.free || before.last === null) return { refusedForMs: 0, failures: n + 1, succeeded: forget };
    const delay = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** Math.min(n - this.free, 30));
    const until = new Date(before.last as string | Date).getTime() + delay;
    if (at >= until) return { refusedForMs: 0, failures: n + 1, succeeded: forget };
    await forget();
    return { refusedForMs: until - at, succeeded: async () => {} };
  }
}
