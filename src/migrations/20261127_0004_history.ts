// The append-only asset history, the audit log (purged by retention, separately), and settings.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { varchar, type Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  // No foreign keys on purpose: events outlive the asset, its client and the acting user.
  await db.schema
    .createTable('asset_events')
    .addColumn('id', 'integer', kit.id)
    .addColumn('asset_id', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'integer', (c) => c.notNull())
    .addColumn('asset_name', varchar(200), (c) => c.notNull())
    .addColumn('action', varchar(50), (c) => c.notNull())
    .addColumn('actor_type', varchar(20), (c) => c.notNull().check(sql`actor_type in ('user', 'api_key', 'system')`))
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_api_key_id', 'integer')
    .addColumn('actor_name', varchar(255), (c) => c.notNull())
    .addColumn('source', varchar(20), (c) => c.notNull().check(sql`source in ('web', 'api', 'import', 'cli', 'system', 'transfer')`))
    .addColumn('ip', varchar(64))
    .addColumn('reason', 'text')
    .addColumn('correlation_id', varchar(64))
    .addColumn('changes', kit.json)
    .addColumn('details', kit.json)
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('asset_events_asset').on('asset_events').columns(['asset_id', 'id']).execute();
  await db.schema.createIndex('asset_events_client').on('asset_events').columns(['client_id', 'id']).execute();
  await sql`create index asset_events_correlation on asset_events (correlation_id) where correlation_id is not null`.execute(db);
  await forbidChanges(db, kit, 'asset_events', 'asset history is append-only');

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', kit.id)
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('action', varchar(100), (c) => c.notNull())
    .addColumn('outcome', varchar(10), (c) => c.notNull().check(sql`outcome in ('success', 'failure')`))
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_api_key_id', 'integer')
    .addColumn('actor_name', varchar(255))
    .addColumn('client_id', 'integer')
    .addColumn('entity_type', varchar(50))
    .addColumn('entity_id', 'integer')
    .addColumn('ip', varchar(64))
    .addColumn('user_agent', varchar(255))
    .addColumn('details', kit.json)
    .execute();
  await db.schema.createIndex('audit_log_created').on('audit_log').column('created_at').execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'created_at']).execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').columns(['actor_user_id', 'created_at']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', varchar(100), (c) => c.primaryKey())
    .addColumn('value', kit.json, (c) => c.notNull())
    .addColumn('updated_at', kit.timestamp, (c) => c.notNull())
    .execute();
}

/** Makes a table refuse UPDATE and DELETE, whatever code or person tries. */
async function forbidChanges(db: Kysely<any>, kit: Kit, table: string, message: string): Promise<void> {
  if (kit.dialect === 'sqlite') {
    for (const op of ['update', 'delete']) {
      await sql.raw(`create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${message}'); end`).execute(db);
    }
    return;
  }
  await sql.raw(`create function ${table}_refuse_change() returns trigger language plpgsql as $$ ` + `begin raise exception '${message}'; end $$`).execute(db);
  await sql
    .raw(`create trigger ${table}_no_change before update or delete on ${table} ` + `for each row execute function ${table}_refuse_change()`)
    .execute(db);
  // TRUNCATE bypasses row triggers; refuse it too.
  await sql
    .raw(`create trigger ${table}_no_truncate before truncate on ${table} ` + `for each statement execute function ${table}_refuse_change()`)
    .execute(db);
}
