// The whole schema as Kysely sees it, assembled from each feature's table file.
import type { Kysely, Transaction } from 'kysely';
import type { ApiKeyTable, RolePermissionTable, RoleTable, SessionTable, UserClientAccessTable, UserTable } from './accounts/account.table.ts';
import type { AssetInterfaceTable, AssetNoteTable, AssetSearchTable, AssetTable, InterfaceConnectionTable } from './assets/asset.table.ts';
import type { AuditLogTable } from './audit/audit.table.ts';
import type { ClientTable } from './clients/client.table.ts';
import type { ContactTable } from './contacts/contact.table.ts';
import type { AssetEventTable } from './history/history.table.ts';
import type { ImportTable } from './imports/import.table.ts';
import type { NotificationTable } from './notifications/notification.table.ts';
import type { ListValueTable } from './lists/list.table.ts';
import type { LocationTable } from './locations/location.table.ts';
import type { LoginTable } from './logins/login.table.ts';
import type { NetworkTable } from './networks/network.table.ts';
import type { ServiceAssetTable, ServiceTable } from './services/service.table.ts';
import type { SettingTable } from './settings/setting.table.ts';
import type { AssetTagTable, TagTable } from './tags/tag.table.ts';
import type { TicketAssetTable, TicketTable } from './tickets/ticket.table.ts';
import type { VendorTable } from './vendors/vendor.table.ts';

export interface Database {
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  users: UserTable;
  user_client_access: UserClientAccessTable;
  api_keys: ApiKeyTable;
  sessions: SessionTable;
  clients: ClientTable;
  locations: LocationTable;
  contacts: ContactTable;
  vendors: VendorTable;
  networks: NetworkTable;
  logins: LoginTable;
  services: ServiceTable;
  service_assets: ServiceAssetTable;
  tickets: TicketTable;
  ticket_assets: TicketAssetTable;
  list_values: ListValueTable;
  tags: TagTable;
  asset_tags: AssetTagTable;
  assets: AssetTable;
  asset_interfaces: AssetInterfaceTable;
  interface_connections: InterfaceConnectionTable;
  asset_notes: AssetNoteTable;
  asset_search: AssetSearchTable;
  asset_events: AssetEventTable;
  audit_log: AuditLogTable;
  settings: SettingTable;
  imports: ImportTable;
  notifications: NotificationTable;
}

export type Db = Kysely<Database>;
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
