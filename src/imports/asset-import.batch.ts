// One batch of an asset import: each row checked by the asset rules (names resolved through the
// file-wide lookups), matched against the client's assets and the rows before it, then the new assets
// written together by the assets' own writer and the changed ones updated through updateAsset.
import { sql } from 'kysely';
import type { Principal } from '../access/access.ts';
import { AssetRulesForRows, dateOrderIssues, parseAssetScalars, type AssetFieldsInput } from '../assets/asset.rules.ts';
import { checkAssetUpdate, DEFAULT_INTERFACE_NAME, updateAsset } from '../assets/asset.service.ts';
import { ASSET_FIELDS, fieldsOfKind } from '../assets/asset-fields.ts';
import { insertAssets, type NewAsset } from '../assets/asset-writer.ts';
import { assetRowToAsset, type Asset, type AssetFields, type EditableField } from '../assets/asset.ts';
import type { CsvRecord } from '../csv/csv-reader.ts';
import { unguardCell } from '../csv/csv-reader.ts';
import type { Ctx } from '../platform/context.ts';
import { IssueList, ValidationError, type FieldIssue } from '../platform/errors.ts';
import { foldText, optionalIpv4OrDhcp, optionalMac } from '../platform/fields.ts';
import { DEFAULT_MISSING, type AssetImportOptions, type ReferenceColumn, type RowVerdict } from './asset-import.types.ts';
import { IMPORT_FIELDS, importFieldOf, type HeadingMap, type ImportField } from './import-headings.ts';
import { ImportLookups, type CreatableTable, type PendingRecord } from './import-lookups.ts';
import { LineIndex } from './line-index.ts';

interface ParsedRow {
  line: number;
  cells: string[];
  name: string;
  clientId: number;
  /** The fields the row gives a value for (an empty cell says nothing), checked and resolved. */
  fields: Partial<AssetFields>;
  ip?: string | null;
  mac?: string | null;
  tags?: Array<{ id: number; name: string }>;
  problems: FieldIssue[];
  warnings: string[];
  /** Records the row names that the client does not have yet, created for it (see ImportLookups.resolve). */
  pending: Array<{ field: EditableField; record: PendingRecord }>;
  creates?: string[];
  matchKey?: string;
}

interface Stored {
  asset: Asset;
  ip: string | null;
  mac: string | null;
  tags: string[];
}

/** The file's free-text and date columns: checked by the asset rules as they stand. */
const SCALARS = [...fieldsOfKind('text'), ...fieldsOfKind('date')];
const YES = ['yes', 'y', 'true', '1', 'x'];
const NO = ['no', 'n', 'false', '0'];

export class AssetImportBatch {
  readonly lookups: ImportLookups;
  private readonly rules: AssetRulesForRows;
  private readonly column = new Map<ImportField, number>();
  /** Match key → the line that claimed it: duplicates inside the file. */
  private readonly seen = new LineIndex();
  /** Per client: folded name or serial → ids of its active assets. */
  private readonly existing = new Map<number, Map<string, number[]>>();

  constructor(
    private readonly ctx: Ctx,
    principal: Principal,
    private readonly headings: HeadingMap,
    private readonly options: AssetImportOptions,
    private readonly importId: string,
  ) {
    this.lookups = new ImportLookups(ctx, principal);
    this.rules = new AssetRulesForRows(ctx);
    headings.columns.forEach((field, i) => {
      if (field && !(field === 'client' && options.clientId !== null)) this.column.set(field, i);
    });
  }

  /** The column's heading as the file writes it (problems name what the user sees). */
  private heading(field: ImportField): string {
    const i = this.column.get(field);
    return i === undefined ? IMPORT_FIELDS[field].heading : this.headings.headings[i]!;
  }

