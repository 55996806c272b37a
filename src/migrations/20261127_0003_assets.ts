// Assets and everything hanging off them: lists, tags, interfaces and their connections, typed notes,
// logins, tickets and service links, and the search index.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { clientRecordTable, recordTable, varchar, type Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  // The admin-edited lists: asset types, asset statuses, note types, interface types.
  await recordTable(db, kit, 'list_values')
    .addColumn('list', varchar(30), (c) => c.notNull().check(sql`list in ('asset_type', 'asset_status', 'note_type', 'interface_type')`))
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(255))
    .addColumn('icon', varchar(50))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create unique index list_values_name on list_values (list, lower(name))`.execute(db);

  await recordTable(db, kit, 'tags')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('color', varchar(20))
    .addColumn('description', varchar(255))
    .execute();
  await sql`create unique index tags_name on tags (lower(name))`.execute(db);

  await recordTable(db, kit, 'assets')
    // A client cannot be removed while it owns assets: they must be deleted through the asset rules
    // first, so that each deletion is written to the asset history.
    .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('restrict'))
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(255))
    .addColumn('type', varchar(200))
    .addColumn('make', varchar(200))
    .addColumn('model', varchar(200))
    .addColumn('serial', varchar(200))
    .addColumn('os', varchar(200))
    .addColumn('status', varchar(200))
    .addColumn('uri', varchar(500))
    .addColumn('uri_2', varchar(500))
    .addColumn('uri_client', varchar(500))
    .addColumn('purchase_reference', varchar(200))
    .addColumn('purchase_date', kit.date)
    .addColumn('install_date', kit.date)
    .addColumn('warranty_expire', kit.date)
    .addColumn('physical_location', varchar(200))
    .addColumn('notes', 'text')
    .addColumn('favorite', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .addColumn('photo', varchar(200))
    .addColumn('location_id', 'integer', (c) => c.references('locations.id').onDelete('set null'))
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('vendor_id', 'integer', (c) => c.references('vendors.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('accessed_at', kit.timestamp)
    .execute();
  // The default list: one client's active assets by name. Partial, so archived rows cost nothing.
  await sql`create index assets_client_active_name on assets (client_id, lower(name), id) where archived_at is null`.execute(db);
  await sql`create index assets_client_archived on assets (client_id, archived_at)`.execute(db);
  await sql`create index assets_name on assets (lower(name))`.execute(db);
  await sql`create index assets_serial on assets (lower(serial)) where serial is not null`.execute(db);
  await sql`create index assets_client_type on assets (client_id, type)`.execute(db);
  await sql`create index assets_type on assets (lower(type))`.execute(db);
  await sql`create index assets_client_status on assets (client_id, status)`.execute(db);
  await sql`create index assets_warranty on assets (warranty_expire) where warranty_expire is not null`.execute(db);
  await db.schema.createIndex('assets_contact').on('assets').column('contact_id').execute();
  await db.schema.createIndex('assets_location').on('assets').column('location_id').execute();
  await db.schema.createIndex('assets_vendor').on('assets').column('vendor_id').execute();

  await recordTable(db, kit, 'asset_interfaces')
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(200))
    .addColumn('type', varchar(50))
    .addColumn('mac', varchar(200))
    .addColumn('ip', varchar(200))
    .addColumn('nat_ip', varchar(200))
    .addColumn('ipv6', varchar(200))
    .addColumn('network_id', 'integer', (c) => c.references('networks.id').onDelete('set null'))
    .addColumn('notes', 'text')
    .addColumn('is_primary', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .execute();
  // At most one primary interface per asset, enforced by the database (the rules keep it at exactly one).
  await sql`create unique index asset_interfaces_one_primary on asset_interfaces (asset_id) where is_primary = true`.execute(db);
  await db.schema.createIndex('asset_interfaces_asset').on('asset_interfaces').column('asset_id').execute();
  await sql`create index asset_interfaces_mac on asset_interfaces (mac) where mac is not null`.execute(db);
  await sql`create index asset_interfaces_ip on asset_interfaces (ip) where ip is not null`.execute(db);
  await sql`create index asset_interfaces_ipv6 on asset_interfaces (ipv6) where ipv6 is not null`.execute(db);
  await db.schema.createIndex('asset_interfaces_network').on('asset_interfaces').column('network_id').execute();

  // A cable between two ports, stored once from each side so that a primary key on interface_id
  // lets an interface have at most one connection.
  await db.schema
    .createTable('interface_connections')
    .addColumn('interface_id', 'integer', (c) => c.primaryKey().references('asset_interfaces.id').onDelete('cascade'))
    .addColumn('peer_interface_id', 'integer', (c) => c.notNull().unique().references('asset_interfaces.id').onDelete('cascade'))
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .execute();

  await recordTable(db, kit, 'asset_notes')
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('type', varchar(200), (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', varchar(200))
    .execute();
  await db.schema.createIndex('asset_notes_asset').on('asset_notes').columns(['asset_id', 'created_at']).execute();

  await db.schema
    .createTable('asset_tags')
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('asset_tags_pk', ['asset_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('asset_tags_tag').on('asset_tags').column('tag_id').execute();

  // Logins belong to a client and optionally to one asset; deleting the asset unlinks, never dangles.
  await clientRecordTable(db, kit, 'logins')
    .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(500))
    .addColumn('uri', varchar(500))
    .addColumn('uri_2', varchar(500))
    // Encrypted with the instance's secret key (AES-256-GCM); never stored in clear.
    .addColumn('username_secret', 'text')
    .addColumn('password_secret', 'text')
    .addColumn('otp_secret', 'text')
    .addColumn('notes', 'text')
    .addColumn('favorite', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .addColumn('password_changed_at', kit.timestamp)
    .execute();
  await sql`create index logins_client_name on logins (client_id, lower(name))`.execute(db);
  await db.schema.createIndex('logins_asset').on('logins').column('asset_id').execute();
  await db.schema.createIndex('logins_contact').on('logins').column('contact_id').execute();

  await db.schema
    .createTable('service_assets')
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('service_assets_pk', ['service_id', 'asset_id'])
    .execute();
  await db.schema.createIndex('service_assets_asset').on('service_assets').column('asset_id').execute();

  await clientRecordTable(db, kit, 'tickets')
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('subject', varchar(500), (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('priority', varchar(20))
    .addColumn('status', varchar(50), (c) => c.notNull())
    .addColumn('assignee_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('closed_at', kit.timestamp)
    .execute();
  await db.schema.createIndex('tickets_client').on('tickets').columns(['client_id', 'created_at']).execute();

  await db.schema
    .createTable('ticket_assets')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('ticket_assets_pk', ['ticket_id', 'asset_id'])
    .execute();
  await db.schema.createIndex('ticket_assets_asset').on('ticket_assets').column('asset_id').execute();

  await createSearchIndex(db, kit);
}

/**
 * Substring search over each asset's own text (name, description, type, make, model, serial, OS, status,
 * physical location and the primary interface's addresses), stored folded to lower case without accents.
 * SQLite: an FTS5 trigram index keyed by asset id. PostgreSQL: a pg_trgm GIN index.
 * Either answers `%term%` for terms of three or more characters without scanning the assets.
 */
async function createSearchIndex(db: Kysely<any>, kit: Kit): Promise<void> {
  if (kit.dialect === 'sqlite') {
    await sql`create virtual table asset_search using fts5(doc, tokenize = 'trigram', content = '', contentless_delete = 1)`.execute(db);
    await sql`create trigger assets_search_cleanup after delete on assets begin delete from asset_search where rowid = old.id; end`.execute(db);
    return;
  }
  await sql`create extension if not exists pg_trgm`.execute(db);
  await db.schema
    .createTable('asset_search')
    .addColumn('asset_id', 'integer', (c) => c.primaryKey().references('assets.id').onDelete('cascade'))
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  await sql`create index asset_search_doc on asset_search using gin (doc gin_trgm_ops)`.execute(db);
}
