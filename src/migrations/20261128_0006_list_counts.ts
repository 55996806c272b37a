// The asset list counts its type tabs on every page; over the active assets of all clients that read
// every row (57 ms at 100,000 assets on SQLite). This index answers the count on its own (4 ms).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, _kit: Kit): Promise<void> {
  await sql`create index assets_active_type on assets (lower(type)) where archived_at is null`.execute(db);
}
