// Imports become records: who brought which file into which client, with which options and outcome.
// Every asset an import writes carries its id in its history, so the two can be read together.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    // No foreign keys: the record of an import outlives the user, client or asset it concerned.
    .addColumn('user_id', 'integer')
    .addColumn('client_id', 'integer')
    .addColumn('asset_id', 'integer')
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('options', kit.json)
    .addColumn('summary', kit.json)
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('committed_at', kit.timestamp)
    .execute();
  await db.schema.createIndex('imports_created').on('imports').columns(['created_at']).execute();
}
