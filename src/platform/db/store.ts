import { makeFilesPrivate, makePrivateDir } from '../private-files.ts';
import { dirname } from 'node:path';
import type SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type CompiledQuery, type KyselyConfig } from 'kysely';
import pg from 'pg';
import type { Database, Db } from '../../database.ts';
import type { Config, DatabaseKind } from '../config.ts';
import { slowQueries, watchPool } from '../metrics.ts';
import { SqliteConnections, SqliteStoreDialect } from './sqlite-driver.ts';

/** An open database: the Kysely handle plus the raw driver, for the few bulk paths that need it. */
export interface Store {
  db: Db;
  dialect: DatabaseKind;
  /** Present on SQLite: the write connection, for the few bulk paths that drive it themselves. */
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

export interface StoreOptions {
  /** SQLite: how long a write waits for the write lock (default 30 s). */
  lockTimeoutMs?: number;
  /** SQLite: `normal` (default) or `full`. */
  synchronous?: 'normal' | 'full';
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
  /** Queries that take longer than `ms` are reported to `log` (with their SQL, never their values). */
  slowQueries?: { ms: number; log: (entry: { sql: string; ms: number }) => void };
}

export function openStore(database: { kind: DatabaseKind; url: string }, options: StoreOptions = {}): Store {
  return database.kind === 'postgres' ? openPostgres(database.url, options) : openSqlite(database.url, options);
}

/** The store options a configuration asks for. */
export function storeOptions(
  config: Pick<Config, 'dbLockTimeoutMs' | 'sqliteSynchronous' | 'dbPool'>,
  slowQueries?: StoreOptions['slowQueries'],
): StoreOptions {
  return { lockTimeoutMs: config.dbLockTimeoutMs, synchronous: config.sqliteSynchronous, poolSize: config.dbPool, ...(slowQueries ? { slowQueries } : {}) };
}

function kyselyLog(options: StoreOptions): KyselyConfig['log'] {
  const slow = options.slowQueries;
  if (!slow || slow.ms <= 0) return undefined;
  return (event) => {
    if (event.queryDurationMillis < slow.ms) return;
    slowQueries.inc();
    slow.log({ sql: event.query.sql.slice(0, 2000), ms: Math.round(event.queryDurationMillis) });
  };
}

function openSqlite(file: string, options: StoreOptions): Store {
  if (file !== ':memory:') makePrivateDir(dirname(file));
  const connections = new SqliteConnections(file, { lockTimeoutMs: options.lockTimeoutMs ?? 30_000, synchronous: options.synchronous ?? 'normal' });
  // SQLite makes its -wal and -shm with the database file's permissions, so the three stay private.
  if (file !== ':memory:') makeFilesPrivate([file, `${file}-wal`, `${file}-shm`]);
  const db = new Kysely<Database>({ dialect: new SqliteStoreDialect(connections), log: kyselyLog(options) });
  const read = async <R>(query: CompiledQuery<R>): Promise<R[]> => {
    // An in-memory database exists only on its own connection.
    const reader = connections.reader();
    if (!reader) return (await db.executeQuery(query)).rows;
    return reader.prepare(query.sql).all(query.parameters as unknown[]) as R[];
  };
  const close = async () => {
    await db.destroy();
  };
  return { db, dialect: 'sqlite', sqlite: connections.writer, read, close };
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

function openPostgres(url: string, options: StoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // During an outage a request gives up on a connection after this long (and answers 503), instead of
    // hanging; it is also the longest a request waits for a free connection under load.
    connectionTimeoutMillis: 10_000,
    // A write waits this long for a row or table lock another writer holds, then answers "busy" (503,
    // or v1's failure envelope) instead of waiting as long as the holder likes.
    lock_timeout: options.lockTimeoutMs ?? 30_000,
    keepAlive: true,
    types: { getTypeParser: typeParser } as pg.CustomTypesConfig,
  });
  let ending = false;
  // A connection the server drops (a restart, a network cut, a terminated backend) is an 'error' event,
  // on the pool while it is idle and on the client while it is checked out. Unhandled, either would stop
  // the whole process; handled, the query in flight fails (and its request answers 503) and the pool
  // replaces the connection on next use.
  pool.on('error', (error) => {
    if (!ending) console.warn(`PostgreSQL dropped an idle connection (${error.message}); it will be replaced`);
  });
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      if (!ending) console.warn(`PostgreSQL connection lost (${error.message}); it will be replaced`);
    });
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: kyselyLog(options) });
  const read = async <R>(query: CompiledQuery<R>): Promise<R[]> => (await db.executeQuery(query)).rows;
  const unwatch = watchPool(pool);
  const close = async () => {
    ending = true;
    unwatch();
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
