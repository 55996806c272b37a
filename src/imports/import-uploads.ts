// Files uploaded for import: parsed as they arrive into their records (see import-rows.ts), kept in the
// database between the steps of the web flow (upload → mapping → preview → commit → summary), so each
// step may land on any server; each has its `imports` record. Only the user who uploaded a file (or an
// admin) may see it, and only while they may still see its client. An upload nobody imports expires
// after a day, and a user's uploads waiting to be imported may take MAX_WAITING_BYTES in all.
import type { Readable } from 'node:stream';
import { canSeeClient, type Principal } from '../access/access.ts';
import { CsvError, readCsv, type CsvDialect } from '../csv/csv-reader.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { removeStoredFile } from '../platform/files/stored-files.ts';
import type { DbOrTrx } from '../database.ts';
import {
  importAssets,
  MISSING_MODES,
  REFERENCE_COLUMN_NAMES,
  type CreatedCounts,
  type ImportReport,
  type MatchMode,
  type MissingModes,
  type RowVerdict,
} from './asset-import.ts';
import { EXISTING_MODES, importRecords, type ExistingMode } from './record-import.ts';
import { isImportField, type ImportField } from './import-headings.ts';
import type { ImportTable } from './import.table.ts';
import { importInterfaces } from './interface-import.ts';
import { firstImportRows, ImportRowsWriter, readImportRows, removeImportRows } from './import-rows.ts';

/** A quarter of a gigabyte: about a million rows in ITFlow's layout. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** What one user's uploads waiting to be imported may take in all. */
export const MAX_WAITING_BYTES = 1024 * 1024 * 1024;
/** How long an upload waits for its import. */
export const UPLOAD_EXPIRES_MS = 24 * 60 * 60 * 1000;

export interface UploadedImport {
  id: string;
  kind: ImportTable['kind'];
  userId: number | null;
  clientId: number | null;
  assetId: number | null;
  fileName: string;
  fileSize: number;
  status: ImportTable['status'];
  options: {
    match: MatchMode;
    validOnly: boolean;
    columns: Array<ImportField | null> | null;
    /** Asset imports: per reference column, what a name the client lacks does (absent: create it). */
    missing?: Partial<MissingModes>;
    /** Location and contact imports: what a row naming an existing record does. */
    existing?: ExistingMode;
  };
  summary: (Record<RowVerdict['verdict'], number> & { created?: CreatedCounts }) | null;
  createdAt: string;
  committedAt: string | null;
  /** The encoding the file was read in. */
  encoding: string | null;
}

/** The stored file of an upload, and of the rows its import rejected. */
export const UPLOAD_PURPOSE = 'import_upload';
export const REJECTED_PURPOSE = 'import_rejected';
export const uploadFileId = (importId: string) => importId;
export const rejectedFileId = (importId: string) => `${importId}.rejected`;

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export async function findImport(ctx: Ctx, principal: Principal, id: string): Promise<UploadedImport | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const row = await ctx.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  // Still arriving, or uploaded before uploads were parsed at arrival (nothing to read: upload it again).
  if (!row || row.status === 'receiving' || (row.status === 'uploaded' && row.encoding === null)) return null;
  if (row.user_id !== principal.userId && !principal.isAdmin) return null;
  if (row.client_id !== null && !canSeeClient(principal, row.client_id)) return null;
  const options = (json(row.options) ?? {}) as Partial<UploadedImport['options']>;
  return {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    clientId: row.client_id,
    assetId: row.asset_id,
    fileName: row.file_name,
    fileSize: Number(row.file_size),
    status: row.status,
    summary: (json(row.summary) ?? null) as UploadedImport['summary'],
    createdAt: row.created_at,
    committedAt: row.committed_at,
    encoding: row.encoding,
    options: {
      match: options.match ?? 'name',
      validOnly: options.validOnly ?? false,
      columns: Array.isArray(options.columns) ? options.columns.map((c) => (typeof c === 'string' && isImportField(c) ? c : null)) : null,
      missing: Object.fromEntries(
        REFERENCE_COLUMN_NAMES.flatMap((c) => (MISSING_MODES.includes(options.missing?.[c] as never) ? [[c, options.missing![c]]] : [])),
      ),
      existing: EXISTING_MODES.includes(options.existing as never) ? options.existing : 'skip',
    },
  };
}

