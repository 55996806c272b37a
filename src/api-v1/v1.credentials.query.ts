// The read of /api/v1/credentials: a page of logins or one by id, as stored (the secrets still
// encrypted; revealing them is the login service's). It checks the acting user (ctx.principal) itself:
// the credential module at read level, and only the clients they may see; a login of a client they may
// not see is found exactly as a missing one is, that is not at all.
import { clientScopeFilter } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { readableScope, type V1Page } from './v1.records.query.ts';

export interface V1CredentialsQuery {
  /** Only this client's logins. */
  clientId: number | null;
  /** One login by id (not paged), or a page of them. */
  id: number | null;
  page: V1Page | null;
}

/** The logins read, every column, in id order, of the clients the acting user sees. */
export async function readV1Credentials(ctx: Ctx, query: V1CredentialsQuery) {
  const scope = readableScope(ctx, 'credential');
  let q = ctx.db.selectFrom('logins').selectAll().where(clientScopeFilter(scope, 'client_id'));
  if (query.clientId !== null) q = q.where('client_id', '=', query.clientId);
  if (query.id !== null) q = q.where('id', '=', query.id);
  if (query.page) q = q.limit(query.page.limit).offset(query.page.offset);
  return q.orderBy('id').execute();
}
