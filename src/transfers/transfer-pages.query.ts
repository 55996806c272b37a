// What the transfer page reads besides the plan (transfer.service.ts): the clients it offers as targets.
import { canSeeClient } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';

/** The active clients by name that the acting user sees (all of them for the system): the target choices. */
export async function transferTargets(ctx: Ctx): Promise<Array<{ id: number; name: string }>> {
  const rows = await ctx.db.selectFrom('clients').select(['id', 'name']).where('archived_at', 'is', null).orderBy('name').execute();
  const principal = ctx.principal;
  return principal ? rows.filter((c) => canSeeClient(principal, c.id)) : rows;
}
