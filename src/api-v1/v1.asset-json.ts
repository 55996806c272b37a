// v1 asset rows are built as JSON text by the database itself (json_object on SQLite,
// json_build_object on PostgreSQL): one string per row instead of 43 values turned into JS strings,
// an object and JSON again. For a list of 50 that is a quarter of the work. Keys come out in ITFlow's
// order, every value typed as ITFlow sends it.
import { sql, type RawBuilder } from 'kysely';
import type { DatabaseKind } from '../platform/config.ts';

type Expr = (dialect: DatabaseKind) => string;

const text =
  (c: string): Expr =>
  () =>
    `cast(${c} as text)`;
const plain =
  (c: string): Expr =>
  () =>
    c;
const orEmpty =
  (c: string): Expr =>
  () =>
    `coalesce(${c}, '')`;
const ref =
  (c: string): Expr =>
  () =>
    `coalesce(cast(${c} as text), '0')`;
const flag =
  (c: string): Expr =>
  () =>
    `case when ${c} then '1' else '0' end`;
const date =
  (c: string): Expr =>
  (d) =>
    d === 'postgres' ? `to_char(${c}, 'YYYY-MM-DD')` : c;
// Instants as MySQL DATETIME text, in UTC.
const instant =
  (c: string): Expr =>
  (d) =>
    d === 'postgres' ? `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')` : `replace(substr(${c}, 1, 19), 'T', ' ')`;
const ifInterface =
  (value: string): Expr =>
  () =>
    `case when i.id is null then null else ${value} end`;

/** The asset's keys in ITFlow's order, each with how it is read from `assets a`. */
export const ASSET_KEYS: Array<[string, Expr]> = [
  ['asset_id', text('a.id')],
  ['asset_type', orEmpty('a.type')],
  ['asset_name', plain('a.name')],
  ['asset_description', plain('a.description')],
  ['asset_make', orEmpty('a.make')],
  ['asset_model', plain('a.model')],
  ['asset_serial', plain('a.serial')],
  ['asset_os', plain('a.os')],
  ['asset_uri', plain('a.uri')],
  ['asset_uri_2', plain('a.uri_2')],
  ['asset_uri_client', plain('a.uri_client')],
  ['asset_status', plain('a.status')],
  ['asset_purchase_reference', plain('a.purchase_reference')],
  ['asset_purchase_date', date('a.purchase_date')],
  ['asset_warranty_expire', date('a.warranty_expire')],
  ['asset_install_date', date('a.install_date')],
  ['asset_photo', plain('a.photo')],
  ['asset_physical_location', plain('a.physical_location')],
  ['asset_notes', plain('a.notes')],
  ['asset_favorite', flag('a.favorite')],
  ['asset_created_at', instant('a.created_at')],
  ['asset_updated_at', instant('a.updated_at')],
  ['asset_archived_at', instant('a.archived_at')],
  ['asset_accessed_at', instant('a.accessed_at')],
  ['asset_vendor_id', ref('a.vendor_id')],
  ['asset_location_id', ref('a.location_id')],
  ['asset_contact_id', ref('a.contact_id')],
  ['asset_client_id', text('a.client_id')],
];

/** The primary interface's keys, from `asset_interfaces i` (all null when the asset has none). */
export const INTERFACE_KEYS: Array<[string, Expr]> = [
  ['interface_id', text('i.id')],
  ['interface_name', plain('i.name')],
  ['interface_description', plain('i.description')],
  ['interface_type', plain('i.type')],
  ['interface_mac', plain('i.mac')],
  // ITFlow keeps any address sent as asset_ip here; Steward keeps an IPv6 one as the IPv6, read back here too.
  ['interface_ip', () => 'coalesce(i.ip, i.ipv6)'],
  ['interface_nat_ip', plain('i.nat_ip')],
  ['interface_ipv6', plain('i.ipv6')],
  ['interface_notes', plain('i.notes')],
  ['interface_primary', ifInterface(`'1'`)],
  ['interface_created_at', instant('i.created_at')],
  ['interface_updated_at', instant('i.updated_at')],
  ['interface_archived_at', () => 'null'],
  ['interface_network_id', text('i.network_id')],
  ['interface_asset_id', ifInterface('cast(a.id as text)')],
];

const cache = new Map<string, string>();

/** SQL text of one row's JSON; the column list is fixed, so it is built once per dialect and shape. */
export function assetJsonSql(dialect: DatabaseKind, withInterface: boolean): string {
  const key = `${dialect}:${withInterface}`;
  let built = cache.get(key);
  if (built === undefined) {
    const keys = withInterface ? [...ASSET_KEYS, ...INTERFACE_KEYS] : ASSET_KEYS;
    const args = keys.map(([name, expr]) => `'${name}', ${expr(dialect)}`).join(', ');
    built = dialect === 'postgres' ? `json_build_object(${args})::text` : `json_object(${args})`;
    cache.set(key, built);
  }
  return built;
}

export function assetJson(dialect: DatabaseKind, withInterface: boolean): RawBuilder<string> {
  return sql<string>`${sql.raw(assetJsonSql(dialect, withInterface))}`;
}

/** ITFlow's read envelope around rows that are already JSON text. */
export function readEnvelope(rows: string[]): string {
  return `{"success":"True","count":${rows.length},"data":[${rows.join(',')}]}`;
}
