// The asset list as the web UI shows it: one page of rows with the names they point at, the total,
// and a count per type tab, all within the clients the user may see.
import { addDays } from '../platform/dates.ts';
import { sql, type ExpressionBuilder } from 'kysely';
import { clientScope, clientScopeFilter, type Principal } from '../access/access.ts';
import type { Database } from '../database.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { searchAssetIds } from './asset.repository.ts';
import type { Asset } from './asset.ts';
import type { TagRef } from '../tags/tag-chip.tsx';
import { tagsOfAssets } from '../tags/tag.service.ts';

/** ITFlow's type tabs; "other" is every type the named tabs leave out. */
import { TYPE_TABS, type TabKey } from './asset-tabs.ts';

export { TYPE_TABS, type TabKey } from './asset-tabs.ts';
const NAMED_TYPES = Object.values(TYPE_TABS)
  .flatMap((t) => t.types ?? [])
  .map((t) => t.toLowerCase());

/** Every column the list can sort by, with its heading; empty values sort last either way. */
export const SORTS = {
  name: 'Name',
  type: 'Type',
  make_model: 'Make / model',
  serial: 'Serial',
  os: 'Operating system',
  ip: 'IP',
  mac: 'MAC',
  status: 'Status',
  contact: 'Assigned to',
  location: 'Location',
  warranty: 'Warranty',
  client: 'Client',
  updated: 'Last change',
} as const;
export type SortKey = keyof typeof SORTS;

export const PAGE_SIZES = [25, 50, 100, 250] as const;
/** The most search matches a list considers; the page says so when a search hits it. */
export const SEARCH_CAP = 2_000;

export const WARRANTY_FILTERS = {
  expired: 'Expired',
  '7': 'Ends within 7 days',
  '30': 'Ends within 30 days',
  '45': 'Ends within 45 days',
  '60': 'Ends within 60 days',
  '90': 'Ends within 90 days',
} as const;
export type WarrantyFilter = keyof typeof WARRANTY_FILTERS;

export interface AssetListFilters {
  clientId: number | null;
  locationId: number | null;
  tagId: number | null;
  warranty: WarrantyFilter | null;
  favorites: boolean;
  q: string;
  tab: TabKey;
  archived: boolean;
  status: string | null;
  sort: SortKey;
  desc: boolean;
  page: number;
  pageSize: number;
}

/** No filter: every active asset of every client the user sees, by name, the first page. */
export const ALL_ASSETS: Readonly<AssetListFilters> = {
  clientId: null,
  locationId: null,
  tagId: null,
  warranty: null,
  favorites: false,
  q: '',
  tab: 'all',
  archived: false,
  status: null,
  sort: 'name',
  desc: false,
  page: 1,
  pageSize: 50,
};

/** A row of the list: the asset's own fields it shows, its primary addresses and the names it points at. */
export interface AssetListRow
  extends Pick<Asset, 'id' | 'name' | 'type' | 'make' | 'model' | 'serial' | 'os' | 'status' | 'warrantyExpire' | 'favorite' | 'archivedAt' | 'clientId'> {
  ip: string | null;
  mac: string | null;
  clientName: string;
  locationName: string | null;
  contactName: string | null;
  /** Its tags with their colours, by name. */
  tags: TagRef[];
}

export interface AssetListPage {
  rows: AssetListRow[];
  total: number;
  tabCounts: Record<TabKey, number>;
  searchCapped: boolean;
}

type Eb = ExpressionBuilder<Database & { a: Database['assets'] }, 'a'>;

/**
 * The list's filters as a where clause (scope, client, archived, status, location, favorites, tag,
 * warranty, search; the type tab separately): shared by the list page and the CSV export.
 */
