// A client's locations or contacts from CSV, in ITFlow's export headings (Name, Description, Address,
// City, State, Postal Code, Phone, Hours for locations; Name, Title, Department, Email, Phone, Ext,
// Mobile, Location for contacts), with the asset import's passes, verdicts and records: a record of the
// same name (ignoring case and accents) exists, and is skipped or updated as asked; others are created.
// Each row goes through the record's own service, which holds its rules and who may write.
import { authorize, type Principal } from '../access/access.ts';
import { checkContactUpdate, checkNewContact, createContact, updateContact } from '../contacts/contact.service.ts';
import { unguardCell } from '../csv/csv-reader.ts';
import { checkLocationUpdate, checkNewLocation, createLocation, updateLocation } from '../locations/location.service.ts';
import { newCorrelationId, type Ctx } from '../platform/context.ts';
import { ForbiddenError, IssueList, NotFoundError, ValidationError, type FieldIssue } from '../platform/errors.ts';
import { foldText } from '../platform/fields.ts';
import { requireActiveClient } from '../platform/record-rules.ts';
import type { ImportReport, RowVerdict } from './asset-import.types.ts';
import { clipText } from './clip.ts';
import type { HeadingMap } from './import-headings.ts';
import { ImportLookups } from './import-lookups.ts';
import { openRecords, runImportPasses, startImportRecord, type ImportPhase, type ImportSource } from './import-record.ts';
import { RejectedRowsFile, type RejectedRowsTarget } from './rejected-rows.ts';

export type RecordImportKind = 'locations' | 'contacts';
export type ExistingMode = 'skip' | 'update';
export const EXISTING_MODES: ExistingMode[] = ['skip', 'update'];

interface Column {
  /** The service's input key. */
  key: string;
  heading: string;
  aliases: string[];
}
const col = (key: string, heading: string, ...aliases: string[]): Column => ({ key, heading, aliases: [foldHeading(heading), ...aliases] });
const foldHeading = (h: string) => foldText(h).replace(/[^a-z0-9]/g, '');

/** Each kind's columns, ITFlow's headings first, and the service calls that hold its rules. */
const KINDS = {
  locations: {
    singular: 'location',
    columns: [
      col('name', 'Name', 'locationname', 'location'),
      col('description', 'Description'),
      col('address', 'Address', 'street'),
      col('city', 'City'),
      col('state', 'State', 'region', 'stateorregion'),
      col('zip', 'Postal Code', 'zip', 'zipcode', 'postcode'),
      col('phone', 'Phone'),
      col('hours', 'Hours', 'openinghours'),
      col('country', 'Country'),
      col('notes', 'Notes'),
    ],
    checkNew: checkNewLocation,
    create: createLocation,
    checkUpdate: checkLocationUpdate,
    update: updateLocation,
  },
  contacts: {
    singular: 'contact',
    columns: [
      col('name', 'Name', 'contactname'),
      col('title', 'Title'),
      col('department', 'Department'),
      col('email', 'Email', 'emailaddress'),
      col('phone', 'Phone'),
      col('extension', 'Extension', 'ext'),
      col('mobile', 'Mobile'),
      col('locationId', 'Location'),
      col('notes', 'Notes'),
    ],
    checkNew: checkNewContact,
    create: createContact,
    checkUpdate: checkContactUpdate,
    update: updateContact,
  },
} satisfies Record<RecordImportKind, unknown>;

/** The headings an import of this kind reads, as the upload page lists them. */
export const recordHeadings = (kind: RecordImportKind) => KINDS[kind].columns.map((c) => c.heading);

export interface RecordImportOptions {
  clientId: number;
  /** A record of the same name: left as it is (default), or updated with the row's non-empty values. */
  existing?: ExistingMode;
  dryRun?: boolean;
  validOnly?: boolean;
  importId?: string;
  file?: { name: string; size: number };
  keepRows?: number;
  onRow?: (verdict: RowVerdict, cells: string[]) => void;
  onHeadings?: (headings: HeadingMap) => void;
  onProgress?: (phase: ImportPhase, rows: number) => void;
  rejectedFile?: RejectedRowsTarget;
}

