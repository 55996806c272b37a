// The reads of /api/v1 for the records around assets (clients, locations, contacts, vendors, networks),
// and the lookup every v1 write of an existing record makes. Each read checks the acting user
// (ctx.principal) itself: the module at read level, and only the clients they may see; a record of a
// client they may not see is found exactly as a missing one is, that is not at all.
import { sql } from 'kysely';
import { authorize, type ClientScope, clientScope, clientScopeFilter, type Level, type Module } from '../access/access.ts';
import { loadRecordFor } from '../access/record-access.ts';
import type { Database } from '../database.ts';
import type { Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';

/**
 * The clients the acting user may read a module's records of, once they may read the module at all
 * (else ForbiddenError). The system acting for itself reads every client.
 */
export function readableScope(ctx: Ctx, module: Module): ClientScope {
  if (!ctx.principal) return { kind: 'all' };
  authorize(ctx.principal, module, 1);
  return clientScope(ctx.principal);
}

/** A page of a list: `limit` rows after the first `offset`. */
export interface V1Page {
  limit: number;
  offset: number;
}

type RecordTable = 'clients' | 'locations' | 'contacts' | 'vendors' | 'networks';

export interface V1RecordsQuery {
  /** Only this client's records (not for clients, whose own id is a match). */
  clientId: number | null;
  /** One record by id, or those whose text columns (any of them) equal a value, ignoring case. */
  match: { id: number } | { columns: string[]; text: string } | null;
  /** Absent for a match by id, which ITFlow does not page. */
  page: V1Page | null;
}

/** The rows of a v1 records read in id order, every column, of the clients the acting user sees. */
export async function readV1Records(ctx: Ctx, table: RecordTable, module: Module, query: V1RecordsQuery): Promise<Array<Record<string, unknown>>> {
  const scope = readableScope(ctx, module);
  let q = ctx.db
    .selectFrom(table as keyof Database & RecordTable)
    .selectAll()
    .where(clientScopeFilter(scope, table === 'clients' ? 'id' : 'client_id'));
  if (table !== 'clients' && query.clientId !== null) q = q.where('client_id', '=', query.clientId);
  const { match } = query;
  if (match && 'id' in match) q = q.where('id', '=', match.id);
  else if (match) q = q.where((eb) => eb.or(match.columns.map((c) => eb(sql`lower(${sql.ref(c)})`, '=', match.text))));
  if (query.page) q = q.limit(query.page.limit).offset(query.page.offset);
  return (await q.orderBy('id').execute()) as Array<Record<string, unknown>>;
}

/**
 * A client's record named together with its client, for a v1 write: the record when it exists in that
 * client and the acting user may act on it at `level` (through the loader every entry point uses), else
 * null, so that a missing record, another client's and a hidden client's answer alike. A database
 * failure stays one.
 */
export async function v1RecordOfClient(
  ctx: Ctx,
  table: 'contacts' | 'vendors' | 'networks' | 'logins' | 'tickets',
  module: Module,
  level: Exclude<Level, 0>,
  entity: string,
  id: number,
  clientId: number,
): Promise<{ id: number; clientId: number } | null> {
  try {
    const row = await loadRecordFor(ctx, table, module, level, entity, id);
    return row.client_id === clientId ? { id, clientId } : null;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
