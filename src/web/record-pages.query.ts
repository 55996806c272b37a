// The read models of the record pages (locations, contacts, vendors, networks, services, tickets): a
// client's list with its search, filters, sort and paging, and the names of the locations and contacts
// a form or a detail page offers or shows.
import { sql } from 'kysely';
import { foldedContains } from '../platform/db/fold.ts';
import type { Ctx } from '../platform/context.ts';
import type { RecordKind, RecordRow } from './record-kind.ts';

export interface RecordListQuery {
  clientId: number;
  q: string;
  archived: boolean;
  desc: boolean;
  page: number;
  pageSize: number;
  /** Column → value, already checked against the kind's choice fields. */
  filters: { column: string; value: string | number }[];
}

export async function listRecords(ctx: Ctx, kind: RecordKind, query: RecordListQuery): Promise<{ rows: RecordRow[]; total: number }> {
  const nameColumn = kind.nameColumn ?? 'name';
  let rows = ctx.db
    .selectFrom(kind.table)
    .where('client_id', '=', query.clientId)
    .where('archived_at', query.archived ? 'is not' : 'is', null);
  if (query.q) {
    // The name and every listed column, ignoring case and accents ("cafe" finds "Café").
    const columns = [nameColumn, ...kind.listColumns.map((c) => c.column)];
    rows = rows.where(
      sql<boolean>`(${sql.join(
        columns.map((c) => foldedContains(ctx.dialect, sql`cast(${sql.ref(c)} as text)`, query.q)),
        sql` or `,
      )})`,
    );
  }
  for (const f of query.filters) rows = rows.where(sql.ref(f.column), '=', f.value);
  const { n } = await rows.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const list = (await rows
    .selectAll()
    .orderBy(sql`lower(${sql.ref(nameColumn)})`, query.desc ? 'desc' : 'asc')
    .orderBy('id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute()) as RecordRow[];
  for (const r of list) r.name = String(r[nameColumn]);
  return { rows: list, total: Number(n) };
}

/** The client's active locations and contacts, for the kind's fields that point at one. */
export async function referenceChoices(ctx: Ctx, kind: RecordKind, clientId: number) {
  const of = (table: 'locations' | 'contacts', wanted: boolean) =>
    wanted
      ? ctx.db.selectFrom(table).select(['id', 'name']).where('client_id', '=', clientId).where('archived_at', 'is', null).orderBy('name').execute()
      : Promise.resolve([]);
  const [location, contact] = await Promise.all([
    of(
      'locations',
      kind.fields.some((f) => f.kind === 'location'),
    ),
    of(
      'contacts',
      kind.fields.some((f) => f.kind === 'contact'),
    ),
  ]);
  return { location, contact };
}

/** The names of the location and contact a record points at, by field name. */
export async function referenceNames(ctx: Ctx, kind: RecordKind, record: RecordRow): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const f of kind.fields) {
    if (f.kind !== 'location' && f.kind !== 'contact') continue;
    const id = record[f.column] as number | null;
    const row = id
      ? await ctx.db
          .selectFrom(f.kind === 'location' ? 'locations' : 'contacts')
          .select('name')
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    out[f.name] = row?.name ?? null;
  }
  return out;
}
