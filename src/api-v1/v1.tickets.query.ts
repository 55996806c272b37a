// The read of /api/v1/tickets: a page of tickets or one by id, with the first of each ticket's linked
// assets (ITFlow keeps one asset per ticket). It checks the acting user (ctx.principal) itself: the
// support module at read level, and only the clients they may see; a ticket of a client they may not see
// is found exactly as a missing one is, that is not at all.
import { clientScopeFilter } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { readableScope, type V1Page } from './v1.records.query.ts';

export interface V1TicketRecord {
  id: number;
  number: number;
  subject: string;
  details: string | null;
  priority: string | null;
  status: string;
  client_id: number;
  contact_id: number | null;
  assignee_user_id: number | null;
  created_by_user_id: number | null;
  created_at: string;
  updated_at: string | null;
  archived_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  first_asset_id: number | string | null;
}

export interface V1TicketsQuery {
  /** Only this client's tickets. */
  clientId: number | null;
  /** One ticket by id (not paged), or a page of them. */
  id: number | null;
  page: V1Page | null;
}

/** The tickets read, in id order, of the clients the acting user sees. */
export async function readV1Tickets(ctx: Ctx, query: V1TicketsQuery): Promise<V1TicketRecord[]> {
  const scope = readableScope(ctx, 'support');
  let q = ctx.db
    .selectFrom('tickets')
    .selectAll('tickets')
    // ITFlow's single ticket_asset_id: the first of the ticket's linked assets.
    .select((eb) =>
      eb
        .selectFrom('ticket_assets')
        .select((e) => e.fn.min('ticket_assets.asset_id').as('a'))
        .whereRef('ticket_assets.ticket_id', '=', 'tickets.id')
        .as('first_asset_id'),
    )
    .where(clientScopeFilter(scope, 'tickets.client_id'));
  if (query.clientId !== null) q = q.where('tickets.client_id', '=', query.clientId);
  if (query.id !== null) q = q.where('tickets.id', '=', query.id);
  if (query.page) q = q.limit(query.page.limit).offset(query.page.offset);
  return (await q.orderBy('tickets.id').execute()) as V1TicketRecord[];
}
