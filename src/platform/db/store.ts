import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database, Db } from '../../database.ts';
import type { DatabaseKind } from '../config.ts';
import { withStatementCache } from './statement-cache.ts';
import type { SqliteDatabase } from 'kysely';

/** An open database: the Kysely handle plus the raw driver, for the few bulk paths that need it. */
export interface Store {
  db: Db;
  dialect: DatabaseKind;
  /** Present on SQLite. */
  sqlite?: SQLite.Database;
  /** Present on PostgreSQL. */
  pool?: pg.Pool;
  /**
   * Runs a read of committed data, never inside a transaction. On SQLite it runs synchronously on a
   * second, read-only connection (WAL lets it read while the main one writes), skipping the queueing
   * every Kysely query goes through; that is most of the cost of a lookup by id.
   */
  read<R>(query: CompiledQuery<R>): Promise<R[]>;
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
  // 64 MB of page cache per connection (the default is 2 MB): list pages over 100,000 assets read
  // tens of megabytes of index and table pages.
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new TransactionalDdlSqliteDialect({ database: withStatementCache(sqlite) }) });
  let reader: SqliteDatabase | null = null;
  const read = async <R>(query: CompiledQuery<R>): Promise<R[]> => {
    // An in-memory database exists only on its own connection.
    if (file === ':memory:') return (await db.executeQuery(query)).rows;
    if (!reader) {
      const connection = new SQLite(file, { readonly: true });
      connection.pragma('cache_size = -65536');
      reader = withStatementCache(connection);
    }
    return reader.prepare(query.sql).all(query.parameters as unknown[]) as R[];
  };
  const close = async () => {
    reader?.close();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', sqlite, read, close };
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
  // An idle connection that the server drops (a restart, a terminated backend) is an 'error' event on
  // the pool; unhandled, it would stop the whole process. The pool replaces the connection on next use.
  pool.on('error', (error) => {
    if (!ending) console.warn(`PostgreSQL dropped an idle connection (${error.message}); it will be replaced`);
  });
  let ending = false;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const read = async <R>(query: CompiledQuery<R>): Promise<R[]> => (await db.executeQuery(query)).rows;
  const close = async () => {
    ending = true;
    await db.destroy();
  };
  return { db, dialect: 'postgres', pool, read, close };
}

/**
 * For a one-off bulk job on its own process (a CLI import): a 16 MB page cache instead of 64 MB. The
 * job writes each page about once, so the big cache only adds to its memory.
 */
export function useSmallCache(store: Store): void {
  store.sqlite?.pragma('cache_size = -16384');
}
