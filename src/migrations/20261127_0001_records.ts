// Clients and the records around assets: locations, contacts, vendors, networks, logins, services, tickets.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { clientRecordTable, recordTable, varchar, type Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await recordTable(db, kit, 'clients')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('type', varchar(200))
    .addColumn('website', varchar(200))
    .addColumn('notes', 'text')
    .addColumn('favorite', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .execute();
  await sql`create index clients_name on clients (lower(name))`.execute(db);

  await clientRecordTable(db, kit, 'locations')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('address', varchar(200))
    .addColumn('city', varchar(200))
    .addColumn('state', varchar(200))
    .addColumn('zip', varchar(200))
    .addColumn('country', varchar(200))
    .addColumn('phone', varchar(200))
    .addColumn('hours', varchar(200))
    .addColumn('notes', 'text')
    .addColumn('is_primary', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .execute();
  await sql`create index locations_client_name on locations (client_id, lower(name))`.execute(db);

  await clientRecordTable(db, kit, 'contacts')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('title', varchar(200))
    .addColumn('email', varchar(200))
    .addColumn('phone', varchar(200))
    .addColumn('extension', varchar(200))
    .addColumn('mobile', varchar(200))
    .addColumn('department', varchar(200))
    .addColumn('location_id', 'integer', (c) => c.references('locations.id').onDelete('set null'))
    .addColumn('notes', 'text')
    .execute();
  await sql`create index contacts_client_name on contacts (client_id, lower(name))`.execute(db);
  await sql`create index contacts_client_email on contacts (client_id, lower(email))`.execute(db);
  await db.schema.createIndex('contacts_location').on('contacts').column('location_id').execute();

  await clientRecordTable(db, kit, 'vendors')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(200))
    .addColumn('contact_name', varchar(200))
    .addColumn('phone', varchar(200))
    .addColumn('email', varchar(200))
    .addColumn('website', varchar(200))
    .addColumn('account_number', varchar(200))
    .addColumn('notes', 'text')
    .execute();
  await sql`create index vendors_client_name on vendors (client_id, lower(name))`.execute(db);

  await clientRecordTable(db, kit, 'networks')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('vlan', 'integer')
    .addColumn('cidr', varchar(200))
    .addColumn('gateway', varchar(200))
    .addColumn('dhcp_range', varchar(200))
    .addColumn('primary_dns', varchar(200))
    .addColumn('secondary_dns', varchar(200))
    .addColumn('location_id', 'integer', (c) => c.references('locations.id').onDelete('set null'))
    .addColumn('notes', 'text')
    .execute();
  await sql`create index networks_client_name on networks (client_id, lower(name))`.execute(db);
  await db.schema.createIndex('networks_location').on('networks').column('location_id').execute();

  await clientRecordTable(db, kit, 'services')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(200))
    .addColumn('category', varchar(50))
    .addColumn('importance', varchar(20))
    .addColumn('backup', varchar(200))
    .addColumn('review_due', kit.date)
    .addColumn('notes', 'text')
    .execute();
  await sql`create index services_client_name on services (client_id, lower(name))`.execute(db);
}