export async function assetFilter(ctx: Ctx, principal: Principal, f: AssetListFilters, today: string) {
  const scope = clientScope(principal);
  const searchIds = f.q.trim() ? await assetSearchIds(ctx, principal, f.q, f.clientId) : null;
  const base = (eb: Eb) => {
    const parts = [clientScopeFilter(scope, 'a.client_id'), eb('a.archived_at', f.archived ? 'is not' : 'is', null)];
    if (f.clientId !== null) parts.push(eb('a.client_id', '=', f.clientId));
    if (f.status) parts.push(eb('a.status', '=', f.status));
    if (f.locationId !== null) parts.push(eb('a.location_id', '=', f.locationId));
    if (f.favorites) parts.push(eb('a.favorite', '=', sql.lit(true)));
    if (f.tagId !== null) parts.push(eb('a.id', 'in', eb.selectFrom('asset_tags').select('asset_id').where('tag_id', '=', f.tagId)));
    if (f.warranty === 'expired') parts.push(eb('a.warranty_expire', '<', today));
    else if (f.warranty) parts.push(eb.and([eb('a.warranty_expire', '>=', today), eb('a.warranty_expire', '<=', addDays(today, Number(f.warranty)))]));
    if (searchIds) parts.push(searchIds.length ? eb('a.id', 'in', searchIds) : sql<boolean>`1 = 0`);
    return eb.and(parts);
  };
  const tabTypes = TYPE_TABS[f.tab].types;
  const inTab = (eb: Eb) =>
    f.tab === 'all'
      ? sql<boolean>`1 = 1`
      : f.tab === 'other'
        ? eb.or([eb('a.type', 'is', null), eb(sql`lower(a.type)`, 'not in', NAMED_TYPES)])
        : eb(
            sql`lower(a.type)`,
            'in',
            tabTypes!.map((t) => t.toLowerCase()),
          );
  return { base, inTab, searchCapped: searchIds !== null && searchIds.length >= SEARCH_CAP };
}

export async function listAssetPage(
  ctx: Ctx,
  principal: Principal,
  f: AssetListFilters,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<AssetListPage> {
  const { base, inTab, searchCapped } = await assetFilter(ctx, principal, f, today);

  const counts = await ctx.db
    .selectFrom('assets as a')
    .select([sql<string | null>`lower(a.type)`.as('type'), (eb) => eb.fn.countAll<number>().as('n')])
    .where(base)
    .groupBy(sql`lower(a.type)`)
    .execute();
  const tabCounts = Object.fromEntries(Object.keys(TYPE_TABS).map((k) => [k, 0])) as Record<TabKey, number>;
  for (const { type, n } of counts) {
    const count = Number(n);
    tabCounts.all += count;
    const tab = (Object.keys(TYPE_TABS) as TabKey[]).find((k) => TYPE_TABS[k].types?.some((t) => t.toLowerCase() === type));
    tabCounts[tab ?? 'other'] += count;
  }

  const direction = f.desc ? 'desc' : 'asc';
  // Text is compared without case, and an empty text counts as no value: those rows come last in
  // both directions (SQLite puts nulls first ascending, PostgreSQL last, so neither is left to decide).
  const text = (column: string) => sql`nullif(lower(${sql.ref(column)}), '')`;
  const order = {
    name: text('a.name'),
    type: text('a.type'),
    make_model: sql`nullif(trim(lower(coalesce(a.make, '') || ' ' || coalesce(a.model, ''))), '')`,
    serial: text('a.serial'),
    os: text('a.os'),
    ip: text('i.ip'),
    mac: text('i.mac'),
    status: text('a.status'),
    contact: text('ct.name'),
    location: text('l.name'),
    warranty: sql`a.warranty_expire`,
    client: text('c.name'),
    updated: sql`coalesce(a.updated_at, a.created_at)`,
  }[f.sort];
  const rows = await ctx.db
    .selectFrom('assets as a')
    .innerJoin('clients as c', 'c.id', 'a.client_id')
    .leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true)))
    .leftJoin('locations as l', 'l.id', 'a.location_id')
    .leftJoin('contacts as ct', 'ct.id', 'a.contact_id')
    .select([
      'a.id',
      'a.name',
      'a.type',
      'a.make',
      'a.model',
      'a.serial',
      'a.os',
      'a.status',
      'a.warranty_expire',
      'a.favorite',
      'a.archived_at',
      'a.client_id',
      'c.name as client_name',
      'i.ip',
      'i.mac',
      'l.name as location_name',
      'ct.name as contact_name',
    ])
    .where(base)
    .where(inTab)
    .orderBy(sql`case when ${order} is null then 1 else 0 end`)
    .orderBy(order, direction)
    .orderBy('a.id', direction)
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const tags = await tagsOfAssets(
    ctx,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      make: r.make,
      model: r.model,
      serial: r.serial,
      os: r.os,
      status: r.status,
      ip: r.ip,
      mac: r.mac,
      warrantyExpire: r.warranty_expire,
      favorite: Boolean(r.favorite),
      archivedAt: r.archived_at,
      clientId: r.client_id,
      clientName: r.client_name,
      locationName: r.location_name,
      contactName: r.contact_name,
      tags: tags.get(r.id) ?? [],
    })),
    total: tabCounts[f.tab],
    tabCounts,
    searchCapped,
  };
}

