// The client list page's read model: the clients the acting user sees (ctx.principal's client scope),
// archived ones or the others, with a name search, paging and each client's count of active assets.
import { sql } from 'kysely';
import { authorize, clientScope, clientScopeFilter, LEVELS } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';

export interface ClientListQuery {
  /** Matched, ignoring case and accents, in the name. */
  q: string;
  archived: boolean;
  page: number;
  pageSize: number;
}

export interface ClientListRow {
  id: number;
  name: string;
  type: string | null;
  website: string | null;
  assets: number;
  archived: boolean;
}

/** One page of the clients by name, and how many match in all; reading them needs the client module. */
export async function listClients(ctx: Ctx, query: ClientListQuery): Promise<{ rows: ClientListRow[]; total: number }> {
  if (ctx.principal) authorize(ctx.principal, 'client', LEVELS.read);
  let rows = ctx.db
    .selectFrom('clients as c')
    .select([
      'c.id',
      'c.name',
      'c.type',
      'c.website',
      'c.archived_at',
      (eb) =>
        eb
          .selectFrom('assets as a')
          .whereRef('a.client_id', '=', 'c.id')
          .where('a.archived_at', 'is', null)
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('assets'),
    ])
    .where('c.archived_at', query.archived ? 'is not' : 'is', null);
  if (ctx.principal) rows = rows.where(clientScopeFilter(clientScope(ctx.principal), 'c.id'));
  if (query.q) rows = rows.where(foldedContains(ctx.dialect, sql.ref('c.name'), query.q));
  const { n } = await rows
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const list = await rows
    .orderBy(sql`lower(c.name)`)
    .orderBy('c.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    rows: list.map((r) => ({ id: r.id, name: r.name, type: r.type, website: r.website, assets: Number(r.assets ?? 0), archived: r.archived_at !== null })),
    total: Number(n),
  };
}
