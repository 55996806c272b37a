// API key scopes (issue 17, point 7): a key may be narrowed, on top of its user's rights, to reading
// only, to some modules and to some clients. Lists are stored as comma-separated text (module names,
// client ids): null means "not limited". Client ids are not foreign keys on purpose: a deleted client
// must stay in a key's list, so that the key sees fewer clients, never suddenly all of them.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('read_only', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .execute();
  await db.schema.alterTable('api_keys').addColumn('scope_modules', 'varchar(200)').execute();
  await db.schema.alterTable('api_keys').addColumn('scope_client_ids', 'text').execute();
}
