import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../database.ts';
import type { DatabaseKind } from './config.ts';

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

/** Runs fn in a transaction, or inside the caller's transaction when there already is one. */
export async function inTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

/** For a bulk action: the same context with one correlation id for all its events. */
export function withCorrelation(ctx: Ctx, correlationId: string = newCorrelationId()): Ctx {
  return { ...ctx, correlationId };
}
