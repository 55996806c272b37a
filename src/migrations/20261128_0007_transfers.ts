// Transfers between clients keep ITFlow's model (the original is archived under its client, a copy is
// made under the new one) but tie the two records together: each points at the other, so the copy's
// history can be read back through the original's.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, _kit: Kit): Promise<void> {
  // No foreign keys: the other record may be deleted later and the pointer still tells where it went.
  await db.schema.alterTable('assets').addColumn('transferred_from_id', 'integer').execute();
  await db.schema.alterTable('assets').addColumn('transferred_to_id', 'integer').execute();
  await db.schema.createIndex('assets_transferred_from').on('assets').column('transferred_from_id').where('transferred_from_id', 'is not', null).execute();
}
