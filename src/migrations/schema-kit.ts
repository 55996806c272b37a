// Column types and helpers shared by migrations. Lives beside them (not in src/platform) so that a
// migration never depends on application code that may change after it has shipped.
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface Kit {
  dialect: Dialect;
  /** Point in time: ISO-8601 text on SQLite, timestamptz on PostgreSQL. */
  timestamp: 'text' | 'timestamptz';
  /** Calendar date: YYYY-MM-DD text on SQLite, date on PostgreSQL. */
  date: 'text' | 'date';
  bool: 'integer' | 'boolean';
  json: 'text' | 'jsonb';
  id: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** SQL literal for "false" in a column default. */
  no: ReturnType<typeof sql>;
}

export function kitFor(dialect: Dialect): Kit {
  const pg = dialect === 'postgres';
  return {
    dialect,
    timestamp: pg ? 'timestamptz' : 'text',
    date: pg ? 'date' : 'text',
    bool: pg ? 'boolean' : 'integer',
    json: pg ? 'jsonb' : 'text',
    // AUTOINCREMENT on SQLite so ids of deleted rows are never reused: history keeps pointing at them.
    id: (col) => (pg ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement()),
    no: pg ? sql`false` : sql`0`,
  };
}

/** id, created_at, updated_at and archived_at: the columns every record table starts with. */
export function recordTable<T extends string>(db: Kysely<any>, kit: Kit, name: T): CreateTableBuilder<T, 'id' | 'created_at' | 'updated_at' | 'archived_at'> {
  return db.schema
    .createTable(name)
    .addColumn('id', 'integer', kit.id)
    .addColumn('created_at', kit.timestamp, (c) => c.notNull())
    .addColumn('updated_at', kit.timestamp)
    .addColumn('archived_at', kit.timestamp);
}

/** A client-owned record: also carries client_id, removed with its client. */
export function clientRecordTable<T extends string>(db: Kysely<any>, kit: Kit, name: T) {
  return recordTable(db, kit, name).addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'));
}

export function varchar(n: number) {
  return `varchar(${n})` as const;
}
