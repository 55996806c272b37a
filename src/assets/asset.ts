// The asset as services and entry points see it, and the mapping from its database row.
import type { Selectable } from 'kysely';
import { ASSET_COLUMNS, ASSET_FIELDS, type AssetFields, EDITABLE_FIELDS, type EditableField } from './asset-fields.ts';
import type { AssetInterfaceTable, AssetTable } from './asset.table.ts';

export { ASSET_COLUMNS, type AssetFields, EDITABLE_FIELDS, type EditableField };

/** An asset: its editable fields (described in asset-fields.ts) and what the record keeps about itself. */
export interface Asset extends AssetFields {
  id: number;
  clientId: number;
  photo: string | null;
  version: number;
  createdAt: string;
  updatedAt: string | null;
  archivedAt: string | null;
  accessedAt: string | null;
  transferredFromId: number | null;
  transferredToId: number | null;
}

export interface AssetInterface {
  id: number;
  assetId: number;
  name: string;
  description: string | null;
  type: string | null;
  mac: string | null;
  ip: string | null;
  natIp: string | null;
  ipv6: string | null;
  networkId: number | null;
  notes: string | null;
  primary: boolean;
  createdAt: string;
  updatedAt: string | null;
}

/** An asset with its primary interface, which lists and the API show as the asset's IP and MAC. */
export interface AssetWithPrimary extends Asset {
  primaryInterface: AssetInterface | null;
}

export const INTERFACE_FIELDS = ['name', 'description', 'type', 'mac', 'ip', 'natIp', 'ipv6', 'networkId', 'notes'] as const;
export type InterfaceField = (typeof INTERFACE_FIELDS)[number];
export type InterfaceFields = Pick<AssetInterface, InterfaceField>;

export const INTERFACE_COLUMNS = {
  name: 'name',
  description: 'description',
  type: 'type',
  mac: 'mac',
  ip: 'ip',
  natIp: 'nat_ip',
  ipv6: 'ipv6',
  networkId: 'network_id',
  notes: 'notes',
} as const satisfies Record<InterfaceField, keyof AssetInterfaceTable>;

export function assetRowToAsset(row: Selectable<AssetTable>): Asset {
  const fields: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    const value = row[ASSET_COLUMNS[field]];
    fields[field] = ASSET_FIELDS[field].kind === 'flag' ? Boolean(value) : value;
  }
  return {
    ...(fields as AssetFields),
    id: row.id,
    clientId: row.client_id,
    photo: row.photo,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
    accessedAt: row.accessed_at,
    transferredFromId: row.transferred_from_id ?? null,
    transferredToId: row.transferred_to_id ?? null,
  };
}

export function interfaceRowToInterface(row: Selectable<AssetInterfaceTable>): AssetInterface {
  return {
    id: row.id,
    assetId: row.asset_id,
    name: row.name,
    description: row.description,
    type: row.type,
    mac: row.mac,
    ip: row.ip,
    natIp: row.nat_ip,
    ipv6: row.ipv6,
    networkId: row.network_id,
    notes: row.notes,
    primary: Boolean(row.is_primary),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The column values for a set of domain fields (booleans become 0/1). */
export function assetFieldsToColumns(fields: Partial<AssetFields>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields) as [EditableField, unknown][]) {
    out[ASSET_COLUMNS[field]] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return out;
}

export function interfaceFieldsToColumns(fields: Partial<InterfaceFields>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields) as [InterfaceField, unknown][]) out[INTERFACE_COLUMNS[field]] = value;
  return out;
}
