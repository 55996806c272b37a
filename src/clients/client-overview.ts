// What a technician wants to see first about a client: how much is recorded, the starred assets, and
// what needs attention soon: warranties ending within 45 days, warranties already ended, and assets
// due for retirement (installed seven years ago or more, or reaching that within 45 days).
import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { addDays, addYears } from '../platform/dates.ts';

export const ATTENTION_DAYS = 45;
export const RETIREMENT_YEARS = 7;
const LISTED = 20;

export interface OverviewAsset {
  id: number;
  name: string;
  type: string | null;
  date: string | null;
}

export interface ClientOverview {
  counts: { assets: number; archivedAssets: number; locations: number; contacts: number; vendors: number; networks: number };
  favorites: OverviewAsset[];
  warrantyEnding: OverviewAsset[];
  warrantyExpired: OverviewAsset[];
  retirementDue: OverviewAsset[];
}

export async function clientOverview(ctx: Ctx, clientId: number, today: string): Promise<ClientOverview> {
  const active = () => ctx.db.selectFrom('assets').where('client_id', '=', clientId).where('archived_at', 'is', null);
  const count = async (table: 'locations' | 'contacts' | 'vendors' | 'networks') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .where('client_id', '=', clientId)
          .where('archived_at', 'is', null)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const list = async (q: ReturnType<typeof active>, date: 'warranty_expire' | 'install_date' | null, desc = false): Promise<OverviewAsset[]> => {
    const rows = await q
      .select(['id', 'name', 'type', ...(date ? [date] : [])] as const)
      .orderBy(date ? sql.ref(date) : sql`lower(name)`, desc ? 'desc' : 'asc')
      .orderBy('id')
      .limit(LISTED)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      date: date ? String((r as Record<string, unknown>)[date] ?? '').slice(0, 10) || null : null,
    }));
  };
  // Installed on or before this day: seven years are up within the next 45 days, or already.
  const retireBy = addYears(addDays(today, ATTENTION_DAYS), -RETIREMENT_YEARS);
  const [assets, archivedAssets, locations, contacts, vendors, networks, favorites, warrantyEnding, warrantyExpired, retirementDue] = await Promise.all([
    active()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('assets')
      .where('client_id', '=', clientId)
      .where('archived_at', 'is not', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    count('locations'),
    count('contacts'),
    count('vendors'),
    count('networks'),
    list(active().where('favorite', '=', sql.lit(true)), null),
    list(active().where('warranty_expire', '>=', today).where('warranty_expire', '<=', addDays(today, ATTENTION_DAYS)), 'warranty_expire'),
    list(active().where('warranty_expire', '<', today), 'warranty_expire', true),
    list(active().where('install_date', '<=', retireBy), 'install_date'),
  ]);
  return {
    counts: { assets: Number(assets.n), archivedAssets: Number(archivedAssets.n), locations, contacts, vendors, networks },
    favorites,
    warrantyEnding,
    warrantyExpired,
    retirementDue,
  };
}
