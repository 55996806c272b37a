import type { ColumnType, Generated } from 'kysely';

/** Auto-generated integer primary key. */
export type Id = Generated<number>;
/** A flag: SQLite returns 0/1, PostgreSQL true/false; always written as 0/1 (both accept it). */
export type Flag = ColumnType<number | boolean, number | undefined, number>;
/** ISO-8601 instant, e.g. 2026-11-27T22:57:54.123Z. */
export type Timestamp = string;
/** Calendar date, YYYY-MM-DD. */
export type DateOnly = string;
/** JSON: text on SQLite, jsonb on PostgreSQL; written as a JSON string. */
export type Json = ColumnType<unknown, string | null, string | null>;

/** The columns every record table has. */
export interface RecordColumns {
  id: Id;
  created_at: Timestamp;
  updated_at: Timestamp | null;
  archived_at: Timestamp | null;
}
