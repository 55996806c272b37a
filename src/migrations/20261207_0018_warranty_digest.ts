// Warranty digests (issue 16, point 12): warranties that ended with no alert sent (a first start on a
// large register, days the job did not run) are told to each user in one notification a day rather
// than one per asset. A digest belongs to no asset, so the per-asset key does not keep it single: this
// index does, however many servers run the job.
import { sql, type Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, _kit: Kit): Promise<void> {
  await sql`create unique index notifications_digest_once on notifications (user_id, kind, due_date) where asset_id is null and kind = 'warranty_digest'`.execute(
    db,
  );
}
