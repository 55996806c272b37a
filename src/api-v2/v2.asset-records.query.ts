// The reads of /api/v2/assets: a page of the list with its filters (every field, and `mac`, `ip`,
// `cidr`, `tag`, `q`, `archived`, `updated_since`), one asset, and what `include=` embeds. Every read
// checks the support module at level 1 and keeps to the clients the call may see.
import { isIPv4, isIPv6 } from 'node:net';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { authorize, clientScope, clientScopeFilter } from '../access/access.ts';
import { assetSearchIds } from '../assets/asset-list.query.ts';
import { loadAssetFor } from '../assets/asset.service.ts';
import { assetRowToAsset, interfaceRowToInterface, type AssetInterface, type AssetWithPrimary } from '../assets/asset.ts';
import { tagsOfAssets } from '../tags/tag.service.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedSql } from '../platform/db/fold.ts';
import { escapeLike, likePattern } from '../platform/db/like.ts';
import { ValidationError } from '../platform/errors.ts';
import { foldText, normaliseMac } from '../platform/fields.ts';
import type { V2Call } from './v2.call.ts';
import { applyPage, filterConditions, pageRows, type ListField, type ListFields } from './v2.list.ts';
import type { ListRequest } from './v2.resource.ts';

/** The asset's free-text columns; v2 names them as the columns are named. */
export const ASSET_TEXT_COLUMNS = [
  'description',
  'type',
  'make',
  'model',
  'serial',
  'os',
  'status',
  'uri',
  'uri_2',
  'uri_client',
  'purchase_reference',
  'physical_location',
  'notes',
] as const;
export const ASSET_DATE_COLUMNS = ['purchase_date', 'install_date', 'warranty_expire'] as const;
export const ASSET_REFERENCE_COLUMNS = ['location_id', 'contact_id', 'vendor_id'] as const;

// Text sorts and compares without case (lower(name) is indexed); empties sort last either way.
const text = (column: string, options: Partial<ListField> = {}): ListField => ({
  column: sql`lower(${sql.ref(`a.${column}`)})`,
  type: 'text',
  nullable: true,
  ...options,
});
const plain = (column: string, type: ListField['type'], nullable = true): ListField => ({ column: `a.${column}`, type, nullable });

/** The list's fields: each a filter (with its lookups) and, unless said otherwise, a sort key. */
export const ASSET_LIST_FIELDS: ListFields = {
  id: plain('id', 'integer', false),
  client_id: plain('client_id', 'integer', false),
  name: text('name', { nullable: false }),
  ...Object.fromEntries(ASSET_TEXT_COLUMNS.map((c) => [c, text(c, { sort: c !== 'notes', description: c === 'uri_2' ? 'URI 2' : undefined })])),
  ...Object.fromEntries(ASSET_DATE_COLUMNS.map((c) => [c, plain(c, 'date')])),
  favorite: plain('favorite', 'boolean', false),
  ...Object.fromEntries(ASSET_REFERENCE_COLUMNS.map((c) => [c, plain(c, 'integer')])),
  version: plain('version', 'integer', false),
  transferred_from_asset_id: { column: 'a.transferred_from_id', type: 'integer', nullable: true, description: 'the asset this one was transferred from' },
  transferred_to_asset_id: { column: 'a.transferred_to_id', type: 'integer', nullable: true, description: 'the asset this one was transferred to' },
  created_at: plain('created_at', 'time', false),
  updated_at: plain('updated_at', 'time'),
  archived_at: plain('archived_at', 'time'),
  accessed_at: plain('accessed_at', 'time'),
};

function archivedCondition(archived: unknown): RawBuilder<SqlBool> {
  if (archived === 'all') return sql<SqlBool>`1 = 1`;
  return archived === 'true' ? sql<SqlBool>`a.archived_at is not null` : sql<SqlBool>`a.archived_at is null`;
}

type ListRow = Parameters<typeof assetRowToAsset>[0] & {
  if_id: number | null;
  if_name: string | null;
  if_description: string | null;
  if_type: string | null;
  if_mac: string | null;
  if_ip: string | null;
  if_nat_ip: string | null;
  if_ipv6: string | null;
  if_network_id: number | null;
  if_notes: string | null;
  if_created_at: string | null;
  if_updated_at: string | null;
};

function rowToAsset(row: ListRow): AssetWithPrimary {
  const primaryInterface: AssetInterface | null =
    row.if_id === null
      ? null
      : {
          id: row.if_id,
          assetId: row.id,
          name: row.if_name ?? '',
          description: row.if_description,
          type: row.if_type,
          mac: row.if_mac,
          ip: row.if_ip,
          natIp: row.if_nat_ip,
          ipv6: row.if_ipv6,
          networkId: row.if_network_id,
          notes: row.if_notes,
          primary: true,
          createdAt: row.if_created_at ?? row.created_at,
          updatedAt: row.if_updated_at,
        };
  return { ...assetRowToAsset(row), primaryInterface };
}

