// In-app notifications, first of all warranty alerts. One row per user, asset, alert and warranty
// date: the unique key is what keeps a daily job from telling anyone the same thing twice, however
// often it runs and whatever days it missed.
import { sql, type Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', kit.id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    // An asset that is deleted takes its alerts with it.
    .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('due_date', kit.date, (c) => c.notNull())
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('read_at', kit.timestamp)
    .addColumn('dismissed_at', kit.timestamp)
    .execute();
  await sql`create unique index notifications_once on notifications (user_id, asset_id, kind, days_before, due_date)`.execute(db);
  await sql`create index notifications_user on notifications (user_id, dismissed_at, id)`.execute(db);
}