  async run(records: CsvRecord[], emit: (verdict: RowVerdict, cells: string[]) => void | Promise<void>): Promise<void> {
    if (records.length === 0) return;
    const rows: ParsedRow[] = [];
    for (const record of records) rows.push(await this.parse(record));
    // Missing records are created (or, in a preview, checked) only for rows otherwise sound.
    for (const row of rows) {
      for (const { field, record } of row.problems.length ? [] : row.pending) {
        const id = await this.lookups.resolve(record, !this.options.dryRun, row);
        if (id !== undefined) row.fields[field] = id as never;
      }
    }
    const verdicts: RowVerdict[] = rows.map((r) => ({ line: r.line, name: r.name, verdict: 'create' }));

    const matched = await this.match(rows);
    const stored = await this.load([...new Set(matched.values())]);
    const creates: Array<{ index: number; asset: NewAsset }> = [];
    for (const [i, row] of rows.entries()) {
      const verdict = verdicts[i]!;
      if (row.problems.length) {
        Object.assign(verdict, { verdict: 'rejected', problems: row.problems });
        continue;
      }
      if (row.warnings.length) verdict.warnings = row.warnings;
      if (row.creates) verdict.creates = row.creates;
      const id = matched.get(i);
      if (id === undefined) {
        // Dates in order: checked here for a new asset; updateAsset checks an update's against the stored ones.
        const misordered = dateOrderIssues(row.fields);
        if (misordered.length) {
          Object.assign(verdict, { verdict: 'rejected', problems: misordered.map((p) => ({ ...p, field: this.headingOfIssue(p.field) })) });
          continue;
        }
        creates.push({ index: i, asset: this.newAsset(row) });
        continue;
      }
      const changes = this.changes(row, stored.get(id)!);
      verdict.assetId = id;
      if (changes.length === 0) {
        verdict.verdict = 'unchanged';
        continue;
      }
      try {
        if (this.options.dryRun) await checkAssetUpdate(this.ctx, id, this.updateInput(row));
        else await updateAsset(this.ctx, id, this.updateInput(row), { details: { importId: this.importId, line: row.line } });
        Object.assign(verdict, { verdict: 'update', changes });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        Object.assign(verdict, { verdict: 'rejected', problems: error.issues.map((p) => ({ ...p, field: this.headingOfIssue(p.field) })), assetId: undefined });
      }
    }
    // A preview needs no new rows: they passed every rule already, and nothing refers to them yet.
    if (!this.options.dryRun) {
      const ids = await insertAssets(
        this.ctx,
        creates.map((c) => c.asset),
      );
      for (const [k, c] of creates.entries()) verdicts[c.index]!.assetId = ids[k];
    }
    for (const [i, row] of rows.entries()) await emit(verdicts[i]!, row.cells);
  }

