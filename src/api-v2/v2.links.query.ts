// The assets linked to services and tickets, read for a page of them at once (their `asset_ids`).
// The caller has already read the services or tickets, so their client and module are checked.
import type { Ctx } from '../platform/context.ts';

/** Each record's linked asset ids, in ascending order; records without links are absent. */
export async function linkedAssetIds(ctx: Ctx, kind: 'service' | 'ticket', ids: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (ids.length === 0) return out;
  const rows =
    kind === 'service'
      ? await ctx.db.selectFrom('service_assets').select(['service_id as owner', 'asset_id']).where('service_id', 'in', ids).orderBy('asset_id').execute()
      : await ctx.db.selectFrom('ticket_assets').select(['ticket_id as owner', 'asset_id']).where('ticket_id', 'in', ids).orderBy('asset_id').execute();
  for (const r of rows) {
    const list = out.get(r.owner) ?? [];
    list.push(r.asset_id);
    out.set(r.owner, list);
  }
  return out;
}
