// The asset as services and entry points see it, and the mapping from its database row.
import type { Selectable } from 'kysely';
import type { AssetInterfaceTable, AssetTable } from './asset.table.ts';

export interface Asset {
  id: number;
  clientId: number;
  name: string;
  description: string | null;
  type: string | null;
  make: string | null;
  model: string | null;
  serial: string | null;
  os: string | null;
  status: string | null;
  uri: string | null;
  uri2: string | null;
  uriClient: string | null;
  purchaseReference: string | null;
  purchaseDate: string | null;
  installDate: string | null;
  warrantyExpire: string | null;
  physicalLocation: string | null;
  notes: string | null;
  favorite: boolean;
  photo: string | null;
  locationId: number | null;
  contactId: number | null;
  vendorId: number | null;
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

/** The fields a user edits, in the order history and forms list them. */
export const EDITABLE_FIELDS = [
  'name',
  'description',
  'type',
  'make',
  'model',
  'serial',
  'os',
  'status',
  'uri',
  'uri2',
  'uriClient',
  'purchaseReference',
  'purchaseDate',
  'installDate',
  'warrantyExpire',
  'physicalLocation',
  'notes',
  'favorite',
  'locationId',
  'contactId',
  'vendorId',
] as const satisfies readonly (keyof Asset)[];

export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type AssetFields = Pick<Asset, EditableField>;

/** Domain field → column. */
export const ASSET_COLUMNS = {
  name: 'name',
  description: 'description',
  type: 'type',
  make: 'make',
  model: 'model',
  serial: 'serial',
  os: 'os',
  status: 'status',
  uri: 'uri',
  uri2: 'uri_2',
  uriClient: 'uri_client',
  purchaseReference: 'purchase_reference',
  purchaseDate: 'purchase_date',
  installDate: 'install_date',
  warrantyExpire: 'warranty_expire',
  physicalLocation: 'physical_location',
  notes: 'notes',
  favorite: 'favorite',
  locationId: 'location_id',
  contactId: 'contact_id',
  vendorId: 'vendor_id',
} as const satisfies Record<EditableField, keyof AssetTable>;

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
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    type: row.type,
    make: row.make,
    model: row.model,
    serial: row.serial,
    os: row.os,
    status: row.status,
    uri: row.uri,
    uri2: row.uri_2,
    uriClient: row.uri_client,
    purchaseReference: row.purchase_reference,
    purchaseDate: row.purchase_date,
    installDate: row.install_date,
    warrantyExpire: row.warranty_expire,
    physicalLocation: row.physical_location,
    notes: row.notes,
    favorite: Boolean(row.favorite),
    photo: row.photo,
    locationId: row.location_id,
    contactId: row.contact_id,
    vendorId: row.vendor_id,
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
