// An import's own record: written when it starts (an upload's record is claimed instead) and completed
// at commit, in the import's transaction, so a rolled-back import leaves no trace of having run.
import type { Principal } from '../access/access.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { ConflictError } from '../platform/errors.ts';
import type { ImportTable } from './import.table.ts';

export interface ImportStart {
  kind: ImportTable['kind'];
  clientId: number | null;
  assetId: number | null;
  file?: { name: string; size: number };
  options: Record<string, unknown>;
}

export async function startImportRecord(ctx: Ctx, principal: Principal, id: string, start: ImportStart): Promise<void> {
  const options = JSON.stringify(start.options);
  // An upload is committed once: a second commit (a double click, a second tab) is refused here. On
  // SQLite this first write also takes the write lock before the import hands out any id.
  const claimed = await ctx.db.updateTable('imports').set({ options }).where('id', '=', id).where('status', '=', 'uploaded').executeTakeFirst();
  if (Number(claimed.numUpdatedRows) > 0) return;
  if (await ctx.db.selectFrom('imports').select('id').where('id', '=', id).executeTakeFirst()) throw new ConflictError('this import has already been committed');
  await ctx.db.insertInto('imports').values({
    id, kind: start.kind, user_id: principal.userId || null, client_id: start.clientId, asset_id: start.assetId,
    file_name: start.file?.name ?? 'import.csv', file_size: start.file?.size ?? 0, status: 'uploaded', options, summary: null,
    created_at: nowIso(ctx), committed_at: null,
  }).execute();
}

export async function finishImportRecord(ctx: Ctx, id: string, counts: Record<string, number>): Promise<void> {
  await ctx.db.updateTable('imports').set({ status: 'committed', committed_at: nowIso(ctx), summary: JSON.stringify(counts) }).where('id', '=', id).execute();
}

class RollBack extends Error {}

/**
 * Runs an import's rows in one transaction, as the import's source and correlation id, then keeps the
 * work only if it is not a dry run and no row was rejected (or valid rows only were asked for),
 * completing the import's record. Returns whether it was committed.
 */
export async function inImportTransaction(
  ctx: Ctx, importId: string, options: { dryRun?: boolean; validOnly?: boolean }, counts: Record<string, number>, body: (ctx: Ctx) => Promise<void>,
): Promise<boolean> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const tctx: Ctx = { ...ctx, db: trx, source: 'import', correlationId: importId };
      await body(tctx);
      if (options.dryRun || ((counts.rejected ?? 0) > 0 && !options.validOnly)) throw new RollBack();
      await finishImportRecord(tctx, importId, counts);
    });
    return true;
  } catch (error) {
    if (error instanceof RollBack) return false;
    throw error;
  }
}