export async function importRecords(
  ctx: Ctx,
  principal: Principal,
  kind: RecordImportKind,
  source: ImportSource,
  options: RecordImportOptions,
): Promise<ImportReport> {
  authorize(principal, 'client', 2, { clientId: options.clientId, entity: 'client', id: options.clientId });
  const importId = options.importId ?? newCorrelationId();
  const def = KINDS[kind];
  const { result, committed } = await runImportPasses(ctx, importId, { ...options, kind }, async (pctx, phase) => {
    const issues = new IssueList();
    await requireActiveClient(pctx, issues, options.clientId, 'client');
    issues.throwIfAny();
    const records = openRecords(source, pctx.db);
    const header = await records.next();
    if (header.done) throw new ValidationError([{ field: 'file', code: 'empty', message: 'the file is empty: it has no heading row' }]);
    const headingsRow = header.value.cells;
    const columns = headingsRow.map((h) => def.columns.find((c) => c.aliases.includes(foldHeading(h))) ?? null);
    // A heading matched twice counts once, like the asset import's.
    columns.forEach((c, i) => {
      if (c && columns.indexOf(c) !== i) columns[i] = null;
    });
    if (!columns.some((c) => c?.key === 'name'))
      throw new ValidationError([
        { field: 'file', code: 'no_name', message: `no Name column among the headings: ${clipText(headingsRow.map((h) => clipText(h, 40)).join(', '), 400)}` },
      ]);
    const report: ImportReport = {
      importId,
      headings: { headings: headingsRow, columns: [], unknown: headingsRow.filter((h, i) => columns[i] === null && foldHeading(h) !== ''), duplicates: [] },
      rows: [],
      counts: { create: 0, update: 0, unchanged: 0, rejected: 0 },
      committed: false,
      dryRun: !!options.dryRun,
    };
    if (phase === 'check') options.onHeadings?.(report.headings);
    if (phase === 'write')
      await startImportRecord(pctx, principal, importId, {
        kind,
        clientId: options.clientId,
        assetId: null,
        file: options.file,
        options: { existing: options.existing ?? 'skip', validOnly: !!options.validOnly },
      });
    const existing = new Map<string, number[]>();
    for (const r of await pctx.db
      .selectFrom(kind)
      .select(['id', 'name'])
      .where('client_id', '=', options.clientId)
      .where('archived_at', 'is', null)
      .execute()) {
      const key = foldText(r.name);
      existing.set(key, [...(existing.get(key) ?? []), r.id]);
    }
    const lookups = new ImportLookups(pctx, principal);
    const seen = new Map<string, number>();
    const rejected = phase === 'write' && options.rejectedFile ? new RejectedRowsFile(pctx.db, options.rejectedFile, headingsRow) : null;
    const keep = options.keepRows ?? Infinity;
    let done = 0;
    for await (const record of records) {
      const verdict = await importRow(pctx, kind, lookups, {
        line: record.line,
        cells: record.cells,
        columns,
        headings: headingsRow,
        existing,
        seen,
        clientId: options.clientId,
        mode: options.existing ?? 'skip',
        write: phase === 'write',
      });
      report.counts[verdict.verdict]++;
      if (report.rows.length < keep) report.rows.push(verdict);
      if (phase === 'check') options.onRow?.(verdict, record.cells);
      else if (verdict.verdict === 'rejected') await rejected?.add(verdict, record.cells);
      options.onProgress?.(phase, ++done);
    }
    await rejected?.finish();
    return report;
  });
  return { ...result, committed, dryRun: !!options.dryRun };
}

interface Row {
  line: number;
  cells: string[];
  columns: Array<Column | null>;
  headings: string[];
  existing: Map<string, number[]>;
  seen: Map<string, number>;
  clientId: number;
  mode: ExistingMode;
  write: boolean;
}

async function importRow(ctx: Ctx, kind: RecordImportKind, lookups: ImportLookups, row: Row): Promise<RowVerdict> {
  const def = KINDS[kind];
  const input: Record<string, string> = {};
  const headingOf = new Map<string, string>();
  row.columns.forEach((c, i) => {
    if (!c) return;
    headingOf.set(c.key, row.headings[i]!);
    const cell = unguardCell((row.cells[i] ?? '').trim());
    if (cell !== '') input[c.key] = cell;
  });
  const heading = (key: string) => headingOf.get(key) ?? def.columns.find((c) => c.key === key)?.heading ?? key;
  const name = input.name ?? '';
  const problems: FieldIssue[] = [];
  const verdict = (v: Omit<RowVerdict, 'line' | 'name'>): RowVerdict => ({ line: row.line, name, ...v });
  if (row.cells.slice(row.headings.length).some((c) => c.trim() !== ''))
    problems.push({
      field: 'row',
      code: 'too_many_values',
      message: `has ${row.cells.length} values but the heading row names ${row.headings.length} columns`,
    });
  const key = foldText(name);
  const earlier = row.seen.get(key);
  if (name && earlier !== undefined) problems.push({ field: heading('name'), code: 'duplicate_in_file', message: `the same name as line ${earlier}` });
  if (name) row.seen.set(key, row.line);
  // A contact's location is named, as in ITFlow's export: it must be one of the client's.
  const values: Record<string, unknown> = { ...input };
  if (input.locationId !== undefined) values.locationId = await lookups.record('locations', heading('locationId'), input.locationId, row.clientId, problems);
  const matches = name ? (row.existing.get(key) ?? []) : [];
  if (matches.length > 1) problems.push({ field: heading('name'), code: 'ambiguous', message: `${matches.length} ${kind} of this client are named "${name}"` });
  if (problems.length) return verdict({ verdict: 'rejected', problems });
  const id = matches[0];
  try {
    if (id === undefined) {
      const create = { ...values, clientId: row.clientId, name: input.name ?? null };
      if (row.write) await def.create(ctx, create);
      else await def.checkNew(ctx, create);
      return verdict({ verdict: 'create' });
    }
    if (row.mode === 'skip') return verdict({ verdict: 'unchanged', assetId: id, warnings: [`a ${def.singular} of this name exists: skipped`] });
    const { name: _same, ...changes } = values;
    const changed = await def.checkUpdate(ctx, id, changes);
    if (changed.length === 0) return verdict({ verdict: 'unchanged', assetId: id, warnings: [`a ${def.singular} of this name exists, with these values`] });
    if (row.write) await def.update(ctx, id, changes);
    const byColumn: Record<string, string> = { location_id: 'locationId' };
    return verdict({ verdict: 'update', assetId: id, changes: changed.map((c) => heading(byColumn[c] ?? c)) });
  } catch (error) {
    if (error instanceof ValidationError) return verdict({ verdict: 'rejected', problems: error.issues.map((i) => ({ ...i, field: heading(i.field) })) });
    if (error instanceof ForbiddenError || error instanceof NotFoundError)
      return verdict({ verdict: 'rejected', problems: [{ field: 'row', code: 'forbidden', message: `you may not write ${kind} of this client` }] });
    throw error;
  }
}
