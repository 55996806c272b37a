// The daily warranty alert job: for each active asset of an active client whose warranty ends within
// 45 days, a notification for every user who may see that client, at 45, 7 and 1 days before. A day
// the job did not run is caught up by the next run with the alert due by then (one that has been
// overtaken is not sent late: 3 days before the end, the 7-day alert is due, not the 45-day one). The
// notifications table's unique key means a run, a rerun or a restart never repeats an alert.
//
// A warranty that ended with no alert sent (a first start on a large register, days the job did not
// run) is not told asset by asset: each user gets one digest a day counting them ("312 warranties
// ended before today across 4 clients"), linking to the list of expired warranties. A digest counts
// what ended since the user's previous digest, so each missed end is told once.
import { sql } from 'kysely';
import { canSeeClient, clientScope, clientScopeFilter, loadPrincipal, type Principal } from '../access/access.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { addDays } from '../platform/dates.ts';

export const ALERT_DAYS = [45, 7, 1] as const;

export interface AlertRun {
  /** Assets whose warranty ends within 45 days. */
  assets: number;
  /** Notifications written by this run (not counting those that already existed). */
  created: number;
  /** Of these, digests of warranties that ended with no alert (at most one per user and day). */
  digests: number;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The alert due for a warranty ending in `daysLeft` days (0 = today): the nearest one not yet passed. */
export function alertDue(daysLeft: number): number | null {
  if (daysLeft < 0 || daysLeft > ALERT_DAYS[0]) return null;
  return [...ALERT_DAYS].reverse().find((d) => d >= Math.max(daysLeft, 1)) ?? null;
}

export async function runWarrantyAlerts(ctx: Ctx, today: string): Promise<AlertRun> {
  const users = await ctx.db.selectFrom('users').select('id').where('status', '=', 'active').where('archived_at', 'is', null).execute();
  const principals = (await Promise.all(users.map((u) => loadPrincipal(ctx, u.id)))).filter((p): p is Principal => p !== null && p.levels.support >= 1);
  const upcoming = await alertUpcoming(ctx, today, principals);
  let digests = 0;
  for (const p of principals) digests += await digestMissed(ctx, today, p);
  return { assets: upcoming.assets, created: upcoming.created + digests, digests };
}

/** The alerts at 45, 7 and 1 days before a warranty ends. */
async function alertUpcoming(ctx: Ctx, today: string, principals: Principal[]): Promise<{ assets: number; created: number }> {
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

/** Where a digest leads: the asset list, expired warranties only. */
export const EXPIRED_WARRANTIES_HREF = '/assets?warranty=expired';

/**
 * The user's digest for today, if warranties they may see ended with no alert to them: before today
 * the first time, since their previous digest after that. One statement counts them (however many
 * there are); the digests' own unique index keeps it to one a day when servers run the job together.
 * Returns 1 if it wrote one.
 */
async function digestMissed(ctx: Ctx, today: string, principal: Principal): Promise<number> {
  const previous = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('due_date').as('day'))
    .where('user_id', '=', principal.userId)
    .where('kind', '=', 'warranty_digest')
    .executeTakeFirst();
  const since = previous?.day ? String(previous.day).slice(0, 10) : null;
  if (since !== null && since >= today) return 0;
  let q = ctx.db
    .selectFrom('assets as a')
    .innerJoin('clients as c', 'c.id', 'a.client_id')
    .where('a.archived_at', 'is', null)
    .where('c.archived_at', 'is', null)
    .where('a.warranty_expire', '<', today)
    .where(clientScopeFilter(clientScope(principal), 'a.client_id'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notifications as n')
            .select(sql`1`.as('one'))
            .where('n.user_id', '=', principal.userId)
            .whereRef('n.asset_id', '=', 'a.id')
            .where('n.kind', '=', 'warranty')
            .whereRef('n.due_date', '=', 'a.warranty_expire'),
        ),
      ),
    );
  if (since !== null) q = q.where('a.warranty_expire', '>=', since);
  const found = await q
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('a.client_id').distinct().as('clients')])
    .executeTakeFirstOrThrow();
  const count = Number(found.n);
  if (count === 0) return 0;
  const result = await ctx.db
    .insertInto('notifications')
    .values({
      user_id: principal.userId,
      client_id: null,
      asset_id: null,
      kind: 'warranty_digest',
      days_before: null,
      due_date: today,
      title: digestTitle(count, Number(found.clients), since),
      created_at: nowIso(ctx),
      read_at: null,
      dismissed_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export function digestTitle(count: number, clients: number, since: string | null): string {
  const warranties = count === 1 ? '1 warranty' : `${count} warranties`;
  const across = clients === 1 ? '1 client' : `${clients} clients`;
  return since === null ? `${warranties} ended before today across ${across}` : `${warranties} ended since ${since} with no alert, across ${across}`;
}
