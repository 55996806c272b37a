import type SQLite from 'better-sqlite3';

/**
 * Kysely prepares every SQLite statement anew on each query; preparing costs as much as running a
 * lookup by id. This keeps the most recently used statements prepared. A statement that is still
 * being iterated (a streamed query) is busy and cannot be reused, so a fresh one is prepared instead.
 */
export interface CachedStatements {
  prepare(sql: string): SQLite.Statement;
  close(): void;
}

export function withStatementCache(db: SQLite.Database, size = 500): CachedStatements {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}