  private async parse(record: CsvRecord): Promise<ParsedRow> {
    const value = (field: ImportField): string | undefined => {
      const i = this.column.get(field);
      const cell = i === undefined ? '' : unguardCell((record.cells[i] ?? '').trim());
      return cell === '' ? undefined : cell;
    };
    const problems: FieldIssue[] = [];
    const issues = new IssueList();
    const row: ParsedRow = {
      line: record.line,
      cells: record.cells,
      name: value('name') ?? '',
      clientId: 0,
      fields: {},
      problems,
      warnings: [],
      pending: [],
    };

    const extra = record.cells.slice(this.headings.headings.length).filter((c) => c.trim() !== '');
    if (extra.length)
      problems.push({
        field: 'row',
        code: 'too_many_values',
        message: `has ${record.cells.length} values but the heading row names ${this.headings.headings.length} columns`,
      });

    // The file's client was checked before the first row; a Client column's, once per client named.
    const clientId = this.options.clientId ?? (await this.lookups.client(this.heading('client'), value('client'), problems));
    if (clientId === undefined) return row;
    if (this.options.clientId === null && !(await this.rules.activeClient(issues, 'client', clientId))) {
      for (const issue of issues.issues) problems.push({ ...issue, field: this.heading('client') });
      return row;
    }
    row.clientId = clientId;

    const input: AssetFieldsInput = { dateOrder: 'deferred' };
    for (const field of SCALARS) {
      const v = value(field);
      if (v !== undefined || field === 'name') input[field] = v ?? null;
    }
    row.fields = parseAssetScalars(input, 'create', issues);
    for (const field of fieldsOfKind('flag')) {
      const flag = value(field);
      if (flag === undefined) continue;
      if (YES.includes(flag.toLowerCase())) row.fields[field] = true;
      else if (NO.includes(flag.toLowerCase())) row.fields[field] = false;
      else problems.push({ field: this.heading(field), code: 'not_yes_no', message: `"${flag}" is not yes or no` });
    }
    // With no matching, names are still compared, to point out a row the file repeats.
    const keyValue = this.options.match === 'serial' ? row.fields.serial : row.fields.name;
    if (keyValue) row.matchKey = `${clientId}:${foldText(keyValue)}`;
    const current = value('type') !== undefined || value('status') !== undefined ? await this.currentListValues(row) : null;
    for (const field of ['type', 'status'] as const) {
      const v = value(field);
      if (v !== undefined) row.fields[field] = await this.rules.listValue(issues, field, v, current?.[field] ?? null);
    }
    for (const field of fieldsOfKind('reference')) {
      const column = importFieldOf(field) as ReferenceColumn;
      const mode = this.options.missing?.[column] ?? DEFAULT_MISSING[column];
      const table = ASSET_FIELDS[field].ref.table as CreatableTable;
      const id = await this.lookups.reference(table, this.heading(column), value(column), clientId, mode, row);
      if (typeof id === 'number') row.fields[field] = id;
      else if (id) row.pending.push({ field, record: id });
    }
    if (value('ip') !== undefined) row.ip = optionalIpv4OrDhcp(issues, 'ip', value('ip'));
    if (value('mac') !== undefined) row.mac = optionalMac(issues, 'mac', value('mac'));
    const tags = value('tags');
    if (tags !== undefined) row.tags = await this.lookups.tagIds(this.heading('tags'), tags, problems);
    for (const issue of issues.issues) problems.push({ ...issue, field: this.heading(issue.field as ImportField) });
    return row;
  }

  /** The ids of the client's assets the row's name or serial matches (none when nothing is matched). */
  private async candidates(row: ParsedRow): Promise<number[]> {
    if (this.options.match === 'none' || !row.matchKey) return [];
    const index = await this.clientIndex(row.clientId);
    return index.get(row.matchKey.slice(row.matchKey.indexOf(':') + 1)) ?? [];
  }

  /** The type and status of the asset the row would update: still acceptable if archived since, as on its form. */
  private async currentListValues(row: ParsedRow): Promise<{ type: string | null; status: string | null } | null> {
    const ids = await this.candidates(row);
    if (ids.length !== 1) return null;
    return (await this.ctx.db.selectFrom('assets').select(['type', 'status']).where('id', '=', ids[0]!).executeTakeFirst()) ?? null;
  }

