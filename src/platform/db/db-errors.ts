// Database failures that are nobody's mistake and pass by themselves: the write lock held too long by
// other writers, or the database server restarting or out of reach. Every surface answers them with
// "try again shortly" (HTTP 503 with Retry-After), never with the driver's message.

export class DatabaseUnavailableError extends Error {
  constructor(
    message: string,
    /** A fair guess at when to try again. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Other writers, not an outage: a lock held too long, no free connection, conflicts that kept coming back. */
export class DatabaseContentionError extends DatabaseUnavailableError {}

/** Other writers held the database's write lock for longer than a write may wait. */
export class DatabaseBusyError extends DatabaseContentionError {
  constructor() {
    super('the database stayed busy with other writes for too long', 2);
  }
}

// Node's socket errors and the driver's own messages when the connection is gone or cannot be made.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const LOST_CONNECTION =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Connection ended|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * The same failure as a DatabaseUnavailableError when it is one (PostgreSQL unreachable, restarting,
 * or the connection lost; SQLite waiting too long), else null.
 */
export function asDatabaseUnavailable(error: unknown): DatabaseUnavailableError | null {
  if (error instanceof DatabaseUnavailableError) return error;
  if (!error || typeof error !== 'object') return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const sqlState = typeof code === 'string' ? code : '';
  // SQLSTATE class 08: connection exception; 57P01–57P03: the server shutting down or starting up.
  if (
    NETWORK_CODES.has(sqlState) ||
    sqlState.startsWith('08') ||
    ['57P01', '57P02', '57P03'].includes(sqlState) ||
    (typeof message === 'string' && LOST_CONNECTION.test(message))
  ) {
    return new DatabaseUnavailableError('the database is unavailable', 5, { cause: error });
  }
  // 53300: PostgreSQL has no connection slot left (max_connections), a passing overload.
  if (sqlState === '53300') return new DatabaseContentionError('the database has no free connection', 2, { cause: error });
  // 55P03: PostgreSQL's lock_timeout (STEWARD_DB_LOCK_TIMEOUT) passed while another writer held a lock.
  if (sqlState.startsWith('SQLITE_BUSY') || sqlState.startsWith('SQLITE_LOCKED') || sqlState === '55P03')
    return new DatabaseContentionError('the database is busy', 2, { cause: error });
  // Serialization failures and deadlocks still there after inTransaction's retries.
  if (isRetryableTransactionError(error)) return new DatabaseContentionError('other writes to the same records kept conflicting', 1, { cause: error });
  return null;
}

/**
 * A failure a transaction may simply run again: PostgreSQL's serialization failures and deadlocks, or
 * a row found changed since it was read in the same transaction (optimistic locking without a version
 * from the caller).
 */
export function isRetryableTransactionError(error: unknown): boolean {
  if (error instanceof Error && (error as { retryable?: boolean }).retryable === true) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * The unique index or constraint a write broke, when that is what failed, else null: PostgreSQL names
 * it (SQLSTATE 23505); SQLite names an index ("index 'tags_name'") or its columns ("tags.name").
 */
export function uniqueViolation(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505') return typeof constraint === 'string' ? constraint : '';
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return null;
  const text = typeof message === 'string' ? message : '';
  return /index '([^']+)'/.exec(text)?.[1] ?? /failed: (.+)$/.exec(text)?.[1] ?? '';
}
