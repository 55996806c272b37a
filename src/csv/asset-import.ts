// Asset import from CSV: columns matched by heading (any order, any case or spacing, with ITFlow's
// and Steward's headings as aliases), a verdict for every row (create, update with the fields that
// change, unchanged, or rejected with the field and reason), and all-or-nothing by default. The rows
// go through the asset rules in one transaction; a dry run does the same work and rolls it back, so
// the preview is exactly what committing would do.
import { sql } from 'kysely';
import { authorize, canSeeClient, type Principal } from '../access/access.ts';
import { createAsset, updateAsset, type AssetCreateInput, type AssetUpdateInput } from '../assets/asset.service.ts';
import { diffFields } from '../history/history.ts';
import { EDITABLE_FIELDS } from '../assets/asset.ts';
import { findAssetWithPrimary } from '../assets/asset.repository.ts';
import { foldText } from '../platform/fields.ts';
import { newCorrelationId, type Ctx } from '../platform/context.ts';
import { ValidationError, type FieldIssue } from '../platform/errors.ts';
import { readCsv, unguardCell } from './csv-reader.ts';

export type ImportField =
  | 'name' | 'description' | 'type' | 'make' | 'model' | 'serial' | 'os' | 'purchaseDate' | 'warrantyExpire' | 'installDate'
  | 'contact' | 'location' | 'physicalLocation' | 'notes' | 'client' | 'ip' | 'mac' | 'status' | 'vendor' | 'purchaseReference'
  | 'uri' | 'uri2' | 'uriClient' | 'favorite' | 'tags';

/** Headings, folded to letters and digits, for each field: ITFlow's template, docs and export, and Steward's export. */
const ALIASES: Record<ImportField, string[]> = {
  name: ['name', 'assetname'], description: ['description'], type: ['type', 'assettype'], make: ['make', 'manufacturer'], model: ['model'],
  serial: ['serial', 'serialnumber'], os: ['os', 'operatingsystem'], purchaseDate: ['purchasedate'], warrantyExpire: ['warrantyexpire', 'warrantyexpires'],
  installDate: ['installdate'], contact: ['assignedto', 'contact'], location: ['location'], physicalLocation: ['physicallocation'], notes: ['notes'],
  client: ['client'], ip: ['primaryip', 'ip', 'ipaddress'], mac: ['primarymac', 'mac', 'macaddress'], status: ['status'], vendor: ['vendor'],
  purchaseReference: ['purchasereference'], uri: ['uri'], uri2: ['uri2'], uriClient: ['clienturi'], favorite: ['favorite'], tags: ['tags'],
};
/** Columns of Steward's own export that say something about the record, not the device: read past. */
const IGNORED = ['stewardid', 'archivedat', 'createdat'];

const fold = (heading: string) => foldText(heading).replace(/[^a-z0-9]/g, '');

export interface HeadingMap {
  columns: Array<ImportField | null>;
  unknown: string[];
  duplicates: string[];
}

export function mapHeadings(cells: string[]): HeadingMap {
  const seen = new Set<ImportField>();
  const out: HeadingMap = { columns: [], unknown: [], duplicates: [] };
  for (const cell of cells) {
    const key = fold(cell);
    const field = (Object.keys(ALIASES) as ImportField[]).find((f) => ALIASES[f].includes(key)) ?? null;
    if (field && seen.has(field)) out.duplicates.push(cell);
    else if (!field && key && !IGNORED.includes(key)) out.unknown.push(cell);
    if (field) seen.add(field);
    out.columns.push(field && !out.duplicates.includes(cell) ? field : null);
  }
  return out;
}

export type MatchMode = 'none' | 'name' | 'serial';

export interface ImportOptions {
  /** The client to import into; null to take each row's Client column (by name). */
  clientId: number | null;
  match: MatchMode;
  validOnly?: boolean;
  dryRun?: boolean;
}

export interface RowVerdict {
  line: number;
  name: string;
  verdict: 'create' | 'update' | 'unchanged' | 'rejected';
  assetId?: number;
  /** For an update: the fields that change. */
  changes?: string[];
  problems?: FieldIssue[];
}

