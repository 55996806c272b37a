// The upload → mapping → preview → commit flow as a service, for the entry points that are not the web
// pages' forms (API v2): where an upload may go, the options it is imported with, its preview and its
// commit, each with the same rules and the same verdicts as the web import (import-uploads.ts runs the
// imports themselves; this file adds the checks around them).
import { authorize, type Principal } from '../access/access.ts';
import { loadClientFor } from '../access/record-access.ts';
import { loadAssetFor } from '../assets/asset.service.ts';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Ctx } from '../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../platform/errors.ts';
import { MATCH_MODES, MISSING_MODES, REFERENCE_COLUMN_NAMES, type ImportReport, type MatchMode, type MissingModes, type RowVerdict } from './asset-import.ts';
import { isImportField, mapHeadings, useColumns, type HeadingMap, type ImportField } from './import-headings.ts';
import type { ImportTable } from './import.table.ts';
import { findImport, receiveUpload, releaseUpload, runUpload, sampleRows, saveOptions, UploadRefused, type UploadedImport } from './import-uploads.ts';
import { EXISTING_MODES, type ExistingMode } from './record-import.ts';

export type ImportKind = ImportTable['kind'];
export const IMPORT_KINDS: ImportKind[] = ['assets', 'interfaces', 'locations', 'contacts'];

/** Where an upload goes, once checked against the principal's rights. */
export interface ImportTarget {
  kind: ImportKind;
  clientId: number | null;
  assetId: number | null;
}

/**
 * Where an upload of this kind may go, as the web's upload pages decide: locations and contacts into a
 * client the principal may change (client module), interfaces into an asset it may change, assets into
 * a client it may change or (no client) into the clients each row names (support module).
 */
export async function importTarget(ctx: Ctx, principal: Principal, kind: ImportKind, clientId: number | null, assetId: number | null): Promise<ImportTarget> {
  const acting: Ctx = { ...ctx, principal };
  if (kind === 'locations' || kind === 'contacts') {
    if (clientId === null)
      throw new ValidationError([{ field: 'clientId', code: 'required', message: `an import of ${kind} needs the client to import into` }]);
    const client = await loadClientFor(acting, 'client', 2, clientId);
    return { kind, clientId: client.id, assetId: null };
  }
  authorize(principal, 'support', 2);
  if (kind === 'interfaces') {
    if (assetId === null)
      throw new ValidationError([{ field: 'assetId', code: 'required', message: 'an import of interfaces needs the asset to import into' }]);
    const asset = await loadAssetFor(acting, principal, assetId, 2);
    return { kind, clientId: null, assetId: asset.id };
  }
  if (clientId === null) return { kind, clientId: null, assetId: null };
  const client = await loadClientFor(acting, 'support', 2, clientId);
  return { kind, clientId: client.id, assetId: null };
}

/**
 * Receives a file for import into a checked target (importTarget): parsed as it arrives and kept for the
 * next steps. A file that cannot be taken (too large, over the user's quota, not CSV, empty) is a
 * ValidationError on `file`, with nothing kept.
 */
export async function receiveImport(
  ctx: Ctx,
  principal: Principal,
  target: ImportTarget,
  fileName: string,
  file: Readable & { truncated?: boolean },
): Promise<UploadedImport> {
  const id = randomUUID();
  try {
    await receiveUpload(
      ctx,
      principal,
      { id, kind: target.kind, clientId: target.clientId, assetId: target.assetId, fileName: fileName || 'import.csv' },
      file,
    );
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    throw new ValidationError([{ field: 'file', code: 'refused', message: error.message }]);
  }
  return requireImport(ctx, principal, id);
}

/** An upload the principal may see (its own, or any for an administrator, of a client it sees); "not found" otherwise. */
export async function requireImport(ctx: Ctx, principal: Principal, id: string): Promise<UploadedImport> {
  const upload = await findImport(ctx, principal, id);
  if (!upload) throw new NotFoundError('import', id);
  return upload;
}

/** The columns of an upload: its headings, the field each fills (the saved choice, or matched by heading), a few sample rows. */
export async function importColumns(ctx: Ctx, upload: UploadedImport, samples = 3): Promise<{ map: HeadingMap; samples: string[][] }> {
  const { headings, rows } = await sampleRows(ctx, upload.id, samples);
  const map = upload.options.columns ? useColumns(headings, upload.options.columns) : mapHeadings(headings);
  return { map, samples: rows };
}

export interface ImportOptionsChange {
  /** The field of each column, in file order (null: not imported); asset imports only. */
  mapping?: Array<string | null>;
  match?: MatchMode;
  missing?: Partial<MissingModes>;
  validOnly?: boolean;
  existing?: ExistingMode;
}

/**
 * Changes what an upload is imported with: the mapping screen's choices (asset imports) or whether
 * existing records are updated (locations and contacts). Only before the commit (409 after it).
 */