/** Why an upload is refused: the message says what to do. */
export class UploadRefused extends Error {}

export interface IncomingUpload {
  id: string;
  kind: ImportTable['kind'];
  clientId: number | null;
  assetId: number | null;
  fileName: string;
}

/**
 * Receives an uploaded file: reads it as it arrives, keeping its records for the next steps, within the
 * size limit and the user's quota. Throws UploadRefused (having kept nothing) when the file cannot be
 * taken; the caller shows the message.
 */
export async function receiveUpload(ctx: Ctx, principal: Principal, upload: IncomingUpload, file: Readable & { truncated?: boolean }): Promise<void> {
  const now = Date.parse(nowIso(ctx));
  const waiting = await waitingBytes(ctx.db, principal.userId, new Date(now - UPLOAD_EXPIRES_MS).toISOString());
  const room = Math.min(MAX_UPLOAD_BYTES, MAX_WAITING_BYTES - waiting);
  const overQuota = () =>
    new UploadRefused(
      `Your uploads waiting to be imported would take more than ${mb(MAX_WAITING_BYTES)} (${mb(waiting)} already wait): import them, or wait a day for the ones you left to expire, or import this file with the command line (npx steward import assets).`,
    );
  if (room <= 0) throw overQuota();
  // Recorded first, so that an upload cut short (the process stopped) expires like any other.
  await ctx.db
    .insertInto('imports')
    .values({
      id: upload.id,
      kind: upload.kind,
      user_id: principal.userId,
      client_id: upload.clientId,
      asset_id: upload.assetId,
      file_name: upload.fileName.slice(0, 255),
      file_size: 0,
      status: 'receiving',
      options: null,
      summary: null,
      created_at: new Date(now).toISOString(),
      committed_at: null,
      encoding: null,
    })
    .execute();
  let size = 0;
  // The size so far goes in the record as rows are written: other uploads of the user count it.
  const rows = new ImportRowsWriter(ctx.db, upload.id, async () => {
    await ctx.db.updateTable('imports').set({ file_size: size }).where('id', '=', upload.id).execute();
  });
  const bytes = async function* () {
    // Left undestroyed when refused, so the rest of the request can still be read (and dropped).
    for await (const chunk of file.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      if (size === 0 && chunk.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
        throw new UploadRefused('This is a workbook (.xlsx), not a CSV file: in Excel, use Save As → "CSV UTF-8 (Comma delimited)" and upload that.');
      }
      size += chunk.length;
      if (size > room) throw room < MAX_UPLOAD_BYTES ? overQuota() : tooLarge();
      yield chunk;
    }
    if (file.truncated) throw tooLarge();
  };
  const dialect: CsvDialect = { encoding: 'UTF-8', delimiter: ',' };
  try {
    for await (const record of readCsv(bytes(), dialect)) {
      if (rows.count === 0 && !record.cells.some((c) => c.trim() !== ''))
        throw new UploadRefused('The first line of the file should hold the column headings.');
      await rows.add(record);
    }
    await rows.flush();
    if (rows.count === 0) throw new UploadRefused('The file is empty.');
  } catch (error) {
    await forgetUpload(ctx.db, upload.id);
    // Only the file's own faults are the user's to fix; anything else (the database) is a server error.
    if (error instanceof CsvError) throw new UploadRefused(`The file is not readable as CSV: ${error.message}.`);
    throw error;
  }
  await ctx.db.updateTable('imports').set({ status: 'uploaded', file_size: size, encoding: dialect.encoding }).where('id', '=', upload.id).execute();
}

const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const tooLarge = () =>
  new UploadRefused(`The file is larger than ${mb(MAX_UPLOAD_BYTES)}; split it, or import it with the command line (npx steward import assets).`);

