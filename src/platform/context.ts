import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../database.ts';
import type { DatabaseKind } from './config.ts';
import type { Principal } from './principal.ts';
import { isRetryableTransactionError } from './db/db-errors.ts';

export type Source = 'web' | 'api' | 'import' | 'cli' | 'system' | 'transfer';

export type Actor =
  | { type: 'user'; userId: number; name: string }
  | { type: 'api_key'; apiKeyId: number; userId: number; name: string }
  | { type: 'system'; name: string };

/**
 * Who is acting, from where, and on which database handle. Every service call takes one; inside a
 * transaction `db` is the transaction, so everything the call writes commits or rolls back together.
 */
export interface Ctx {
  db: DbOrTrx;
  dialect: DatabaseKind;
  actor: Actor;
  /**
   * The user the call acts for (a signed-in user, or an API key's user). Services that guard their
   * records check it themselves, so no entry point can skip it: the web pages and both APIs set it. Null
   * is the system acting for itself (CLI commands, jobs, migrations, demo data), which may do anything;
   * the field is required so that every new entry point has to say which it is.
   */
  principal: Principal | null;
  source: Source;
  ip?: string | null;
  reason?: string | null;
  /** Shared by every event of one bulk action. */
  correlationId?: string | null;
  /** The clock, replaceable in tests. */
  now?: () => Date;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', name: 'Steward' };

export function nowIso(ctx: Pick<Ctx, 'now'>): string {
  return (ctx.now ? ctx.now() : new Date()).toISOString();
}

export function newCorrelationId(): string {
  return randomUUID();
}

/** How many times a transaction runs before a retryable failure is given up on. */
const TRANSACTION_ATTEMPTS = 6;

/**
 * Runs fn in a transaction, or inside the caller's transaction when there already is one. An
 * outermost transaction that fails in a way that passes by itself (a PostgreSQL serialization failure
 * or deadlock, a row changed by a concurrent writer between its read and its write) runs again from
 * the start, a few times, so a write that only sets given values is not lost to a race.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
    } catch (error) {
      if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/** For a bulk action: the same context with one correlation id for all its events. */
export function withCorrelation(ctx: Ctx, correlationId: string = newCorrelationId()): Ctx {
  return { ...ctx, correlationId };
}