export async function changeImportOptions(ctx: Ctx, principal: Principal, id: string, change: ImportOptionsChange): Promise<UploadedImport> {
  const upload = await requireImport(ctx, principal, id);
  if (upload.status === 'committed') throw new ConflictError('this import has already been committed; its options can no longer change');
  const issues: FieldIssue[] = [];
  const assetsOnly = (field: keyof ImportOptionsChange) => {
    if (change[field] !== undefined && upload.kind !== 'assets')
      issues.push({ field, code: 'not_applicable', message: `applies to asset imports only (this one imports ${upload.kind})` });
  };
  assetsOnly('mapping');
  assetsOnly('match');
  assetsOnly('missing');
  if (change.existing !== undefined && upload.kind !== 'locations' && upload.kind !== 'contacts')
    issues.push({ field: 'existing', code: 'not_applicable', message: 'applies to location and contact imports only' });
  if (change.match !== undefined && !MATCH_MODES.includes(change.match))
    issues.push({ field: 'match', code: 'invalid', message: `must be one of ${MATCH_MODES.join(', ')}` });
  if (change.existing !== undefined && !EXISTING_MODES.includes(change.existing))
    issues.push({ field: 'existing', code: 'invalid', message: `must be one of ${EXISTING_MODES.join(', ')}` });
  for (const [column, mode] of Object.entries(change.missing ?? {})) {
    if (!REFERENCE_COLUMN_NAMES.includes(column as never))
      issues.push({ field: `missing.${column}`, code: 'unknown', message: `is not a reference column (${REFERENCE_COLUMN_NAMES.join(', ')})` });
    else if (!MISSING_MODES.includes(mode as never))
      issues.push({ field: `missing.${column}`, code: 'invalid', message: `must be one of ${MISSING_MODES.join(', ')}` });
  }
  let columns = upload.options.columns;
  if (change.mapping !== undefined && upload.kind === 'assets') {
    const { headings } = await sampleRows(ctx, upload.id, 0);
    if (change.mapping.length !== headings.length)
      issues.push({ field: 'mapping', code: 'length', message: `must name a field (or null) for each of the file's ${headings.length} columns` });
    change.mapping.forEach((field, i) => {
      if (field !== null && !isImportField(field))
        issues.push({ field: `mapping[${i}]`, code: 'unknown', message: `"${field}" is not a field an asset import fills` });
    });
    columns = change.mapping.map((f) => (f !== null && isImportField(f) ? (f as ImportField) : null));
  }
  if (issues.length) throw new ValidationError(issues);
  const options: UploadedImport['options'] = {
    ...upload.options,
    columns,
    match: change.match ?? upload.options.match,
    validOnly: change.validOnly ?? upload.options.validOnly,
    missing: { ...upload.options.missing, ...change.missing },
    existing: change.existing ?? upload.options.existing,
  };
  await saveOptions(ctx, upload.id, options);
  return { ...upload, options };
}

/** The preview: every row's verdict (through `onRow`) and the counts, writing nothing. */
export async function previewImport(ctx: Ctx, principal: Principal, id: string, onRow: (verdict: RowVerdict) => void): Promise<ImportReport> {
  const upload = await requireImport(ctx, principal, id);
  if (upload.status === 'committed') throw new ConflictError('this import has already been committed; read its summary instead');
  return runUpload(ctx, principal, upload, { dryRun: true, keepRows: 0, onRow });
}

/** Rows still rejected at the commit (and valid rows only not asked for): nothing is imported. */
export class ImportRejectedError extends ValidationError {
  constructor(readonly report: ImportReport) {
    const n = report.counts.rejected;
    super([
      {
        field: 'file',
        code: 'rows_rejected',
        message: `nothing was imported: ${n} row${n === 1 ? ' is' : 's are'} rejected; fix the file and upload it again, or import the valid rows only (valid_only)`,
      },
    ]);
  }
}

/**
 * Commits the upload: its rows are written in one transaction, with the options saved for it. A second
 * commit (or one racing the first) is a ConflictError; rejected rows (unless valid rows only were
 * asked for) an ImportRejectedError, with nothing written.
 */
export async function commitImport(ctx: Ctx, principal: Principal, id: string): Promise<{ upload: UploadedImport; report: ImportReport }> {
  const upload = await requireImport(ctx, principal, id);
  const already = () => new ConflictError('this import has already been committed');
  if (upload.status === 'committed') throw already();
  let report: ImportReport;
  try {
    report = await runUpload(ctx, principal, upload, { dryRun: false, keepRows: 0 });
  } catch (error) {
    // A second commit racing the first may find the records already released: it was imported.
    if (error instanceof ConflictError) throw already();
    if (error instanceof ValidationError && (await findImport(ctx, principal, id))?.status === 'committed') throw already();
    throw error;
  }
  if (!report.committed) throw new ImportRejectedError(report);
  // The upload's records are no longer needed; the daily jobs remove any left behind.
  await releaseUpload(ctx.db, upload.id).catch(() => undefined);
  return { upload: (await findImport(ctx, principal, id)) ?? upload, report };
}
