// Users, roles with a level per module, per-user client allow/deny lists, API keys and sessions.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { recordTable, varchar, type Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await recordTable(db, kit, 'roles')
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('description', varchar(200))
    .addColumn('is_admin', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .execute();
  await sql`create unique index roles_name on roles (lower(name))`.execute(db);

  // level: 0 none, 1 read, 2 write, 3 full (write and delete), as in ITFlow.
  await db.schema
    .createTable('role_permissions')
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('module', varchar(50), (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 0 and 3`))
    .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'module'])
    .execute();

  await recordTable(db, kit, 'users')
    .addColumn('email', varchar(200), (c) => c.notNull())
    .addColumn('name', varchar(200), (c) => c.notNull())
    .addColumn('password_hash', varchar(255), (c) => c.notNull())
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('restrict'))
    .addColumn('status', varchar(20), (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'disabled')`))
    .addColumn('totp_secret', 'text')
    .addColumn('totp_recovery_codes', kit.json)
    .addColumn('page_size', 'integer')
    .addColumn('last_login_at', kit.timestamp)
    .execute();
  await sql`create unique index users_email on users (lower(email))`.execute(db);
  await db.schema.createIndex('users_role').on('users').column('role_id').execute();

  await db.schema
    .createTable('user_client_access')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('mode', varchar(10), (c) => c.notNull().check(sql`mode in ('allow', 'deny')`))
    .addPrimaryKeyConstraint('user_client_access_pk', ['user_id', 'client_id'])
    .execute();
  await db.schema.createIndex('user_client_access_client').on('user_client_access').column('client_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'integer', kit.id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', varchar(255), (c) => c.notNull())
    // The first characters of the secret, stored in clear to find the key; the rest only as a hash.
    .addColumn('prefix', varchar(32), (c) => c.notNull().unique())
    .addColumn('secret_hash', varchar(255), (c) => c.notNull())
    .addColumn('expires_on', kit.date)
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', kit.timestamp)
    .addColumn('last_used_ip', varchar(64))
    .addColumn('revoked_at', kit.timestamp)
    .execute();
  await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    // SHA-256 of the session token: a stolen database does not yield usable cookies.
    .addColumn('id', varchar(64), (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', varchar(64), (c) => c.notNull())
    .addColumn('second_factor_done', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', kit.timestamp, (c) => c.notNull())
    .addColumn('expires_at', kit.timestamp, (c) => c.notNull())
    .addColumn('ip', varchar(64))
    .addColumn('user_agent', varchar(255))
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
}