export async function listAssetRecords({ call, query, page }: ListRequest): Promise<{ rows: AssetWithPrimary[]; cursor: string | null }> {
  const { ctx, principal } = call;
  authorize(principal, 'support', 1);
  let q = ctx.db
    .selectFrom('assets as a')
    .leftJoin('asset_interfaces as i', (j) => j.onRef('i.asset_id', '=', 'a.id').on('i.is_primary', '=', sql.lit(true)))
    .selectAll('a')
    .select([
      'i.id as if_id',
      'i.name as if_name',
      'i.description as if_description',
      'i.type as if_type',
      'i.mac as if_mac',
      'i.ip as if_ip',
      'i.nat_ip as if_nat_ip',
      'i.ipv6 as if_ipv6',
      'i.network_id as if_network_id',
      'i.notes as if_notes',
      'i.created_at as if_created_at',
      'i.updated_at as if_updated_at',
    ])
    .where(clientScopeFilter(clientScope(principal), 'a.client_id'))
    .where(archivedCondition(query.archived));
  for (const condition of filterConditions(ctx.dialect, ASSET_LIST_FIELDS, query)) q = q.where(condition);
  for (const condition of await extraConditions(call, query)) q = q.where(condition);
  const rows = (await applyPage(q, page, 'a.id').execute()) as unknown as Array<ListRow & Record<string, unknown>>;
  const out = pageRows(rows, page, (r) => r.id);
  return { rows: out.rows.map(rowToAsset), cursor: out.cursor };
}

/** One asset the call may read (support level 1, a client it sees); "not found" otherwise. */
export async function readAssetRecord(call: V2Call, ctx: Ctx, id: number): Promise<AssetWithPrimary> {
  return loadAssetFor({ ...ctx, principal: call.principal }, call.principal, id, 1);
}

/** What `include=` embeds, for a page of assets: their interfaces and their tags' names. */
export async function assetEmbeds(
  ctx: Ctx,
  ids: number[],
  wanted: Set<string>,
): Promise<{ interfaces: Map<number, AssetInterface[]> | null; tags: Map<number, string[]> | null }> {
  let interfaces: Map<number, AssetInterface[]> | null = null;
  let tags: Map<number, string[]> | null = null;
  if (wanted.has('interfaces')) {
    interfaces = new Map(ids.map((id) => [id, []]));
    if (ids.length) {
      const rows = await ctx.db
        .selectFrom('asset_interfaces')
        .selectAll()
        .where('asset_id', 'in', ids)
        .orderBy('asset_id')
        .orderBy('is_primary', 'desc')
        .orderBy('name')
        .orderBy('id')
        .execute();
      for (const row of rows) interfaces.get(row.asset_id)?.push(interfaceRowToInterface(row));
    }
  }
  if (wanted.has('tags')) {
    const refs = await tagsOfAssets(ctx, ids);
    tags = new Map(ids.map((id) => [id, (refs.get(id) ?? []).map((t) => t.name)]));
  }
  return { interfaces, tags };
}

const invalid = (field: string, message: string) => new ValidationError([{ field, code: 'invalid', message }]);

