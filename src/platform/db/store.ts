import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from '../../database.ts';
import type { DatabaseKind } from '../config.ts';
import { withStatementCache } from './statement-cache.ts';

/** An open database: the Kysely handle plus the raw driver, for the few bulk paths that need it. */
export interface Store {
  db: Db;
  dialect: DatabaseKind;
  /** Present on SQLite. */
  sqlite?: SQLite.Database;
  /** Present on PostgreSQL. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export function openStore(database: { kind: DatabaseKind; url: string }): Store {
  return database.kind === 'postgres' ? openPostgres(database.url) : openSqlite(database.url);
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new TransactionalDdlSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

/**
 * SQLite runs DDL inside transactions perfectly well, but Kysely's adapter says otherwise, so its
 * migrator would apply each step outside any transaction: a crash half-way would leave a half-built
 * schema, and two servers starting together could interleave. Declaring it makes every migration
 * run atomically; a concurrent migrator then fails on SQLite's write lock and retries.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

// Parse PostgreSQL values into the same shapes SQLite gives: ISO-8601 text for instants, YYYY-MM-DD
// text for dates, numbers for counts. Set per pool, never globally.
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const DATE = 1082;
const INT8 = 20;
const NUMERIC = 1700;

function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === TIMESTAMPTZ || oid === TIMESTAMP) return (v) => new Date(oid === TIMESTAMP ? `${v}Z` : v).toISOString();
  if (oid === DATE) return (v) => v;
  if (oid === INT8 || oid === NUMERIC) return (v) => Number(v);
  return pg.types.getTypeParser(oid, format as 'text');
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: { getTypeParser: typeParser } as pg.CustomTypesConfig });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', pool, close: () => db.destroy() };
}