export interface ImportReport {
  importId: string;
  headings: HeadingMap;
  rows: RowVerdict[];
  counts: Record<RowVerdict['verdict'], number>;
  committed: boolean;
}

class RollBack extends Error {}

export async function importAssets(ctx: Ctx, principal: Principal, input: AsyncIterable<string | Buffer> | Iterable<string>, options: ImportOptions): Promise<ImportReport> {
  authorize(principal, 'support', 2);
  if (options.clientId !== null) authorize(principal, 'support', 2, { clientId: options.clientId, entity: 'client', id: options.clientId });
  const importId = newCorrelationId();
  const records = readCsv(input);
  const header = await records.next();
  if (header.done) throw new ValidationError([{ field: 'file', code: 'empty', message: 'the file is empty' }]);
  const headings = mapHeadings(header.value.cells);
  if (!headings.columns.includes('name')) throw new ValidationError([{ field: 'file', code: 'no_name', message: `no Name column among the headings (${header.value.cells.join(', ')})` }]);
  if (options.clientId === null && !headings.columns.includes('client')) throw new ValidationError([{ field: 'file', code: 'no_client', message: 'importing into several clients needs a Client column' }]);
  const report: ImportReport = { importId, headings, rows: [], counts: { create: 0, update: 0, unchanged: 0, rejected: 0 }, committed: false };
  const ictx: Ctx = { ...ctx, source: 'import', correlationId: importId };

  try {
    await ctx.db.transaction().execute(async (trx) => {
      const tctx: Ctx = { ...ictx, db: trx };
      const names = new NameResolver(tctx);
      const seenKeys = new Map<string, number>();
      for await (const record of records) {
        const values: Partial<Record<ImportField, string>> = {};
        headings.columns.forEach((field, i) => {
          if (field) values[field] = unguardCell((record.cells[i] ?? '').trim());
        });
        const verdict = await importRow(tctx, principal, names, seenKeys, record.line, values, options, importId);
        report.rows.push(verdict);
        report.counts[verdict.verdict]++;
      }
      if (options.dryRun || (report.counts.rejected > 0 && !options.validOnly)) throw new RollBack();
    });
    report.committed = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return report;
}

async function importRow(
  ctx: Ctx, principal: Principal, names: NameResolver, seenKeys: Map<string, number>, line: number,
  values: Partial<Record<ImportField, string>>, options: ImportOptions, importId: string,
): Promise<RowVerdict> {
  const name = values.name ?? '';
  const problems: FieldIssue[] = [];
  const reject = (): RowVerdict => ({ line, name, verdict: 'rejected', problems });

  let clientId = options.clientId;
  if (clientId === null) {
    clientId = await names.client(values.client ?? '', principal, problems);
    if (clientId === null) return reject();
  }
  const matchValue = options.match === 'serial' ? values.serial : options.match === 'name' ? name : undefined;
  if (options.match !== 'none' && matchValue) {
    const key = `${clientId}:${foldText(matchValue)}`;
    const earlier = seenKeys.get(key);
    if (earlier !== undefined) {
      problems.push({ field: options.match, code: 'duplicate', message: `the same ${options.match} as line ${earlier}` });
      return reject();
    }
    seenKeys.set(key, line);
  }

  const refs = {
    contactId: await names.record('contacts', 'Assigned To', values.contact, clientId, problems),
    locationId: await names.record('locations', 'Location', values.location, clientId, problems),
    vendorId: await names.record('vendors', 'Vendor', values.vendor, clientId, problems),
  };
  if (problems.length) return reject();

  // Empty cells say nothing: on an update they leave the stored value alone.
  const given = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  const fields: AssetUpdateInput = {
    name: given(values.name), description: given(values.description), type: given(values.type), make: given(values.make), model: given(values.model),
    serial: given(values.serial), os: given(values.os), purchaseDate: given(values.purchaseDate), warrantyExpire: given(values.warrantyExpire),
    installDate: given(values.installDate), physicalLocation: given(values.physicalLocation), notes: given(values.notes), status: given(values.status),
    purchaseReference: given(values.purchaseReference), uri: given(values.uri), uri2: given(values.uri2), uriClient: given(values.uriClient),
    favorite: given(values.favorite) === undefined ? undefined : ['1', 'yes', 'true', 'x'].includes(values.favorite!.toLowerCase()),
    ...(refs.contactId !== undefined ? { contactId: refs.contactId } : {}),
    ...(refs.locationId !== undefined ? { locationId: refs.locationId } : {}),
    ...(refs.vendorId !== undefined ? { vendorId: refs.vendorId } : {}),
    ...(given(values.ip) || given(values.mac) ? { primaryInterface: { ...(given(values.ip) ? { ip: values.ip } : {}), ...(given(values.mac) ? { mac: values.mac } : {}) } } : {}),
    ...(given(values.tags) ? { tags: values.tags!.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
  };
  for (const key of Object.keys(fields) as Array<keyof AssetUpdateInput>) if (fields[key] === undefined) delete fields[key];

  try {
    const existing = options.match === 'none' || !matchValue ? undefined : await ctx.db
      .selectFrom('assets').select('id').where('client_id', '=', clientId)
      .where(sql`lower(${sql.ref(options.match === 'serial' ? 'serial' : 'name')})`, '=', matchValue.toLowerCase())
      .where('archived_at', 'is', null).limit(2).execute();
    if (existing && existing.length > 1) {
      problems.push({ field: options.match, code: 'ambiguous', message: `${existing.length} assets of this client have this ${options.match}` });
      return reject();
    }
    if (existing?.[0]) {
      const before = (await findAssetWithPrimary(ctx, existing[0].id))!;
      const { asset, changed } = await updateAsset(ctx, existing[0].id, fields);
      if (!changed) return { line, name, verdict: 'unchanged', assetId: asset.id };
      const changes = diffFields(before, asset, EDITABLE_FIELDS).map((c) => c.field);
      if (before.primaryInterface?.ip !== asset.primaryInterface?.ip) changes.push('ip');
      if (before.primaryInterface?.mac !== asset.primaryInterface?.mac) changes.push('mac');
      return { line, name, verdict: 'update', assetId: asset.id, changes };
    }
    const created = await createAsset(ctx, { ...fields, clientId } as AssetCreateInput, 'imported', { importId, line });
    return { line, name, verdict: 'create', assetId: created.id };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { line, name, verdict: 'rejected', problems: error.issues };
  }
}

/** Contacts, locations, vendors and clients by name, ignoring case and accents; two matches are an error. */
class NameResolver {
  private cache = new Map<string, Array<{ id: number; name: string }>>();

  constructor(private readonly ctx: Ctx) {}

  private async all(table: 'contacts' | 'locations' | 'vendors', clientId: number) {
    const key = `${table}:${clientId}`;
    let rows = this.cache.get(key);
    if (!rows) {
      rows = await this.ctx.db.selectFrom(table).select(['id', 'name']).where('client_id', '=', clientId).execute();
      this.cache.set(key, rows);
    }
    return rows;
  }

  async record(table: 'contacts' | 'locations' | 'vendors', heading: string, value: string | undefined, clientId: number, problems: FieldIssue[]): Promise<number | undefined> {
    if (value === undefined || value === '') return undefined;
    const matches = (await this.all(table, clientId)).filter((r) => foldText(r.name) === foldText(value));
    if (matches.length === 1) return matches[0]!.id;
    problems.push({ field: heading, code: matches.length ? 'ambiguous' : 'unknown', message: matches.length ? `${matches.length} records of this client are named "${value}"` : `this client has nothing named "${value}"` });
    return undefined;
  }

  async client(value: string, principal: Principal, problems: FieldIssue[]): Promise<number | null> {
    if (!value) {
      problems.push({ field: 'Client', code: 'required', message: 'is empty' });
      return null;
    }
    let rows = this.cache.get('clients');
    if (!rows) {
      rows = (await this.ctx.db.selectFrom('clients').select(['id', 'name']).where('archived_at', 'is', null).execute()).filter((c) => canSeeClient(principal, c.id));
      this.cache.set('clients', rows);
    }
    const matches = rows.filter((c) => foldText(c.name) === foldText(value));
    if (matches.length === 1) return matches[0]!.id;
    problems.push({ field: 'Client', code: matches.length ? 'ambiguous' : 'unknown', message: matches.length ? `${matches.length} clients are named "${value}"` : `no client named "${value}"` });
    return null;
  }
}
