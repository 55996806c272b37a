// Webhooks (issue 17): the endpoints administrators register, the outbox of events written in the same
// transaction as the change they describe, one delivery per event and webhook (claimed with a lease so
// no two processes send it at once) and the log of every attempt.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', kit.id)
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('url', 'varchar(2000)', (c) => c.notNull())
    // JSON array of event types and patterns (`asset.*`); an empty array means every event.
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'varchar(200)', (c) => c.notNull())
    .addColumn('active', kit.bool, (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', kit.timestamp)
    .addColumn('disabled_reason', 'varchar(500)')
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('updated_at', kit.timestamp)
    .execute();
  await db.schema.createIndex('webhooks_active').on('webhooks').column('active').execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'integer', kit.id)
    .addColumn('event_id', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('type', 'varchar(60)', (c) => c.notNull())
    .addColumn('client_id', 'integer')
    .addColumn('occurred_at', kit.timestamp, (c) => c.notNull())
    // The event exactly as delivered (JSON text), so every delivery and redelivery sends the same bytes.
    .addColumn('body', 'text', (c) => c.notNull())
    // Set once the event has been turned into deliveries for the webhooks that want it.
    .addColumn('dispatched_at', kit.timestamp)
    .execute();
  await db.schema.createIndex('webhook_events_pending').on('webhook_events').columns(['dispatched_at', 'id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', kit.id)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
    .addColumn('delivery_key', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('event_type', 'varchar(60)', (c) => c.notNull())
    // pending, delivered or failed (gave up)
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', kit.timestamp, (c) => c.notNull())
    .addColumn('claimed_until', kit.timestamp)
    .addColumn('claim_token', 'varchar(36)')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', kit.timestamp)
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'integer', kit.id)
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempted_at', kit.timestamp, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('ok', kit.bool, (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'varchar(500)')
    .addColumn('request_excerpt', 'text')
    .addColumn('response_excerpt', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
}
