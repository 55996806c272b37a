import type { Generated } from 'kysely';
import type { DateOnly, Flag, RecordColumns, Timestamp } from '../platform/db/columns.ts';

export interface AssetTable extends RecordColumns {
  client_id: number;
  name: string;
  description: string | null;
  type: string | null;
  make: string | null;
  model: string | null;
  serial: string | null;
  os: string | null;
  status: string | null;
  uri: string | null;
  uri_2: string | null;
  uri_client: string | null;
  purchase_reference: string | null;
  purchase_date: DateOnly | null;
  install_date: DateOnly | null;
  warranty_expire: DateOnly | null;
  physical_location: string | null;
  notes: string | null;
  favorite: Flag;
  photo: string | null;
  location_id: number | null;
  contact_id: number | null;
  vendor_id: number | null;
  version: Generated<number>;
  accessed_at: Timestamp | null;
  /** The record this asset was transferred from (under another client), and the one it went to. */
  transferred_from_id: number | null;
  transferred_to_id: number | null;
}

export interface AssetInterfaceTable extends RecordColumns {
  asset_id: number;
  name: string;
  description: string | null;
  type: string | null;
  mac: string | null;
  ip: string | null;
  nat_ip: string | null;
  ipv6: string | null;
  network_id: number | null;
  notes: string | null;
  is_primary: Flag;
}

export interface InterfaceConnectionTable {
  interface_id: number;
  peer_interface_id: number;
  created_at: Timestamp;
}

export interface AssetNoteTable extends RecordColumns {
  asset_id: number;
  type: string;
  body: string;
  created_by_user_id: number | null;
  created_by_name: string | null;
}

/** PostgreSQL only; on SQLite the same name is an FTS5 table keyed by rowid (= asset id). */
export interface AssetSearchTable {
  asset_id: number;
  doc: string;
}
