// SQLite for several server processes at once. better-sqlite3 is synchronous, and SQLite lets one
// writer at a time hold the database; left to itself, a writer in a second process fails with
// SQLITE_BUSY (or, having read first, SQLITE_BUSY_SNAPSHOT). So:
// - every write transaction starts with BEGIN IMMEDIATE, taking the write lock before it reads, so it
//   can never be refused half-way; a single write statement outside a transaction takes it too;
// - waiting for that lock is asynchronous (short retries with back-off, up to a deadline), so the
//   process keeps answering reads while it waits, instead of freezing in SQLite's busy handler;
// - in one process, writers queue on a mutex for the one write connection;
// - reads outside a transaction go to a second, read-only connection, which WAL lets read while
//   anyone writes, so they never wait behind a writer.
import SQLite from './sqlite-binding.ts';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { dbLockWaits } from '../metrics.ts';
import { DatabaseBusyError } from './db-errors.ts';
import { registerFoldFunction } from './fold.ts';
import { withStatementCache } from './statement-cache.ts';

export interface SqliteOptions {
  /** How long a write may wait for the database's write lock before giving up (503, retry later). */
  lockTimeoutMs: number;
  /** `normal` (WAL's usual setting: a power cut may lose the last commits, never corrupts) or `full`. */
  synchronous: 'normal' | 'full';
}

type Statements = ReturnType<typeof withStatementCache>;

/** The write connection and the read connection of one process. */
export class SqliteConnections {
  readonly writer: SQLite.Database;
  readonly writeStatements: Statements;
  private readStatements: Statements | null = null;
  private readConnection: SQLite.Database | null = null;

  constructor(
    readonly file: string,
    readonly options: SqliteOptions,
  ) {
    this.writer = new SQLite(file);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('foreign_keys = ON');
    this.writer.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
    // A few milliseconds of SQLite's own (blocking) wait catch a lock that is about to be free; longer
    // waits happen asynchronously in `withWriteLock`.
    this.writer.pragma('busy_timeout = 5');
    // After a checkpoint the WAL file is cut back to this size instead of staying at its largest.
    this.writer.pragma('journal_size_limit = 67108864');
    // 64 MB of page cache per connection (the default is 2 MB): list pages over 100,000 assets read
    // tens of megabytes of index and table pages.
    this.writer.pragma('cache_size = -65536');
    registerFoldFunction(this.writer);
    this.writeStatements = withStatementCache(this.writer);
  }

  /** The read-only connection, opened on first use; none for an in-memory database (one connection only). */
  reader(): Statements | null {
    if (this.file === ':memory:') return null;
    if (!this.readStatements) {
      this.readConnection = new SQLite(this.file, { readonly: true });
      this.readConnection.pragma('cache_size = -65536');
      // A reader waits only while a crashed writer's WAL is recovered or a checkpoint truncates it.
      this.readConnection.pragma('busy_timeout = 5000');
      registerFoldFunction(this.readConnection);
      this.readStatements = withStatementCache(this.readConnection);
    }
    return this.readStatements;
  }

  close(): void {
    this.readConnection?.close();
    this.writer.close();
  }
}

/** Runs `attempt` until it gets past SQLITE_BUSY, sleeping a little longer each time, up to `deadline`. */
async function retryWhileBusy<T>(attempt: () => T, deadline: number): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) throw new DatabaseBusyError();
      const pause = Math.min(2 ** Math.min(tries, 5), 25) + Math.random() * 3;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Counts a wait for the write lock in the metrics, when there was one worth the name. */
function noteWait(asked: number): void {
  const waited = performance.now() - asked;
  if (waited >= 1) dbLockWaits.observe(waited / 1000);
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** A first-come, first-served lock whose waiters give up at a deadline. */
class WriteMutex {
  held = false;
  private readonly waiters: Array<() => void> = [];

  async lock(deadline: number): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () => {
          const i = this.waiters.indexOf(grant);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new DatabaseBusyError());
        },
        Math.max(0, deadline - Date.now()),
      );
      this.waiters.push(grant);
    });
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

function run(statements: Statements, query: CompiledQuery): QueryResult<unknown> {
  const stmt = statements.prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(parameters) };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** One Kysely "connection": a lease on the process's two SQLite connections. */
class Lease implements DatabaseConnection {
  inTransaction = false;
  holdsMutex = false;

  constructor(private readonly driver: SqliteStoreDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { connections } = this.driver;
    if (this.inTransaction) return run(connections.writeStatements, query) as QueryResult<R>;
    const reader = connections.reader();
    if (reader && reader.prepare(query.sql).readonly) {
      // A read runs on the write connection while no transaction of this process holds it (its page
      // cache stays warm; the reader's is emptied whenever anyone writes), else on the reader.
      return run(this.driver.mutex.held ? reader : connections.writeStatements, query) as QueryResult<R>;
    }
    return this.driver.withWriteLock(() => run(connections.writeStatements, query)) as Promise<QueryResult<R>>;
  }

  // An open iterator would pin its connection (no other statement may write on it, and its snapshot
  // holds back checkpoints) for as long as the caller takes: large reads page by key instead.
  // biome-ignore lint/correctness/useYield: Kysely's driver interface asks for a generator; this one only refuses.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on SQLite here; read in pages (keyset) instead');
  }

  async begin(settings: TransactionSettings): Promise<void> {
    const asked = performance.now();
    const deadline = Date.now() + this.driver.connections.options.lockTimeoutMs;
    await this.driver.mutex.lock(deadline);
    this.holdsMutex = true;
    // A transaction declared read-only takes no lock until it writes (it never should).
    const begin = settings.accessMode === 'read only' ? 'begin deferred' : 'begin immediate';
    await retryWhileBusy(() => this.driver.connections.writer.exec(begin), deadline);
    this.inTransaction = true;
    noteWait(asked);
  }

  async commit(): Promise<void> {
    await retryWhileBusy(() => this.driver.connections.writer.exec('commit'), Date.now() + this.driver.connections.options.lockTimeoutMs);
    this.inTransaction = false;
  }

  rollback(): void {
    this.inTransaction = false;
    if (this.driver.connections.writer.inTransaction) this.driver.connections.writer.exec('rollback');
  }

  release(): void {
    if (this.inTransaction) this.rollback();
    if (this.holdsMutex) {
      this.holdsMutex = false;
      this.driver.mutex.unlock();
    }
  }
}

export class SqliteStoreDriver implements Driver {
  readonly mutex = new WriteMutex();

  constructor(readonly connections: SqliteConnections) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Lease(this);
  }

  /** Runs one write outside a transaction: in turn with this process's writers, and once the lock is free. */
  async withWriteLock<T>(write: () => T): Promise<T> {
    const asked = performance.now();
    const deadline = Date.now() + this.connections.options.lockTimeoutMs;
    await this.mutex.lock(deadline);
    try {
      const result = await retryWhileBusy(write, deadline);
      noteWait(asked);
      return result;
    } finally {
      this.mutex.unlock();
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as Lease).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Lease).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as Lease).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint "${name}"`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Lease).release();
  }

  async destroy(): Promise<void> {
    this.connections.close();
  }
}

/**
 * SQLite runs DDL inside transactions perfectly well, but Kysely's adapter says otherwise, so its
 * migrator would apply each step outside any transaction: a crash half-way would leave a half-built
 * schema, and two servers starting together could interleave. Declaring it makes every migration
 * run atomically; a concurrent migrator waits for the write lock like any writer.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class SqliteStoreDialect implements Dialect {
  constructor(private readonly connections: SqliteConnections) {}
  createDriver(): Driver {
    return new SqliteStoreDriver(this.connections);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
