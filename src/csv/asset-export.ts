// Asset export as CSV: ITFlow's export columns and headings by default (so ITFlow users recognise the
// file), any other field on request, RFC 4180 quoting, cells neutralised against formula injection,
// and streamed in chunks so a million rows take constant memory.
import { stringify } from 'csv-stringify/sync';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Principal } from '../access/access.ts';
import { assetFilter, type AssetListFilters } from '../assets/asset-list.query.ts';
import type { Ctx } from '../platform/context.ts';
import { EXPORT_COLUMNS, type ExportRow, PLAIN_EXPORT_FIELDS } from './export-columns.ts';

export { DEFAULT_EXPORT_COLUMNS, EXPORT_COLUMNS, exportColumns } from './export-columns.ts';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe,
 * as ITFlow does; numbers such as -5 are left alone. Steward's import removes the guard again.
 */
export function guardCell(value: string | null): string {
  if (value === null) return '';
  // The first character by code (= + - @ tab CR) before any regex: the export calls this for every cell.
  const c = value.charCodeAt(0);
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return value;
  return /^[+-]?\d+([.,]\d+)?$/.test(value) ? value : `'${value}`;
}

/**
 * One RFC 4180 cell, as csv-stringify writes it with CSV_OPTIONS: quoted (quotes doubled) when it
 * holds a quote, the delimiter, CR or LF; as it is otherwise, the empty string included.
 */
function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTES, '""')}"` : value;
}
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

const CHUNK = 2_000;

// csv-stringify quotes a cell holding the record delimiter (CRLF), but not one holding a lone LF or CR,
// which every reader would take for the end of the row: such cells are quoted too.
const CSV_OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

/** Row field → the column it is read from: every plain field as its own column, then the names. */
const SELECT: Record<string, string> = {
  id: 'a.id',
  ...Object.fromEntries(Object.keys(PLAIN_EXPORT_FIELDS).map((column) => [column, `a.${column}`])),
  created_at: 'a.created_at',
  updated_at: 'a.updated_at',
  archived_at: 'a.archived_at',
  client_name: 'c.name',
  contact_name: 'ct.name',
  location_name: 'l.name',
  vendor_name: 'v.name',
  ip: 'i.ip',
  mac: 'i.mac',
};

/** Export column → the row fields it reads. */
const COLUMN_SOURCES: Record<string, string[]> = {
  ...Object.fromEntries(Object.keys(PLAIN_EXPORT_FIELDS).map((column) => [column, [column]])),
  assigned_to: ['contact_name'],
  location: ['location_name'],
  client: ['client_name'],
  primary_ip: ['ip'],
  primary_mac: ['mac'],
  vendor: ['vendor_name'],
  tags: [],
  archived_at: ['archived_at'],
  created_at: ['created_at'],
  id: ['id'],
};

/**
 * A packed row as an ExportRow: the fields are getters, on one prototype shared by every row, that
 * read the JSON array by position. Setting up to 29 properties by name on each row instead was a third
 * of the time of an export of all columns.
 */
function packedRow(fields: string[]): (values: unknown[]) => ExportRow {
  const prototype = {};
  for (const [i, field] of fields.entries())
    Object.defineProperty(prototype, field, {
      get(this: { values: unknown[] }) {
        return this.values[i];
      },
    });
  return (values) => {
    const row = Object.create(prototype) as { values: unknown[] };
    row.values = values;
    return row as unknown as ExportRow;
  };
}

