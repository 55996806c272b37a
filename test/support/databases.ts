// Test databases: every database-touching test runs on SQLite, and on PostgreSQL too when
// STEWARD_TEST_PG_URL is set (CI sets it and fails if PostgreSQL is unreachable).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import type { DatabaseKind } from '../../src/platform/config.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { openStore, type Store } from '../../src/platform/db/store.ts';

export const DIALECTS: DatabaseKind[] = ['sqlite', ...(process.env.STEWARD_TEST_PG_URL ? (['postgres'] as const) : [])];

export interface TestDb {
  store: Store;
  url: string;
  /** A context acting as a named test user from the web. */
  ctx: Ctx;
  drop(): Promise<void>;
}

/** An empty database of the given kind, unique to the caller. */
export async function createEmptyDatabase(kind: DatabaseKind): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'steward-test-'));
    return { url: join(dir, 'test.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(process.env.STEWARD_TEST_PG_URL!);
  const name = `steward_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function openTestDb(kind: DatabaseKind): Promise<TestDb> {
  const { url, drop } = await createEmptyDatabase(kind);
  const store = openStore({ kind, url });
  await migrateToLatest(store);
  const system: Ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'test setup' }, principal: null, source: 'system' };
  const user = await createUser(system, { email: 'tech@example.test', name: 'Test Technician', password: 'correct horse', role: 'technician' });
  const ctx: Ctx = {
    db: store.db,
    dialect: store.dialect,
    actor: { type: 'user', userId: user.id, name: user.name },
    principal: null,
    source: 'web',
    ip: '203.0.113.7',
  };
  return {
    store,
    url,
    ctx,
    drop: async () => {
      await store.close();
      await drop();
    },
  };
}

/** A migrated test database for the enclosing describe block, opened before its tests and dropped after. */
export function useTestDb(kind: DatabaseKind): TestDb {
  const t = {} as TestDb;
  beforeAll(async () => {
    Object.assign(t, await openTestDb(kind));
  });
  afterAll(async () => t.drop());
  return t;
}
