// The top bar's search: one term looked for in every kind of record the user may read (assets, clients,
// contacts, locations, networks, logins, tickets), within the clients they may see, each kind with its
// count and its first matches. Text matches ignore case and accents; assets are found as the asset list
// finds them (MACs in any notation, addresses with a prefix length); a network is also found by an
// address inside it, a ticket by its number.
import { BlockList, isIP } from 'node:net';
import { sql, type Expression, type SqlBool } from 'kysely';
import { clientScope, clientScopeFilter, type Module, type Principal } from '../access/access.ts';
import { ALL_ASSETS, listAssetPage } from '../assets/asset-list.query.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { addressOf } from '../platform/search-terms.ts';

export const SEARCH_KINDS = {
  assets: { heading: 'Assets', module: 'support' },
  clients: { heading: 'Clients', module: 'client' },
  contacts: { heading: 'Contacts', module: 'client' },
  locations: { heading: 'Locations', module: 'client' },
  networks: { heading: 'Networks', module: 'support' },
  logins: { heading: 'Logins', module: 'credential' },
  tickets: { heading: 'Tickets', module: 'support' },
} as const satisfies Record<string, { heading: string; module: Module }>;
export type SearchKind = keyof typeof SEARCH_KINDS;

/** How many matches of each kind the results page lists; the count covers them all. */
export const SEARCH_GROUP_SIZE = 25;
/** The longest term looked for. */
export const SEARCH_TERM_MAX = 200;

export interface SearchHit {
  id: number;
  href: string;
  name: string;
  /** A second line: an email, a CIDR, a ticket's status… */
  detail: string | null;
  clientName: string;
}

export interface SearchGroup {
  kind: SearchKind;
  heading: string;
  total: number;
  /** The count stopped at the asset search's cap: there are more. */
  capped?: boolean;
  hits: SearchHit[];
}

export interface SearchResults {
  term: string;
  /** The kinds the user may read, in SEARCH_KINDS' order, those without matches included. */
  groups: SearchGroup[];
  /** Matches of every kind together. */
  total: number;
  /**
   * The one asset found, when nothing else was: the top bar goes straight to it. Networks holding a
   * pasted IP address do not count (the asset's page shows its network).
   */
  onlyAsset: string | null;
}

/** Looks for the term in every kind the principal may read. A blank term finds nothing. */
export async function searchEverything(ctx: Ctx, principal: Principal, rawTerm: string): Promise<SearchResults> {
  const term = rawTerm.trim().slice(0, SEARCH_TERM_MAX);
  if (term === '') return { term, groups: [], total: 0, onlyAsset: null };
  const kinds = (Object.keys(SEARCH_KINDS) as SearchKind[]).filter((k) => principal.levels[SEARCH_KINDS[k].module] >= 1);
  const groups = await Promise.all(
    kinds.map(async (kind) => {
      const found = await FINDERS[kind](ctx, principal, term);
      return { kind, heading: SEARCH_KINDS[kind].heading, ...found };
    }),
  );
  const total = groups.reduce((n, g) => n + g.total, 0);
  const isAddress = isIP(addressOf(term) ?? term) !== 0;
  const others = groups.filter((g) => g.kind !== 'assets' && !(isAddress && g.kind === 'networks')).reduce((n, g) => n + g.total, 0);
  const assets = groups.find((g) => g.kind === 'assets');
  const onlyAsset = assets?.total === 1 && assets.hits.length === 1 && others === 0 ? assets.hits[0]!.href : null;
  return { term, groups, total, onlyAsset };
}

type Finder = (ctx: Ctx, principal: Principal, term: string) => Promise<{ total: number; capped?: boolean; hits: SearchHit[] }>;

