// Asset import from CSV. Every row gets a verdict: create, update (naming the fields that change),
// unchanged, or rejected with the column and the reason. The file is first checked, writing nothing
// and holding no lock (a dry run, the preview, stops there); then, unless a row is rejected, written
// in one transaction, all-or-nothing unless the caller asks for the valid rows only (see
// runImportPasses). Rows are read, checked and written a batch at a time, so a file of any size takes
// constant memory (the report keeps only as many verdicts as asked; the caller can stream them all
// through `onRow`).
import { authorize, type Principal } from '../access/access.ts';
import { newCorrelationId, type Ctx } from '../platform/context.ts';
import { IssueList, ValidationError } from '../platform/errors.ts';
import { requireActiveClient } from '../platform/record-rules.ts';
import type { CsvRecord } from '../csv/csv-reader.ts';
import { clipText } from './clip.ts';
import { AssetImportBatch } from './asset-import.batch.ts';
import { openRecords, runImportPasses, startImportRecord, type ImportPhase, type ImportSource } from './import-record.ts';
import { mapHeadings, useColumns, type HeadingMap } from './import-headings.ts';
import { RejectedRowsFile } from './rejected-rows.ts';
import type { AssetImportOptions, ImportReport, RowVerdict } from './asset-import.types.ts';

export {
  DEFAULT_MISSING,
  MATCH_MODES,
  MISSING_MODES,
  REFERENCE_COLUMN_NAMES,
  type CreatedCounts,
  type MissingMode,
  type MissingModes,
  type ReferenceColumn,
  type AssetImportOptions,
  type ImportReport,
  type MatchMode,
  type RowVerdict,
  type VerdictCounts,
} from './asset-import.types.ts';

/** Rows checked and written together, up to this many characters (a line may be 1 MB). */
const BATCH_ROWS = 2_000;
const BATCH_CHARS = 8 * 1024 * 1024;

export async function importAssets(ctx: Ctx, principal: Principal, source: ImportSource, options: AssetImportOptions): Promise<ImportReport> {
  authorize(principal, 'support', 2);
  if (options.clientId !== null) authorize(principal, 'support', 2, { clientId: options.clientId, entity: 'client', id: options.clientId });
  const importId = options.importId ?? newCorrelationId();
  const { result, committed } = await runImportPasses(ctx, importId, { ...options, kind: 'assets' }, (pctx, phase) =>
    importPass(pctx, principal, source, options, importId, phase),
  );
  return { ...result, committed, dryRun: !!options.dryRun };
}

/** One pass over the file: checking every row (and writing nothing), or writing as well. */
async function importPass(
  ctx: Ctx,
  principal: Principal,
  source: ImportSource,
  options: AssetImportOptions,
  importId: string,
  phase: ImportPhase,
): Promise<ImportReport> {
  // createAsset's rule, checked again by the write pass in its transaction: the client may have gone meanwhile.
  if (options.clientId !== null) {
    const issues = new IssueList();
    await requireActiveClient(ctx, issues, options.clientId, 'client');
    issues.throwIfAny();
  }
  const records = openRecords(source, ctx.db);
  const header = await records.next();
  if (header.done) throw new ValidationError([{ field: 'file', code: 'empty', message: 'the file is empty: it has no heading row' }]);
  const headings = options.columns ? useColumns(header.value.cells, options.columns) : mapHeadings(header.value.cells);
  checkHeadings(headings, options);
  if (phase === 'check') options.onHeadings?.(headings);

  const report: ImportReport = {
    importId,
    headings,
    rows: [],
    counts: { create: 0, update: 0, unchanged: 0, rejected: 0 },
    committed: false,
    dryRun: !!options.dryRun,
  };
  const keep = options.keepRows ?? Infinity;
  let seen = 0;
  const rejected = phase === 'write' && options.rejectedFile ? new RejectedRowsFile(ctx.db, options.rejectedFile, headings.headings) : null;
  const emit = async (verdict: RowVerdict, cells: string[]) => {
    report.counts[verdict.verdict]++;
    if (report.rows.length < keep) report.rows.push(verdict);
    // The verdicts people see are the check's; the write pass confirms them (and keeps its rejected rows).
    if (phase === 'check') options.onRow?.(verdict, cells);
    else if (verdict.verdict === 'rejected') await rejected?.add(verdict, cells);
    options.onProgress?.(phase, ++seen);
  };
  if (phase === 'write') {
    // Written first: on SQLite the import already holds the write lock, so no id it hands out can clash.
    await startImportRecord(ctx, principal, importId, {
      kind: 'assets',
      clientId: options.clientId,
      assetId: null,
      file: options.file,
      options: { match: options.match, validOnly: !!options.validOnly, columns: options.columns ?? null, missing: options.missing ?? null },
    });
  }
  const batch = new AssetImportBatch(ctx, principal, headings, { ...options, dryRun: phase === 'check' }, importId);
  let pending: CsvRecord[] = [];
  let chars = 0;
  for await (const record of records) {
    pending.push(record);
    for (const cell of record.cells) chars += cell.length;
    if (pending.length === BATCH_ROWS || chars >= BATCH_CHARS) {
      await batch.run(pending, emit);
      pending = [];
      chars = 0;
    }
  }
  await batch.run(pending, emit);
  await rejected?.finish();
  report.created = batch.lookups.created;
  return report;
}

function checkHeadings(headings: HeadingMap, options: AssetImportOptions): void {
  const listed = clipText(headings.headings.map((h) => clipText(h, 40)).join(', '), 400) || '(none)';
  if (!headings.columns.includes('name')) {
    throw new ValidationError([{ field: 'file', code: 'no_name', message: `no column holds the asset's name; the headings are: ${listed}` }]);
  }
  if (options.clientId === null && !headings.columns.includes('client')) {
    throw new ValidationError([{ field: 'file', code: 'no_client', message: "importing into several clients needs a Client column naming each row's client" }]);
  }
}
