// The dashboard's figures for one user, over the clients that user may see: assets added this year,
// warranties ending within 30 days, the assets changed most recently, and the user's notifications.
import { clientScope, clientScopeFilter, type Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { addDays } from '../platform/dates.ts';

export interface DashboardAsset {
  id: number;
  name: string;
  clientName: string;
  note: string;
}

export interface Dashboard {
  addedThisYear: number;
  recentlyAdded: DashboardAsset[];
  warrantyEnding: DashboardAsset[];
  recentlyChanged: DashboardAsset[];
}

export const WARRANTY_DAYS = 30;

export async function loadDashboard(ctx: Ctx, principal: Principal, today: string): Promise<Dashboard> {
  const scope = clientScopeFilter(clientScope(principal), 'a.client_id');
  const assets = () => ctx.db.selectFrom('assets as a').innerJoin('clients as c', 'c.id', 'a.client_id').where('a.archived_at', 'is', null).where(scope);
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const [added, recentlyAdded, warrantyEnding, changed] = await Promise.all([
    assets()
      .where('a.created_at', '>=', yearStart)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    assets()
      .where('a.created_at', '>=', yearStart)
      .select(['a.id', 'a.name', 'c.name as clientName', 'a.created_at as at'])
      .orderBy('a.id', 'desc')
      .limit(10)
      .execute(),
    assets()
      .where('a.warranty_expire', '>=', today)
      .where('a.warranty_expire', '<=', addDays(today, WARRANTY_DAYS))
      .select(['a.id', 'a.name', 'c.name as clientName', 'a.warranty_expire as at'])
      .orderBy('a.warranty_expire')
      .orderBy('a.id')
      .limit(20)
      .execute(),
    // The newest events first, then one line per asset.
    ctx.db
      .selectFrom('asset_events as e')
      .innerJoin('assets as a', 'a.id', 'e.asset_id')
      .innerJoin('clients as c', 'c.id', 'a.client_id')
      .where(scope)
      .select(['a.id', 'a.name', 'c.name as clientName', 'e.action', 'e.actor_name', 'e.created_at as at'])
      .orderBy('e.id', 'desc')
      .limit(60)
      .execute(),
  ]);
  const seen = new Set<number>();
  const recentlyChanged: DashboardAsset[] = [];
  for (const e of changed) {
    if (seen.has(e.id) || recentlyChanged.length >= 10) continue;
    seen.add(e.id);
    recentlyChanged.push({
      id: e.id,
      name: e.name,
      clientName: e.clientName,
      note: `${e.action.replaceAll('_', ' ')} by ${e.actor_name}, ${String(e.at).slice(0, 10)}`,
    });
  }
  return {
    addedThisYear: Number(added.n),
    recentlyAdded: recentlyAdded.map((r) => ({ id: r.id, name: r.name, clientName: r.clientName, note: `added ${String(r.at).slice(0, 10)}` })),
    warrantyEnding: warrantyEnding.map((r) => ({ id: r.id, name: r.name, clientName: r.clientName, note: `warranty ends ${String(r.at).slice(0, 10)}` })),
    recentlyChanged,
  };
}