const FINDERS: Record<SearchKind, Finder> = {
  async assets(ctx, principal, term) {
    const page = await listAssetPage(ctx, principal, { ...ALL_ASSETS, q: term, pageSize: SEARCH_GROUP_SIZE });
    return {
      total: page.total,
      capped: page.searchCapped,
      hits: page.rows.map((r) => ({
        id: r.id,
        href: `/assets/${r.id}`,
        name: r.name,
        detail: [r.type, r.ip, r.mac].filter(Boolean).join(' · ') || null,
        clientName: r.clientName,
      })),
    };
  },

  async clients(ctx, principal, term) {
    const base = ctx.db
      .selectFrom('clients as c')
      .where('c.archived_at', 'is', null)
      .where(clientScopeFilter(clientScope(principal), 'c.id'))
      .where(foldedContains(ctx.dialect, sql.ref('c.name'), term));
    const [{ n }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      base.select(['c.id', 'c.name', 'c.type']).orderBy(sql`lower(c.name)`).orderBy('c.id').limit(SEARCH_GROUP_SIZE).execute(),
    ]);
    return { total: Number(n), hits: rows.map((r) => ({ id: r.id, href: `/clients/${r.id}`, name: r.name, detail: r.type, clientName: r.name })) };
  },

  contacts: (ctx, principal, term) =>
    clientRecords(ctx, principal, {
      table: 'contacts',
      match: (d) => ['r.name', 'r.email', 'r.title', 'r.phone', 'r.mobile'].map((c) => foldedContains(d, sql.ref(c), term)),
      detail: sql`coalesce(r.email, r.title, r.phone)`,
      href: (id) => `/contacts/${id}`,
    }),

  locations: (ctx, principal, term) =>
    clientRecords(ctx, principal, {
      table: 'locations',
      match: (d) => ['r.name', 'r.address', 'r.city'].map((c) => foldedContains(d, sql.ref(c), term)),
      detail: sql`coalesce(r.city, r.address)`,
      href: (id) => `/locations/${id}`,
    }),

  async networks(ctx, principal, term) {
    const inside = await networkIdsContaining(ctx, principal, addressOf(term) ?? term);
    return clientRecords(ctx, principal, {
      table: 'networks',
      match: (d) => [
        ...['r.name', 'r.cidr', 'r.description'].map((c) => foldedContains(d, sql.ref(c), term)),
        ...(inside.length ? [sql<SqlBool>`r.id in (${sql.join(inside)})`] : []),
      ],
      detail: sql`r.cidr`,
      href: (id) => `/networks/${id}`,
    });
  },

  logins: (ctx, principal, term) =>
    clientRecords(ctx, principal, {
      table: 'logins',
      match: (d) => [foldedContains(d, sql.ref('r.name'), term)],
      detail: sql`r.uri`,
      href: (id) => `/logins/${id}`,
    }),

  tickets(ctx, principal, term) {
    const number = /^#?\s*(\d{1,9})$/.exec(term)?.[1];
    return clientRecords(ctx, principal, {
      table: 'tickets',
      name: 'subject',
      match: (d) => [...(number ? [sql<SqlBool>`r.number = ${Number(number)}`] : []), foldedContains(d, sql.ref('r.subject'), term)],
      detail: sql`${sql.lit('#')} || cast(r.number as text) || ${sql.lit(' · ')} || r.status`,
      href: (id) => `/tickets/${id}`,
    });
  },
};

interface RecordSearch {
  table: 'contacts' | 'locations' | 'networks' | 'logins' | 'tickets';
  /** The column holding the record's name; `name` unless said. */
  name?: 'subject';
  /** Conditions any of which makes a match. */
  match: (dialect: Ctx['dialect']) => Expression<SqlBool>[];
  detail: Expression<unknown>;
  href: (id: number) => string;
}

/** Active records of one client-owned kind matching any condition, within the principal's clients, by name. */
async function clientRecords(ctx: Ctx, principal: Principal, s: RecordSearch): Promise<{ total: number; hits: SearchHit[] }> {
  const name = sql.ref(`r.${s.name ?? 'name'}`);
  const conditions = s.match(ctx.dialect);
  // The table is one of five client-owned kinds; Kysely cannot follow a table chosen at run time.
  const base = ctx.db
    .selectFrom(`${s.table} as r` as 'contacts as r')
    .innerJoin('clients as c', 'c.id', 'r.client_id')
    .where('r.archived_at', 'is', null)
    .where(clientScopeFilter(clientScope(principal), 'r.client_id'))
    .where((eb) => eb.or(conditions));
  const [{ n }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['r.id', sql<string>`${name}`.as('name'), sql<string | null>`${s.detail}`.as('detail'), 'c.name as client_name'])
      .orderBy(sql`lower(${name})`)
      .orderBy('r.id')
      .limit(SEARCH_GROUP_SIZE)
      .execute(),
  ]);
  return {
    total: Number(n),
    hits: rows.map((r) => ({ id: r.id, href: s.href(r.id), name: r.name, detail: r.detail === null ? null : String(r.detail), clientName: r.client_name })),
  };
}

/** Active networks, of the principal's clients, whose CIDR holds the address (none if the term is not one). */
async function networkIdsContaining(ctx: Ctx, principal: Principal, address: string): Promise<number[]> {
  const family = isIP(address);
  if (family === 0) return [];
  const networks = await ctx.db
    .selectFrom('networks')
    .select(['id', 'cidr'])
    .where('cidr', 'is not', null)
    .where('archived_at', 'is', null)
    .where(clientScopeFilter(clientScope(principal), 'client_id'))
    .execute();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return networks
    .filter((n) => {
      const [base, prefix] = (n.cidr ?? '').split('/');
      if (!base || prefix === undefined || isIP(base) !== family) return false;
      const block = new BlockList();
      block.addSubnet(base, Number(prefix), type);
      return block.check(address, type);
    })
    .map((n) => n.id);
}