  /** Row index → the id of the asset it updates; duplicates and ambiguous matches become problems. */
  private async match(rows: ParsedRow[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const mode = this.options.match;
    for (const [i, row] of rows.entries()) {
      if (row.problems.length) continue;
      if (!row.matchKey) {
        if (mode === 'serial') row.warnings.push('no serial number to match on: added as new');
        continue;
      }
      const earlier = this.seen.claim(row.matchKey, row.line);
      if (earlier !== undefined) {
        if (mode === 'none') row.warnings.push(`the same name as line ${earlier}`);
        else
          row.problems.push({
            field: this.heading(mode),
            code: 'duplicate_in_file',
            message: `the same ${mode === 'name' ? 'name' : 'serial number'} as line ${earlier}`,
          });
        continue;
      }
      if (mode === 'none') continue;
      const ids = await this.candidates(row);
      if (ids.length > 1)
        row.problems.push({
          field: this.heading(mode),
          code: 'ambiguous',
          message: `${ids.length} assets of this client have this ${mode === 'name' ? 'name' : 'serial number'}`,
        });
      else if (ids.length === 1) out.set(i, ids[0]!);
    }
    return out;
  }

  /** Folded name or serial → active asset ids, for one client, read once per import. */
  private async clientIndex(clientId: number): Promise<Map<string, number[]>> {
    let index = this.existing.get(clientId);
    if (index) return index;
    index = new Map();
    const column = this.options.match === 'serial' ? 'serial' : 'name';
    const rows = await this.ctx.db
      .selectFrom('assets')
      .select(['id', 'name', 'serial'])
      .where('client_id', '=', clientId)
      .where('archived_at', 'is', null)
      .execute();
    for (const r of rows) {
      const v = column === 'serial' ? r.serial : r.name;
      if (!v) continue;
      const key = foldText(v);
      const list = index.get(key);
      if (list) list.push(r.id);
      else index.set(key, [r.id]);
    }
    this.existing.set(clientId, index);
    return index;
  }

  private async load(ids: number[]): Promise<Map<number, Stored>> {
    const out = new Map<number, Stored>();
    for (let start = 0; start < ids.length; start += 500) {
      const part = ids.slice(start, start + 500);
      const assets = await this.ctx.db.selectFrom('assets').selectAll().where('id', 'in', part).execute();
      const primaries = await this.ctx.db
        .selectFrom('asset_interfaces')
        .select(['asset_id', 'ip', 'mac'])
        .where('asset_id', 'in', part)
        .where('is_primary', '=', sql.lit(true))
        .execute();
      const tags = this.column.has('tags')
        ? await this.ctx.db
            .selectFrom('asset_tags as t')
            .innerJoin('tags as g', 'g.id', 't.tag_id')
            .select(['t.asset_id', 'g.name'])
            .where('t.asset_id', 'in', part)
            .execute()
        : [];
      for (const row of assets) {
        const primary = primaries.find((p) => p.asset_id === row.id);
        out.set(row.id, {
          asset: assetRowToAsset(row),
          ip: primary?.ip ?? null,
          mac: primary?.mac ?? null,
          tags: tags.filter((t) => t.asset_id === row.id).map((t) => t.name),
        });
      }
    }
    return out;
  }

  /** Headings of the fields the row would change. */
  private changes(row: ParsedRow, stored: Stored): string[] {
    const out: string[] = [];
    for (const [field, value] of Object.entries(row.fields) as Array<[EditableField, unknown]>) {
      if (stored.asset[field] === value) continue;
      // The value the row was matched on differs only in case or accents: that is the same value.
      if (field === this.options.match && typeof value === 'string' && foldText(value) === foldText(String(stored.asset[field] ?? ''))) continue;
      out.push(this.heading(importFieldOf(field)));
    }
    // A record created for the row is a change in the preview too (where it has no id yet).
    for (const { field } of row.pending) if (row.fields[field] === undefined) out.push(this.heading(importFieldOf(field)));
    if (row.ip !== undefined && row.ip !== stored.ip) out.push(this.heading('ip'));
    if (row.mac !== undefined && row.mac !== stored.mac) out.push(this.heading('mac'));
    if (row.tags) {
      const want = row.tags
        .map((t) => t.name)
        .sort()
        .join('\n');
      if (want !== [...stored.tags].sort().join('\n')) out.push(this.heading('tags'));
    }
    return out;
  }

  private updateInput(row: ParsedRow) {
    const { [this.options.match as 'name']: _matched, ...fields } = row.fields;
    return {
      ...fields,
      ...(row.ip !== undefined || row.mac !== undefined
        ? { primaryInterface: { ...(row.ip !== undefined ? { ip: row.ip } : {}), ...(row.mac !== undefined ? { mac: row.mac } : {}) } }
        : {}),
      ...(row.tags ? { tags: row.tags.map((t) => t.id) } : {}),
    };
  }

  private newAsset(row: ParsedRow): NewAsset {
    return {
      clientId: row.clientId,
      fields: row.fields as NewAsset['fields'],
      interfaces: [{ name: DEFAULT_INTERFACE_NAME, ip: row.ip ?? null, mac: row.mac ?? null, primary: true }],
      tags: row.tags ?? [],
      action: 'imported',
      details: { importId: this.importId, line: row.line },
    };
  }

  private headingOfIssue(field: string): string {
    // The asset rules name fields as the API does: primaryInterface.ip, contactId.
    const bare = field.replace(/^primaryInterface\./, '').replace(/Id$/, '');
    return Object.hasOwn(IMPORT_FIELDS, bare) ? this.heading(bare as ImportField) : field;
  }
}
