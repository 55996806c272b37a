// Guards for signing in (issue 13): per user, the last TOTP time step accepted (a code is never
// accepted twice) and a lock of the code step after too many wrong codes; the addresses each user has
// signed in from (a right password from one still works while others guess); and notifications that
// belong to no client (security notices to a user).
import { sql, type Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .createTable('second_factor_state')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('last_totp_step', 'integer')
    .addColumn('locked_until', kit.timestamp)
    .execute();

  await db.schema
    .createTable('sign_in_addresses')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('address', 'varchar(100)', (c) => c.notNull())
    .addColumn('last_signed_in_at', kit.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_addresses_pk', ['user_id', 'address'])
    .execute();

  const loosened = ['client_id', 'days_before', 'due_date'];
  if (kit.dialect === 'postgres') {
    for (const column of loosened) await sql`alter table notifications alter column ${sql.ref(column)} drop not null`.execute(db);
    return;
  }
  // SQLite cannot drop NOT NULL: the table is made again from its own definition, less those three.
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'notifications'`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type in ('index', 'trigger') and tbl_name = 'notifications' and sql is not null`.execute(db);
  let definition = table.rows[0]!.sql;
  for (const column of loosened) {
    const pattern = new RegExp(`("${column}" [a-z()0-9]+) not null`, 'i');
    if (!pattern.test(definition)) throw new Error(`notifications.${column} is not as this migration expects`);
    definition = definition.replace(pattern, '$1');
  }
  definition = definition.replace(/^create table "?notifications"?/i, 'create table "notifications_new"');
  await sql.raw(definition).execute(db);
  await sql`insert into notifications_new select * from notifications`.execute(db);
  // Ids are never reused: the new table continues the old one's sequence, past deleted rows too.
  await sql`delete from sqlite_sequence where name = 'notifications_new'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq) select 'notifications_new', seq from sqlite_sequence where name = 'notifications'`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`alter table notifications_new rename to notifications`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}