/** Bytes of the user's uploads that have neither been imported nor expired. */
async function waitingBytes(db: DbOrTrx, userId: number, since: string): Promise<number> {
  const row = await db
    .selectFrom('imports')
    .select((eb) => eb.fn.sum<number | string | null>('file_size').as('bytes'))
    .where('user_id', '=', userId)
    .where('status', '<>', 'committed')
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

/** An upload that will not be imported: its record, its rows and any file kept for it. */
async function forgetUpload(db: DbOrTrx, id: string): Promise<void> {
  await removeImportRows(db, id);
  await removeStoredFile(db, uploadFileId(id));
  await removeStoredFile(db, rejectedFileId(id));
  await db.deleteFrom('imports').where('id', '=', id).where('status', '<>', 'committed').execute();
}

/** After a commit the upload's records are no longer needed. */
export async function releaseUpload(db: DbOrTrx, id: string): Promise<void> {
  await removeImportRows(db, id);
  await removeStoredFile(db, uploadFileId(id));
}

/**
 * The daily purge: uploads never imported and older than `before` go, with their records; so do rows
 * an import left behind after its commit. Returns how many uploads went.
 */
export async function purgeAbandonedUploads(db: DbOrTrx, before: string): Promise<number> {
  const abandoned = await db.selectFrom('imports').select('id').where('status', '<>', 'committed').where('created_at', '<', before).execute();
  for (const { id } of abandoned) await forgetUpload(db, id);
  await db
    .deleteFrom('import_rows')
    .where('import_id', 'in', (eb) => eb.selectFrom('imports').select('id').where('status', '=', 'committed'))
    .execute();
  return abandoned.length;
}

export async function saveOptions(ctx: Ctx, id: string, options: UploadedImport['options']): Promise<void> {
  await ctx.db
    .updateTable('imports')
    .set({ options: JSON.stringify(options) })
    .where('id', '=', id)
    .where('status', '=', 'uploaded')
    .execute();
}

/** The heading row and the first few rows, for the mapping screen. */
export async function sampleRows(ctx: Ctx, importId: string, count: number): Promise<{ headings: string[]; rows: string[][] }> {
  const records = await firstImportRows(ctx.db, importId, count);
  return { headings: records[0]?.cells ?? [], rows: records.slice(1).map((r) => r.cells) };
}

/** Runs the upload's import with its saved options: a preview (dry run) or the real thing. */
export async function runUpload(
  ctx: Ctx,
  principal: Principal,
  upload: UploadedImport,
  run: {
    dryRun: boolean;
    keepRows?: number;
    onRow?: (verdict: RowVerdict, cells: string[]) => void;
    onHeadings?: Parameters<typeof importAssets>[3]['onHeadings'];
  },
): Promise<ImportReport> {
  // Read on the pass's own connection (the write pass's transaction), never a second one.
  const source = { records: (db: DbOrTrx) => readImportRows(db, upload.id) };
  const file = { name: upload.fileName, size: upload.fileSize };
  // A commit keeps the rows it rejected for the summary's download, in its own transaction.
  const rejectedFile = run.dryRun ? undefined : { id: rejectedFileId(upload.id), purpose: REJECTED_PURPOSE, name: `${upload.fileName}.rejected.csv` };
  if (upload.kind === 'locations' || upload.kind === 'contacts') {
    return importRecords(ctx, principal, upload.kind, source, {
      clientId: upload.clientId!,
      existing: upload.options.existing,
      validOnly: upload.options.validOnly,
      dryRun: run.dryRun,
      importId: upload.id,
      file,
      keepRows: run.keepRows,
      onRow: run.onRow,
      onHeadings: run.onHeadings,
      rejectedFile,
    });
  }
  if (upload.kind === 'interfaces') {
    return importInterfaces(ctx, principal, upload.assetId!, source, {
      dryRun: run.dryRun,
      validOnly: upload.options.validOnly,
      importId: upload.id,
      file,
      onRow: run.onRow,
      onHeadings: run.onHeadings,
      rejectedFile,
    });
  }
  return importAssets(ctx, principal, source, {
    clientId: upload.clientId,
    match: upload.options.match,
    missing: upload.options.missing,
    validOnly: upload.options.validOnly,
    dryRun: run.dryRun,
    importId: upload.id,
    file,
    ...(upload.options.columns ? { columns: upload.options.columns } : {}),
    keepRows: run.keepRows,
    onRow: run.onRow,
    onHeadings: run.onHeadings,
    rejectedFile,
  });
}
