// Files uploaded for import, kept in the database between the steps of the web flow (upload → mapping
// → preview → commit → summary), so each step may land on any server; each has its `imports` record.
// Only the user who uploaded a file (or an admin) may see it, and only while they may still see its
// client.
import { canSeeClient, type Principal } from '../access/access.ts';
import { readCsv } from '../csv/csv-reader.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { readStoredFile } from '../platform/files/stored-files.ts';
import type { DbOrTrx } from '../database.ts';
import { importAssets, type ImportReport, type MatchMode, type RowVerdict } from './asset-import.ts';
import { isImportField, type ImportField } from './import-headings.ts';
import type { ImportTable } from './import.table.ts';
import { importInterfaces } from './interface-import.ts';

/** A quarter of a gigabyte: about a million rows in ITFlow's layout. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export interface UploadedImport {
  id: string;
  kind: ImportTable['kind'];
  userId: number | null;
  clientId: number | null;
  assetId: number | null;
  fileName: string;
  fileSize: number;
  status: ImportTable['status'];
  options: { match: MatchMode; validOnly: boolean; columns: Array<ImportField | null> | null };
  summary: Record<RowVerdict['verdict'], number> | null;
  createdAt: string;
  committedAt: string | null;
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
  if (!row) return null;
  if (row.user_id !== principal.userId && !principal.isAdmin) return null;
  if (row.client_id !== null && !canSeeClient(principal, row.client_id)) return null;
  const options = (json(row.options) ?? {}) as Partial<UploadedImport['options']>;
  return {
    id: row.id, kind: row.kind, userId: row.user_id, clientId: row.client_id, assetId: row.asset_id, fileName: row.file_name, fileSize: Number(row.file_size),
    status: row.status, summary: (json(row.summary) ?? null) as UploadedImport['summary'], createdAt: row.created_at, committedAt: row.committed_at,
    options: {
      match: options.match ?? 'name',
      validOnly: options.validOnly ?? false,
      columns: Array.isArray(options.columns) ? options.columns.map((c) => (typeof c === 'string' && isImportField(c) ? c : null)) : null,
    },
  };
}

export async function recordUpload(ctx: Ctx, principal: Principal, upload: { id: string; kind: ImportTable['kind']; clientId: number | null; assetId: number | null; fileName: string; fileSize: number }): Promise<void> {
  await ctx.db.insertInto('imports').values({
    id: upload.id, kind: upload.kind, user_id: principal.userId, client_id: upload.clientId, asset_id: upload.assetId,
    file_name: upload.fileName.slice(0, 255), file_size: upload.fileSize, status: 'uploaded', options: null, summary: null, created_at: nowIso(ctx), committed_at: null,
  }).execute();
}

export async function saveOptions(ctx: Ctx, id: string, options: UploadedImport['options']): Promise<void> {
  await ctx.db.updateTable('imports').set({ options: JSON.stringify(options) }).where('id', '=', id).where('status', '=', 'uploaded').execute();
}

/** The heading row and the first few rows, for the mapping screen. */
export async function sampleRows(ctx: Ctx, importId: string, count: number): Promise<{ headings: string[]; rows: string[][] }> {
  const out: string[][] = [];
  for await (const record of readCsv(readStoredFile(ctx.db, uploadFileId(importId)))) {
    out.push(record.cells);
    if (out.length > count) break;
  }
  return { headings: out[0] ?? [], rows: out.slice(1) };
}

/** Runs the upload's import with its saved options: a preview (dry run) or the real thing. */
export async function runUpload(
  ctx: Ctx, principal: Principal, upload: UploadedImport,
  run: { dryRun: boolean; keepRows?: number; onRow?: (verdict: RowVerdict, cells: string[]) => void; onHeadings?: Parameters<typeof importAssets>[3]['onHeadings'] },
): Promise<ImportReport> {
  // Read on the pass's own connection (the write pass's transaction), never a second one.
  const source = (db: DbOrTrx) => readStoredFile(db, uploadFileId(upload.id));
  const file = { name: upload.fileName, size: upload.fileSize };
  // A commit keeps the rows it rejected for the summary's download, in its own transaction.
  const rejectedFile = run.dryRun ? undefined : { id: rejectedFileId(upload.id), purpose: REJECTED_PURPOSE, name: `${upload.fileName}.rejected.csv` };
  if (upload.kind === 'interfaces') {
    return importInterfaces(ctx, principal, upload.assetId!, source, { dryRun: run.dryRun, validOnly: upload.options.validOnly, importId: upload.id, file, onRow: run.onRow, onHeadings: run.onHeadings, rejectedFile });
  }
  return importAssets(ctx, principal, source, {
    clientId: upload.clientId, match: upload.options.match, validOnly: upload.options.validOnly, dryRun: run.dryRun, importId: upload.id, file,
    ...(upload.options.columns ? { columns: upload.options.columns } : {}), keepRows: run.keepRows, onRow: run.onRow, onHeadings: run.onHeadings, rejectedFile,
  });
}
