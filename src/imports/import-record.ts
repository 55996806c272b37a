// An import's own record: written when it starts (an upload's record is claimed instead) and completed
// at commit, in the import's transaction, so a rolled-back import leaves no trace of having run.
import type { Principal } from '../access/access.ts';
import { readCsv, type CsvRecord } from '../csv/csv-reader.ts';
import type { DbOrTrx } from '../database.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { importedRows, imports } from '../platform/metrics.ts';
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
  if (await ctx.db.selectFrom('imports').select('id').where('id', '=', id).executeTakeFirst())
    throw new ConflictError('this import has already been committed');
  await ctx.db
    .insertInto('imports')
    .values({
      id,
      kind: start.kind,
      user_id: principal.userId || null,
      client_id: start.clientId,
      asset_id: start.assetId,
      file_name: start.file?.name ?? 'import.csv',
      file_size: start.file?.size ?? 0,
      status: 'uploaded',
      options,
      summary: null,
      created_at: nowIso(ctx),
      committed_at: null,
    })
    .execute();
}

export async function finishImportRecord(ctx: Ctx, id: string, counts: Record<string, number>, created?: Record<string, number>): Promise<void> {
  await ctx.db
    .updateTable('imports')
    .set({ status: 'committed', committed_at: nowIso(ctx), summary: JSON.stringify(created ? { ...counts, created } : counts) })
    .where('id', '=', id)
    .execute();
}

/**
 * The file to import. It is read twice (checked, then written), so a stream comes as a function that
 * opens it afresh, given the database handle of the pass (the write pass's transaction), so a file kept
 * in the database is read on the connection the import already holds. An upload comes as its records,
 * parsed when it arrived.
 */
export type ImportSource =
  | Iterable<string | Buffer>
  | ((db: DbOrTrx) => AsyncIterable<string | Buffer> | Iterable<string | Buffer>)
  | { records: (db: DbOrTrx) => AsyncIterable<CsvRecord> };

/** The records of the source, read afresh for a pass. */
export function openRecords(source: ImportSource, db: DbOrTrx): AsyncGenerator<CsvRecord> {
  if (typeof source === 'function') return readCsv(source(db));
  if ('records' in source)
    return (async function* () {
      yield* source.records(db);
    })();
  return readCsv(source);
}

class RollBack extends Error {}

export type ImportPhase = 'check' | 'write';

/** What one pass over the file found. */
export interface ImportPassResult {
  counts: Record<string, number>;
  /** Records the import created besides its rows (locations, contacts, vendors its rows named). */
  created?: { counts: Record<string, number> };
}

/**
 * Runs an import as the import's source and correlation id, in two passes over the file so that the
 * database's write lock (SQLite) is held only while rows are written, never while a file is read and
 * checked:
 * - the check pass reads and checks every row, outside any transaction, writing nothing; a dry run
 *   (the preview) is this pass alone;
 * - if no row is rejected (or valid rows only were asked for), the write pass runs in one
 *   transaction: it checks every row again (someone may have changed the data meanwhile), writes, and
 *   keeps the work only if still no row is rejected, completing the import's record.
 * Returns the pass that decided, and whether the import was committed.
 */
export async function runImportPasses<R extends ImportPassResult>(
  ctx: Ctx,
  importId: string,
  options: { kind: ImportTable['kind']; dryRun?: boolean; validOnly?: boolean },
  pass: (ctx: Ctx, phase: ImportPhase) => Promise<R>,
): Promise<{ result: R; committed: boolean }> {
  const importCtx: Ctx = { ...ctx, source: 'import', correlationId: importId };
  const checked = await pass(importCtx, 'check');
  if (options.dryRun) {
    imports.inc({ kind: options.kind, outcome: 'previewed' });
    return { result: checked, committed: false };
  }
  if ((checked.counts.rejected ?? 0) > 0 && !options.validOnly) {
    imports.inc({ kind: options.kind, outcome: 'refused' });
    return { result: checked, committed: false };
  }
  let written: R | null = null;
  try {
    await inTransaction(importCtx, async (tctx) => {
      written = await pass(tctx, 'write');
      if ((written.counts.rejected ?? 0) > 0 && !options.validOnly) throw new RollBack();
      await finishImportRecord(tctx, importId, written.counts, written.created?.counts);
    });
    imports.inc({ kind: options.kind, outcome: 'committed' });
    importedRows.inc({ kind: options.kind }, (written!.counts.create ?? 0) + (written!.counts.update ?? 0));
    return { result: written!, committed: true };
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    imports.inc({ kind: options.kind, outcome: 'refused' });
    return { result: written!, committed: false };
  }
}
