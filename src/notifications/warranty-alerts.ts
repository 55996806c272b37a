// The daily warranty alert job: for each active asset of an active client whose warranty ends within
// 45 days, a notification for every user who may see that client, at 45, 7 and 1 days before. A day
// the job did not run is caught up by the next run with the alert due by then (one that has been
// overtaken is not sent late: 3 days before the end, the 7-day alert is due, not the 45-day one). The
// notifications table's unique key means a run, a rerun or a restart never repeats an alert.
import { canSeeClient, loadPrincipal, type Principal } from '../access/access.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { addDays } from '../platform/dates.ts';

export const ALERT_DAYS = [45, 7, 1] as const;

export interface AlertRun {
  /** Assets whose warranty ends within 45 days. */
  assets: number;
  /** Notifications written by this run (not counting those that already existed). */
  created: number;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The alert due for a warranty ending in `daysLeft` days (0 = today): the nearest one not yet passed. */
export function alertDue(daysLeft: number): number | null {
  if (daysLeft < 0 || daysLeft > ALERT_DAYS[0]) return null;
  return [...ALERT_DAYS].reverse().find((d) => d >= Math.max(daysLeft, 1)) ?? null;
}

export async function runWarrantyAlerts(ctx: Ctx, today: string): Promise<AlertRun> {
  const assets = await ctx.db
    .selectFrom('assets as a')
    .innerJoin('clients as c', 'c.id', 'a.client_id')
    .select(['a.id', 'a.name', 'a.client_id', 'a.warranty_expire', 'c.name as client_name'])
    .where('a.archived_at', 'is', null)
    .where('c.archived_at', 'is', null)
    .where('a.warranty_expire', '>=', today)
    .where('a.warranty_expire', '<=', addDays(today, ALERT_DAYS[0]))
    .execute();
  if (assets.length === 0) return { assets: 0, created: 0 };
  const users = await ctx.db.selectFrom('users').select('id').where('status', '=', 'active').where('archived_at', 'is', null).execute();
  const principals = (await Promise.all(users.map((u) => loadPrincipal(ctx, u.id)))).filter((p): p is Principal => p !== null && p.levels.support >= 1);
  const at = nowIso(ctx);
  const rows = [];
  for (const asset of assets) {
    const due = String(asset.warranty_expire).slice(0, 10);
    const left = daysBetween(today, due);
    const days = alertDue(left);
    if (days === null) continue;
    const title = `Warranty of ${asset.name} (${asset.client_name}) ends ${left === 0 ? 'today' : left === 1 ? 'tomorrow' : `in ${left} days`}, on ${due}`;
    for (const p of principals) {
      if (!canSeeClient(p, asset.client_id)) continue;
      rows.push({
        user_id: p.userId,
        client_id: asset.client_id,
        asset_id: asset.id,
        kind: 'warranty' as const,
        days_before: days,
        due_date: due,
        title: title.slice(0, 300),
        created_at: at,
        read_at: null,
        dismissed_at: null,
      });
    }
  }
  let created = 0;
  for (let start = 0; start < rows.length; start += 500) {
    const result = await ctx.db
      .insertInto('notifications')
      .values(rows.slice(start, start + 500))
      .onConflict((oc) => oc.columns(['user_id', 'asset_id', 'kind', 'days_before', 'due_date']).doNothing())
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return { assets: assets.length, created };
}
