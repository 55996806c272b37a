// An upload is parsed once, when it arrives: its records wait here (one row per CSV record, the cells
// as a JSON array) for the mapping, the preview and the commit, instead of the file being parsed again
// at every step. The encoding the file was read in is kept with the import, to show it.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, _kit: Kit): Promise<void> {
  await db.schema
    .createTable('import_rows')
    .addColumn('import_id', 'varchar(36)', (c) => c.notNull())
    // 0 is the heading row; the rest follow in file order.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('cells', 'text', (c) => c.notNull())
    // The length of `cells`: pages are read by size as well as by count, so a page of long lines stays small.
    .addColumn('size', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rows_pk', ['import_id', 'seq'])
    .execute();
  await db.schema.alterTable('imports').addColumn('encoding', 'varchar(20)').execute();
  // The quota adds up a user's uploads still waiting to be imported.
  await db.schema.createIndex('imports_user_status').on('imports').columns(['user_id', 'status']).execute();
}
