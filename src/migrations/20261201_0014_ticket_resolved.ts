// When a ticket was resolved, as ITFlow keeps it (ticket_resolved_at): set when a ticket becomes
// Resolved or Closed, cleared when it is reopened. ITFlow's API and its scripts tell open tickets from
// resolved ones by it.
//
// Tickets resolved or closed before this column existed get the best time Steward has: when a closed
// one was closed, and a resolved one's last change (it was resolved by then at the latest).
import { sql, type Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('resolved_at', kit.timestamp).execute();
  await sql`update tickets set resolved_at = coalesce(closed_at, updated_at, created_at) where status in ('Resolved', 'Closed')`.execute(db);
}