/** The CSV text, chunk by chunk: the heading row, then rows sorted by name as ITFlow sorts them. */
export async function* exportAssetsCsv(
  ctx: Ctx,
  principal: Principal,
  filters: AssetListFilters,
  options: {
    columns: string[];
    bom?: boolean;
    onRows?: (rows: number) => void;
    /** Conditions besides the list's filters, over the export's tables (`a` the asset, `c` its client): API v2's field filters. */
    where?: ReadonlyArray<Expression<SqlBool>>;
  },
): AsyncGenerator<string> {
  const today = new Date().toISOString().slice(0, 10);
  const { base, inTab } = await assetFilter(ctx, principal, filters, today);
  const columns = options.columns.map((k) => EXPORT_COLUMNS[k]!);
  const withTags = options.columns.includes('tags');
  yield (options.bom ? '\uFEFF' : '') + stringify([columns.map((c) => c.heading)], CSV_OPTIONS);
  // Only the joins and columns the chosen columns need: selecting all 29 made the query the bottleneck.
  const keys = new Set(options.columns);
  const needs = (...k: string[]) => k.some((x) => keys.has(x));
  const wanted = new Set<string>(['id', 'name']);
  for (const k of keys) for (const c of COLUMN_SOURCES[k] ?? []) wanted.add(c);
  // On SQLite the fields come packed in one JSON array, the sort key last: better-sqlite3 builds a row
  // object property by property, which for the 16 default columns cost more than the query's own work.
  // JSON keeps the text, integers and nulls SQLite holds here as they are. PostgreSQL's driver reads
  // columns cheaply and its JSON functions cost more than they save, so there each field is a column.
  const fields = [...wanted];
  const packed = ctx.dialect === 'sqlite';
  const selection = packed
    ? [sql<string>`json_array(${sql.join([...fields.map((f) => sql.ref(SELECT[f]!)), sql`lower(a.name)`])})`.as('packed')]
    : [...fields.map((f) => sql.ref(SELECT[f]!).as(f)), sql<string>`lower(a.name)`.as('sort_name')];
  const unpack = packed ? packedRow(fields) : null;
  type Key = { name: string; id: number };
  type Chunk = { rows: ExportRow[]; last: Key | null };
  /** The chunk after the given key (or the first), and its last row's key. */
  const fetchChunk = async (after: Key | null): Promise<Chunk> => {
    let q = ctx.db
      .selectFrom('assets as a')
      .innerJoin('clients as c', 'c.id', 'a.client_id')
      .$if(needs('primary_ip', 'primary_mac'), (qb) =>
        qb.leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true))),
      )
      .$if(needs('assigned_to'), (qb) => qb.leftJoin('contacts as ct', 'ct.id', 'a.contact_id'))
      .$if(needs('location'), (qb) => qb.leftJoin('locations as l', 'l.id', 'a.location_id'))
      .$if(needs('vendor'), (qb) => qb.leftJoin('vendors as v', 'v.id', 'a.vendor_id'))
      .select(selection)
      .where(base)
      .where(inTab);
    for (const condition of options.where ?? []) q = q.where(condition);
    if (after) q = q.where(sql<boolean>`lower(a.name) >= ${after.name} and (lower(a.name) > ${after.name} or a.id > ${after.id})`);
    const results = (await q.orderBy(sql`lower(a.name)`).orderBy('a.id').limit(CHUNK).execute()) as unknown as Array<
      { packed: string } | (ExportRow & { sort_name: string })
    >;
    if (results.length === 0) return { rows: [], last: null };
    if (!unpack) {
      const rows = results as Array<ExportRow & { sort_name: string }>;
      const last = rows[rows.length - 1]!;
      return { rows, last: { name: last.sort_name, id: last.id } };
    }
    const rows = new Array<ExportRow>(results.length);
    let values: unknown[] = [];
    for (let n = 0; n < results.length; n++) {
      values = JSON.parse((results[n] as { packed: string }).packed) as unknown[];
      rows[n] = unpack(values);
    }
    return { rows, last: { name: values[fields.length] as string, id: rows[rows.length - 1]!.id } };
  };
  // The next chunk is asked for before this one is written out: on PostgreSQL the server then runs its
  // query meanwhile. A failure is handled where it is awaited, not reported as unhandled in between.
  let pending: Promise<Chunk> | null = fetchChunk(null);
  try {
    while (pending) {
      const { rows, last }: Chunk = await pending;
      pending = last && rows.length === CHUNK ? fetchChunk(last) : null;
      pending?.catch(() => undefined);
      if (rows.length === 0) return;
      if (withTags) {
        const tags = await ctx.db
          .selectFrom('asset_tags as t')
          .innerJoin('tags as g', 'g.id', 't.tag_id')
          .select(['t.asset_id', 'g.name'])
          .where(
            't.asset_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('g.name')
          .execute();
        // Grouped in one pass (in the query's tag-name order); filtering all the chunk's tags for each row was quadratic.
        const byAsset = new Map<number, string[]>();
        for (const t of tags) {
          const names = byAsset.get(t.asset_id);
          if (names) names.push(t.name);
          else byAsset.set(t.asset_id, [t.name]);
        }
        for (const r of rows) r.tags = byAsset.get(r.id)?.join(', ') ?? '';
      }
      // Written by hand rather than through csv-stringify, whose per-cell generality was a third of the time.
      let text = '';
      for (const r of rows) {
        let line = csvCell(guardCell(columns[0]!.value(r)));
        for (let i = 1; i < columns.length; i++) line += ',' + csvCell(guardCell(columns[i]!.value(r)));
        text += line + '\r\n';
      }
      options.onRows?.(rows.length);
      yield text;
    }
  } finally {
    // An export given up half-way (a closed download) lets the query it started finish first.
    await pending?.catch(() => undefined);
  }
}

/** How many assets an export with these filters writes (for its progress line). */
export async function countExport(ctx: Ctx, principal: Principal, filters: AssetListFilters): Promise<number> {
  const { base, inTab } = await assetFilter(ctx, principal, filters, new Date().toISOString().slice(0, 10));
  const row = await ctx.db
    .selectFrom('assets as a')
    .innerJoin('clients as c', 'c.id', 'a.client_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(base)
    .where(inTab)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** ITFlow's interface export: one asset's interfaces, primary first, with its 8 columns. */
export async function exportInterfacesCsv(ctx: Ctx, assetId: number): Promise<string> {
  const rows = await ctx.db
    .selectFrom('asset_interfaces as i')
    .leftJoin('networks as n', 'n.id', 'i.network_id')
    .select(['i.name', 'i.description', 'i.type', 'i.mac', 'i.ip', 'i.nat_ip', 'i.ipv6', 'n.name as network', 'i.is_primary', 'i.id'])
    .where('i.asset_id', '=', assetId)
    .orderBy('i.is_primary', 'desc')
    .orderBy('i.id')
    .execute();
  const lines = [
    ['Name', 'Description', 'Type', 'MAC', 'IP', 'NAT IP', 'IPv6', 'Network'],
    ...rows.map((r) => [r.name, r.description, r.type, r.mac, r.ip, r.nat_ip, r.ipv6, r.network].map(guardCell)),
  ];
  return stringify(lines, CSV_OPTIONS);
}
