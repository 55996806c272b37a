// The reads of v2's client-owned records (locations, contacts, vendors, networks, services, tickets,
// logins): a page of a list with its filters, and one record, both within the clients and at the module
// level the call may use. One query for all of them: they share their shape (id, client_id, times).
import { sql, type SqlBool } from 'kysely';
import { authorize, clientScope, clientScopeFilter, type Module } from '../access/access.ts';
import { loadRecordFor } from '../access/record-access.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import type { V2Call } from './v2.call.ts';
import { applyPage, filterConditions, pageRows, type ListFields } from './v2.list.ts';
import type { ListRequest } from './v2.resource.ts';

export type ClientRecordTable = 'contacts' | 'locations' | 'vendors' | 'networks' | 'logins' | 'services' | 'tickets';
export type RecordRow = Record<string, unknown> & { id: number; client_id: number };

export interface RecordReads {
  table: ClientRecordTable;
  entity: string;
  module: Module;
  fields: ListFields;
  /** Columns `q` searches (contains, case- and accent-insensitive). */
  searched: string[];
  /** Columns never read (secrets). */
  hidden?: string[];
}

/** Records archive by archived_at; `archived` chooses active (default), archived, or all. */
export function archivedCondition(table: string, archived: unknown) {
  if (archived === 'all') return sql<SqlBool>`1 = 1`;
  return archived === 'true' ? sql<SqlBool>`${sql.ref(`${table}.archived_at`)} is not null` : sql<SqlBool>`${sql.ref(`${table}.archived_at`)} is null`;
}

export async function listRecords(reads: RecordReads, { call, query, page }: ListRequest): Promise<{ rows: RecordRow[]; cursor: string | null }> {
  const { ctx, principal } = call;
  authorize(principal, reads.module, 1);
  const t = reads.table;
  // biome-ignore lint/suspicious/noExplicitAny: one query over several tables of the same shape
  let q = (ctx.db as any)
    .selectFrom(t)
    .selectAll(t)
    .where(clientScopeFilter(clientScope(principal), `${t}.client_id`))
    .where(archivedCondition(t, query.archived));
  for (const condition of filterConditions(ctx.dialect, reads.fields, query)) q = q.where(condition);
  if (typeof query.updated_since === 'string')
    q = q.where(sql<SqlBool>`coalesce(${sql.ref(`${t}.updated_at`)}, ${sql.ref(`${t}.created_at`)}) >= ${query.updated_since}`);
  if (typeof query.q === 'string' && query.q.trim()) {
    const term = query.q.trim();
    q = q.where(
      sql<SqlBool>`(${sql.join(
        reads.searched.map((c) => foldedContains(ctx.dialect, sql.ref(`${t}.${c}`), term)),
        sql` or `,
      )})`,
    );
  }
  const rows = (await applyPage(q, page, `${t}.id`).execute()) as RecordRow[];
  const out = pageRows(rows, page, (r) => r.id);
  return { rows: out.rows.map((r) => withoutHidden(reads, r)), cursor: out.cursor };
}

export async function readRecord(reads: RecordReads, call: V2Call, ctx: Ctx, id: number): Promise<RecordRow> {
  const row = (await loadRecordFor({ ...ctx, principal: call.principal }, reads.table, reads.module, 1, reads.entity, id)) as unknown as RecordRow;
  return withoutHidden(reads, row);
}

function withoutHidden(reads: RecordReads, row: RecordRow): RecordRow {
  if (!reads.hidden) return row;
  const copy = { ...row };
  for (const c of reads.hidden) delete copy[c];
  return copy;
}
