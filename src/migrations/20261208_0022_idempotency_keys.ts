// API v2 (issue 17): the first answer to a POST sent with an Idempotency-Key, kept a day per API key, so
// a script that retries after a timeout gets the same answer instead of a second record. A row with no
// status yet is a request still running; the unique index makes two concurrent first tries one.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('id', 'integer', kit.id)
    .addColumn('api_key_id', 'integer', (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_headers', 'text')
    .addColumn('response_body', 'text')
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idempotency_keys_key').on('idempotency_keys').columns(['api_key_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}
