// The reads of /api/v2/clients: a page of clients with its filters, and one client, both limited to
// the clients the call may see and to its level of the client module. Clients are not a client's
// records (they have no client_id), so they do not go through v2.records.query.ts.
import { sql, type SqlBool } from 'kysely';
import { authorize, clientScope, clientScopeFilter } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { V2Call } from './v2.call.ts';
import { applyPage, filterConditions, pageRows, type ListFields } from './v2.list.ts';
import { archivedCondition } from './v2.records.query.ts';
import type { ListRequest } from './v2.resource.ts';

export type ClientRow = Record<string, unknown> & { id: number; name: string };

const SEARCHED = ['name', 'type', 'website', 'notes'];

export async function listClients(fields: ListFields, { call, query, page }: ListRequest): Promise<{ rows: ClientRow[]; cursor: string | null }> {
  const { ctx, principal } = call;
  authorize(principal, 'client', 1);
  let q = ctx.db
    .selectFrom('clients')
    .selectAll('clients')
    .where(clientScopeFilter(clientScope(principal), 'clients.id'))
    .where(archivedCondition('clients', query.archived));
  for (const condition of filterConditions(ctx.dialect, fields, query)) q = q.where(condition);
  if (typeof query.updated_since === 'string')
    q = q.where(sql<SqlBool>`coalesce(${sql.ref('clients.updated_at')}, ${sql.ref('clients.created_at')}) >= ${query.updated_since}`);
  if (typeof query.q === 'string' && query.q.trim()) {
    const term = query.q.trim();
    q = q.where(
      sql<SqlBool>`(${sql.join(
        SEARCHED.map((c) => foldedContains(ctx.dialect, sql.ref(`clients.${c}`), term)),
        sql` or `,
      )})`,
    );
  }
  const rows = (await applyPage(q, page, 'clients.id').execute()) as unknown as ClientRow[];
  return pageRows(rows, page, (r) => r.id);
}

/** One client (or "not found", also for one the call may not see), at the client module's read level. */
export async function readClient(call: V2Call, ctx: Ctx, id: number): Promise<ClientRow> {
  const row = await ctx.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('client', id);
  authorize(call.principal, 'client', 1, { clientId: row.id, entity: 'client', id });
  return row as unknown as ClientRow;
}
