// Checks shared by every client-owned record: the client must exist (and be active to add to it),
// and references to other records must stay within the same client.
import type { Ctx } from './context.ts';
import type { IssueList } from './errors.ts';
import { optionalId, type Raw } from './fields.ts';

export async function requireActiveClient(ctx: Ctx, issues: IssueList, raw: Raw, field = 'clientId'): Promise<number | null> {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0') {
    issues.add(field, 'required', 'is required');
    return null;
  }
  const id = optionalId(issues, field, raw);
  if (id === null) return null;
  const client = await ctx.db.selectFrom('clients').select(['id', 'archived_at']).where('id', '=', id).executeTakeFirst();
  if (!client) {
    issues.add(field, 'not_found', `client ${id} does not exist`);
    return null;
  }
  if (client.archived_at) {
    issues.add(field, 'archived', `client ${id} is archived; restore it first`);
    return null;
  }
  return id;
}

type ClientOwned = 'locations' | 'contacts' | 'vendors' | 'networks' | 'assets' | 'logins' | 'services' | 'tickets';

/** An optional reference to another record, which must exist in the same client. */
export async function sameClientRef(
  ctx: Ctx,
  issues: IssueList,
  field: string,
  raw: Raw,
  table: ClientOwned,
  label: string,
  clientId: number | null,
): Promise<number | null> {
  const id = optionalId(issues, field, raw);
  if (id === null || clientId === null) return id;
  const row = await ctx.db.selectFrom(table).select('id').where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) issues.add(field, 'not_found', `${label} ${id} does not exist for this client`);
  return id;
}