/** The list parameters beyond the fields' own filters (also the CSV export's: v2.exports.query.ts). */
export async function extraConditions(call: V2Call, query: Record<string, unknown>): Promise<Array<Expression<SqlBool>>> {
  const { ctx, principal } = call;
  const out: Array<Expression<SqlBool>> = [];
  const interfaceAssets = (condition: Expression<SqlBool>) =>
    sql<SqlBool>`a.id in (${ctx.db.selectFrom('asset_interfaces as m').select('m.asset_id').where(condition)})`;

  if (typeof query.updated_since === 'string') out.push(sql<SqlBool>`coalesce(a.updated_at, a.created_at) >= ${query.updated_since}`);

  if (typeof query.q === 'string' && query.q.trim()) {
    const ids = await assetSearchIds(ctx, principal, query.q, null);
    out.push(ids.length ? sql<SqlBool>`a.id in (${sql.join(ids)})` : sql<SqlBool>`1 = 0`);
  }

  if (typeof query.mac === 'string') {
    // Stored as AA:BB:CC:DD:EE:FF (the rules normalise every write), so one indexed equality finds it.
    const mac = normaliseMac(query.mac);
    if (!mac) throw invalid('mac', `"${query.mac}" is not a MAC address (e.g. 00:15:5D:01:02:03, 00-15-5D-01-02-03, 0015.5d01.0203, 00155d010203)`);
    out.push(interfaceAssets(sql<SqlBool>`m.mac = ${mac}`));
  }

  if (typeof query.ip === 'string') {
    const ip = query.ip.trim();
    if (ip.toUpperCase() === 'DHCP') out.push(interfaceAssets(sql<SqlBool>`m.ip = ${'DHCP'}`));
    else if (isIPv4(ip)) out.push(interfaceAssets(sql<SqlBool>`m.ip = ${ip}`));
    else if (isIPv6(ip)) out.push(interfaceAssets(sql<SqlBool>`m.ipv6 = ${ip.toLowerCase()}`));
    else throw invalid('ip', `"${query.ip}" is not an IPv4 or IPv6 address`);
  }

  if (typeof query.cidr === 'string') out.push(await cidrCondition(call, query.cidr, interfaceAssets));

  if (typeof query.tag === 'string') {
    const names = [
      ...new Set(
        query.tag
          .split(',')
          .map((s) => foldText(s.trim()))
          .filter(Boolean),
      ),
    ];
    if (names.length === 0) throw invalid('tag', 'name at least one tag');
    const tagged = ctx.db
      .selectFrom('asset_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select('at.asset_id')
      .where(sql<SqlBool>`${foldedSql(ctx.dialect, sql.ref('t.name'))} in (${sql.join(names)})`);
    out.push(sql<SqlBool>`a.id in (${tagged})`);
  }
  return out;
}

// --- cidr -------------------------------------------------------------------------------------------
// Interface addresses are stored as text. IPv4 text is canonical (the rules accept dotted decimal
// without leading zeros), so an IPv4 prefix is matched exactly in SQL: the octets it fixes as a LIKE
// prefix, the octet it cuts as the (at most 128) values it allows. IPv6 text is not canonical
// ("2001:db8::1" or "2001:0db8:0:0::1"), so candidates are read by their first group where the
// prefix fixes it, and checked exactly here.

async function cidrCondition(
  call: V2Call,
  raw: string,
  interfaceAssets: (condition: Expression<SqlBool>) => RawBuilder<SqlBool>,
): Promise<Expression<SqlBool>> {
  const m = /^([^/\s]+)\/([0-9]{1,3})$/.exec(raw.trim());
  const family = m ? (isIPv4(m[1]!) ? 4 : isIPv6(m[1]!) ? 6 : 0) : 0;
  const bits = m ? Number(m[2]) : -1;
  if (!m || family === 0 || bits > (family === 4 ? 32 : 128))
    throw invalid('cidr', `"${raw}" is not an address with a prefix length, such as 10.0.0.0/24 or 2001:db8::/32`);
  return family === 4 ? interfaceAssets(ipv4PrefixCondition(m[1]!, bits)) : ipv6PrefixCondition(call, m[1]!, bits);
}

function ipv4PrefixCondition(address: string, bits: number): RawBuilder<SqlBool> {
  const octets = address.split('.').map(Number);
  const whole = Math.floor(bits / 8);
  const fixed = octets.slice(0, whole);
  const rest = bits % 8;
  if (whole === 4) return sql<SqlBool>`m.ip = ${octets.join('.')}`;
  if (rest === 0) return likePattern(sql.ref('m.ip'), whole === 0 ? '%.%.%.%' : `${escapeLike(fixed.join('.'))}.%`) as RawBuilder<SqlBool>;
  const first = octets[whole]! & (0xff << (8 - rest)) & 0xff;
  const values = Array.from({ length: 2 ** (8 - rest) }, (_, i) => first + i);
  if (whole === 3) return sql<SqlBool>`m.ip in (${sql.join(values.map((v) => [...fixed, v].join('.')))})`;
  return sql<SqlBool>`(${sql.join(
    values.map((v) => likePattern(sql.ref('m.ip'), `${[...fixed, v].join('.')}.%`)),
    sql` or `,
  )})`;
}

/** An IPv6 address as a 128-bit number (an embedded IPv4 tail, "::ffff:10.0.0.1", included). */
export function ipv6ToBigInt(address: string): bigint | null {
  if (!isIPv6(address)) return null;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

async function ipv6PrefixCondition(call: V2Call, address: string, bits: number): Promise<Expression<SqlBool>> {
  const { ctx, principal } = call;
  const value = ipv6ToBigInt(address)!;
  const shift = BigInt(128 - bits);
  const network = bits === 0 ? 0n : value >> shift;
  let q = ctx.db
    .selectFrom('asset_interfaces as m')
    .innerJoin('assets as a', 'a.id', 'm.asset_id')
    .select(['m.asset_id', 'm.ipv6'])
    .where('m.ipv6', 'is not', null)
    .where(clientScopeFilter(clientScope(principal), 'a.client_id'));
  if (bits >= 16) {
    // The first group as it may be written: "db8", "0db8"; a first group of 0 may also be left out ("::1").
    const first = Number(value >> 112n);
    const hex = first.toString(16);
    const forms = [...new Set([hex, hex.padStart(2, '0'), hex.padStart(3, '0'), hex.padStart(4, '0')])].map((f) => `${f}:%`);
    if (first === 0) forms.push('::%');
    q = q.where(
      sql<SqlBool>`(${sql.join(
        forms.map((f) => likePattern(sql.ref('m.ipv6'), f)),
        sql` or `,
      )})`,
    );
  }
  const ids = new Set<number>();
  for (const row of await q.execute()) {
    const n = row.ipv6 ? ipv6ToBigInt(row.ipv6) : null;
    if (n !== null && (bits === 0 || n >> shift === network)) ids.add(row.asset_id);
  }
  return ids.size ? sql<SqlBool>`a.id in (${sql.join([...ids])})` : sql<SqlBool>`1 = 0`;
}
