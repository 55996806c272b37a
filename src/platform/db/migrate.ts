import { Migrator, sql } from 'kysely';
import { MIGRATION_NAMES, migrationProvider } from '../../migrations/index.ts';
import { DatabaseBusyError } from './db-errors.ts';
import { isBusy } from './sqlite-driver.ts';
import type { Store } from './store.ts';

export interface MigrationLevel {
  /** Name of the newest applied migration, or null on an empty database. */
  level: string | null;
  applied: number;
  pending: number;
}

// Any fixed number: every Steward process asks PostgreSQL for this same advisory lock.
const PG_MIGRATION_LOCK = 7_351_913_001;

/**
 * Brings the schema to the newest migration. Safe when several app servers start at once:
 * on PostgreSQL they queue on an advisory lock; on SQLite all pending steps run in one transaction,
 * the database's write lock serialises them, and a loser rolls back, retries, and finds nothing left.
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.dialect) });
  if (store.dialect === 'postgres') {
    const client = await store.pool!.connect();
    try {
      // Another server's migration may take minutes on a large database: wait for it however long it takes.
      await client.query('set lock_timeout = 0');
      await client.query('select pg_advisory_lock($1)', [PG_MIGRATION_LOCK]);
      return await runMigrator(migrator);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [PG_MIGRATION_LOCK]).catch(() => undefined);
      await client.query('reset lock_timeout').catch(() => undefined);
      client.release();
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await runMigrator(migrator);
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

async function runMigrator(migrator: Migrator): Promise<string[]> {
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function isSqliteBusy(error: unknown): boolean {
  return error instanceof DatabaseBusyError || isBusy(error);
}

export async function migrationLevel(store: Store): Promise<MigrationLevel> {
  let applied: string[] = [];
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    applied = rows.rows.map((r) => r.name);
  } catch {
    applied = [];
  }
  return {
    level: applied.at(-1) ?? null,
    applied: applied.length,
    pending: MIGRATION_NAMES.filter((n) => !applied.includes(n)).length,
  };
}
