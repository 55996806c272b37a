// Reads behind the history pages: the records events name as they are now (for links, and names of
// events written before names were kept), and the deleted assets an administrator can look back on.
import { canSeeClient, type Principal } from '../access/access.ts';
import { referencedIds, type AssetEvent } from '../history/history.ts';
import type { Ctx } from '../platform/context.ts';
import type { StoryReferences } from './asset-history-story.ts';

export async function loadStoryReferences(ctx: Ctx, principal: Principal, events: AssetEvent[]): Promise<StoryReferences> {
  const refs: StoryReferences = new Map();
  for (const [table, idSet] of referencedIds(events)) {
    const ids = [...idSet].slice(0, 1000);
    if (ids.length === 0) continue;
    const rows =
      table === 'clients'
        ? (await ctx.db.selectFrom('clients').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => ({ ...r, client_id: r.id }))
        : await ctx.db.selectFrom(table).select(['id', 'name', 'client_id']).where('id', 'in', ids).execute();
    for (const row of rows) {
      if (!canSeeClient(principal, row.client_id)) continue;
      refs.set(`${table}:${row.id}`, { name: row.name, href: `/${table}/${row.id}` });
    }
  }
  return refs;
}

export interface DeletedAsset {
  assetId: number;
  name: string;
  serial: string | null;
  clientId: number;
  clientName: string | null;
  deletedBy: string;
  deletedAt: string;
}

/** Assets deleted for good, newest first (an administrator's view: every client). */
export async function listDeletedAssets(
  ctx: Ctx,
  principal: Principal,
  options: { page: number; pageSize: number },
): Promise<{ rows: DeletedAsset[]; total: number }> {
  const { n } = await ctx.db
    .selectFrom('asset_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('action', '=', 'deleted')
    .executeTakeFirstOrThrow();
  const rows = await ctx.db
    .selectFrom('asset_events as e')
    .leftJoin('clients as c', 'c.id', 'e.client_id')
    .where('e.action', '=', 'deleted')
    .select(['e.asset_id', 'e.asset_name', 'e.client_id', 'c.name as client_name', 'e.actor_name', 'e.created_at', 'e.details'])
    .orderBy('e.id', 'desc')
    .limit(options.pageSize)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return {
    total: Number(n),
    rows: rows
      .filter((r) => canSeeClient(principal, r.client_id))
      .map((r) => {
        const details = (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as { snapshot?: { asset?: { serial?: string | null } } } | null;
        return {
          assetId: r.asset_id,
          name: r.asset_name,
          serial: details?.snapshot?.asset?.serial ?? null,
          clientId: r.client_id,
          clientName: r.client_name,
          deletedBy: r.actor_name,
          deletedAt: r.created_at,
        };
      }),
  };
}
