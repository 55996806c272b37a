// Fresh, throw-away databases for the benchmark: a temp SQLite file, or a new PostgreSQL database
// created through an admin connection. Each is migrated to the latest schema and removed by drop().
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseKind } from '../src/platform/config.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { openStore, type Store } from '../src/platform/db/store.ts';

export interface BenchDatabase {
  store: Store;
  /** Where it lives, for the log. */
  location: string;
  /** Closes the store and deletes the database. */
  drop(): Promise<void>;
}

/** Thrown when PostgreSQL cannot be used at all; the run goes on without it. */
export class Unavailable extends Error {}

export async function freshSqlite(): Promise<BenchDatabase> {
  const file = join(tmpdir(), `steward_bench_${randomBytes(4).toString('hex')}.db`);
  const store = openStore({ kind: 'sqlite', url: file });
  const drop = async () => {
    await store.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  };
  try {
    await migrateToLatest(store);
  } catch (error) {
    await drop();
    throw error;
  }
  return { store, location: file, drop };
}

export async function freshPostgres(adminUrl: string): Promise<BenchDatabase> {
  const name = `steward_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw new Unavailable(`${redact(adminUrl)}: ${describe(error)}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = openStore({ kind: 'postgres', url: url.toString() });
  const drop = async () => {
    try {
      await store.close();
      await admin.query(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  };
  try {
    await migrateToLatest(store);
  } catch (error) {
    await drop();
    throw error;
  }
  return { store, location: `${redact(adminUrl)} → database ${name}`, drop };
}

export function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  const e = error as { code?: string; message?: string } | null;
  const message = e?.message || String(error);
  return e?.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export const DATABASE_NAMES: Record<DatabaseKind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * Runs a benchmark on a fresh database of each kind, dropping it afterwards. A PostgreSQL that cannot
 * be reached is skipped with a note; a benchmark that fails is noted and sets a failing exit code.
 */
export async function eachDatabase<F>(
  kinds: DatabaseKind[],
  pgUrl: string,
  run: (store: Store) => Promise<F>,
): Promise<{ results: Map<DatabaseKind, F>; notes: string[] }> {
  const results = new Map<DatabaseKind, F>();
  const notes: string[] = [];
  for (const kind of kinds) {
    let db: BenchDatabase;
    try {
      db = kind === 'sqlite' ? await freshSqlite() : await freshPostgres(pgUrl);
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      const line = `${DATABASE_NAMES[kind]} skipped: cannot create a database through ${error.message}`;
      console.log(`\n${line}`);
      notes.push(line);
      continue;
    }
    console.log(`\n${DATABASE_NAMES[kind]}: ${db.location}`);
    try {
      results.set(kind, await run(db.store));
    } catch (error) {
      const line = `${DATABASE_NAMES[kind]} failed: ${describe(error)}`;
      console.error(line);
      notes.push(line);
      process.exitCode = 1;
    } finally {
      await db.drop();
    }
  }
  return { results, notes };
}