/**
 * The ids of the assets the search box finds for `q` (their own text, addresses included, or the name
 * of their contact, location, client or a tag), within the principal's clients (or the one given); at
 * most SEARCH_CAP of them. The asset list, its export and API v2's `q` share it.
 */
export async function assetSearchIds(ctx: Ctx, principal: Principal, q: string, clientId: number | null): Promise<number[]> {
  const scope = clientScope(principal);
  const clientIds = clientId !== null ? [clientId] : scope.kind === 'all' ? null : await visibleClientIds(ctx, principal);
  const [own, byNames] = await Promise.all([searchAssetIds(ctx, q, clientIds, SEARCH_CAP), assetIdsByRelatedNames(ctx, q, clientIds)]);
  return [...new Set([...own, ...byNames])].slice(0, SEARCH_CAP);
}

/**
 * Assets whose contact, location, client or a tag has a name containing the term. Those tables are
 * small, so their matching ids are found first and the assets then reached through their indexes.
 */
async function assetIdsByRelatedNames(ctx: Ctx, term: string, clientIds: number[] | null): Promise<number[]> {
  const needle = term.trim();
  if (needle.length < 2) return [];
  // Case- and accent-insensitive: "muller" finds the contact "Müller".
  const like = (column: string) => foldedContains(ctx.dialect, sql.ref(column), needle);
  const ids = async (table: 'contacts' | 'locations' | 'clients' | 'tags') => {
    let q = ctx.db.selectFrom(table).select('id').where(like('name'));
    if (clientIds && table !== 'tags') q = q.where(table === 'clients' ? 'id' : 'client_id', 'in', clientIds.length ? clientIds : [0]);
    return (await q.limit(500).execute()).map((r) => r.id);
  };
  const [contacts, locations, clients, tags] = await Promise.all([ids('contacts'), ids('locations'), ids('clients'), ids('tags')]);
  if (!contacts.length && !locations.length && !clients.length && !tags.length) return [];
  let q = ctx.db
    .selectFrom('assets as a')
    .select('a.id')
    .where((eb) =>
      eb.or([
        ...(contacts.length ? [eb('a.contact_id', 'in', contacts)] : []),
        ...(locations.length ? [eb('a.location_id', 'in', locations)] : []),
        ...(clients.length ? [eb('a.client_id', 'in', clients)] : []),
        ...(tags.length ? [eb('a.id', 'in', eb.selectFrom('asset_tags').select('asset_id').where('tag_id', 'in', tags))] : []),
      ]),
    );
  if (clientIds) q = q.where('a.client_id', 'in', clientIds.length ? clientIds : [0]);
  return (await q.limit(SEARCH_CAP).execute()).map((r) => r.id);
}

async function visibleClientIds(ctx: Ctx, principal: Principal): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('clients')
    .select('id')
    .where(clientScopeFilter(clientScope(principal), 'id'))
    .execute();
  return rows.map((r) => r.id);
}
