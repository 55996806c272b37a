// Bulk writes (docs/api-v2.md, "Bulk"): up to 1,000 items in one request, all-or-nothing by default
// (one transaction, each item under a savepoint so every failing item is reported, then everything
// rolled back), or item by item with ?atomic=false. One correlation id for all the request's events.
import { sql } from 'kysely';
import { inTransaction, withCorrelation, type Ctx } from '../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { PreconditionFailedError } from './v2.etag.ts';
import { snakeFieldPath } from './v2.names.ts';

export const MAX_BULK = 1000;

export interface ItemResult {
  index: number;
  status: number;
  id?: number;
  record?: unknown;
  detail?: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

/** A domain error as one item's result; anything else (a database failure) is not an item's fault. */
export function itemFailure(index: number, error: unknown): ItemResult | null {
  const at = (field: string) => `[${index}].${snakeFieldPath(field)}`;
  if (error instanceof ValidationError)
    return { index, status: 422, detail: error.message, errors: error.issues.map((i) => ({ field: at(i.field), code: i.code, message: i.message })) };
  if (error instanceof NotFoundError) return { index, status: 404, detail: error.message };
  if (error instanceof ForbiddenError) return { index, status: 403, detail: error.message };
  if (error instanceof PreconditionFailedError) return { index, status: 412, detail: error.message };
  if (error instanceof ConflictError) return { index, status: 409, detail: error.message };
  return null;
}

/** Raised when an all-or-nothing request had failing items: nothing was written. */
export class BulkRejectedError extends Error {
  constructor(readonly items: ItemResult[]) {
    super(`${items.length} of the items failed; nothing was written`);
  }
}

export async function runBulk<T>(
  ctx: Ctx,
  items: T[],
  atomic: boolean,
  apply: (ctx: Ctx, item: T, index: number) => Promise<ItemResult>,
): Promise<ItemResult[]> {
  const shared = withCorrelation(ctx);
  if (!atomic) {
    const results: ItemResult[] = [];
    for (const [index, item] of items.entries()) {
      try {
        results.push(await inTransaction(shared, (trx) => apply(trx, item, index)));
      } catch (error) {
        const failure = itemFailure(index, error);
        if (!failure) throw error;
        results.push(failure);
      }
    }
    return results;
  }
  return inTransaction(shared, async (trx) => {
    const results: ItemResult[] = [];
    const failures: ItemResult[] = [];
    for (const [index, item] of items.entries()) {
      await sql`savepoint bulk_item`.execute(trx.db);
      try {
        results.push(await apply(trx, item, index));
        await sql`release savepoint bulk_item`.execute(trx.db);
      } catch (error) {
        await sql`rollback to savepoint bulk_item`.execute(trx.db);
        await sql`release savepoint bulk_item`.execute(trx.db);
        const failure = itemFailure(index, error);
        if (!failure) throw error;
        failures.push(failure);
      }
    }
    if (failures.length) throw new BulkRejectedError(failures);
    return results;
  });
}
