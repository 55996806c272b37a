// What running Steward on several processes and servers needs from the database itself: counters that
// hand out numbers without a race, uploaded files kept where every server can read them, and failed
// sign-ins and API keys counted in one place for every process.
import { sql, type Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  // One row per counter; "update … set value = value + 1 returning value" locks the row, so two
  // transactions never get the same number (ticket numbers were max + 1, which two could share).
  await db.schema
    .createTable('counters')
    .addColumn('name', 'varchar(60)', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into counters (name, value) select 'ticket_number', coalesce(max(number), 0) from tickets`.execute(db);
  // Bumped whenever a user, role, client limit or API key changes, so every process drops what it
  // remembers about who may do what.
  await sql`insert into counters (name, value) values ('access_revision', 0)`.execute(db);

  // Files kept between requests (an import's upload, its rejected rows) in chunks of up to 1 MB, so
  // any server can continue what another began, and no file is ever held in memory whole.
  await db.schema
    .createTable('stored_files')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(40)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('complete', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stored_files_created').on('stored_files').columns(['created_at']).execute();
  await db.schema
    .createTable('stored_file_chunks')
    .addColumn('file_id', 'varchar(64)', (c) => c.notNull().references('stored_files.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', kit.dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('stored_file_chunks_pk', ['file_id', 'seq'])
    .execute();

  // Failed sign-ins, second factors and API keys, counted per address or account across processes.
  await db.schema
    .createTable('auth_failures')
    .addColumn('id', 'integer', kit.id)
    .addColumn('scope', 'varchar(30)', (c) => c.notNull())
    .addColumn('subject', 'varchar(300)', (c) => c.notNull())
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_failures_subject').on('auth_failures').columns(['scope', 'subject', 'created_at']).execute();
}
