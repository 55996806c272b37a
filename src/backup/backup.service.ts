// Online backup and restore. A backup is one .tar.gz file: a manifest, a consistent copy of the
// database taken while Steward keeps writing (SQLite: VACUUM INTO, a single read transaction that never
// blocks writers; PostgreSQL: pg_dump, which reads one snapshot), and the secret key only when asked.
// A plain `cp` of a SQLite file under load is not a backup: the newest commits live in the -wal file
// beside it, and a copy of the two taken at different moments is neither.
import { makePrivateDir } from '../platform/private-files.ts';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite, { SQLITE_DRIVER } from '../platform/db/sqlite-binding.ts';
import { sql } from 'kysely';
import * as tar from 'tar';
import type { Config } from '../platform/config.ts';
import { migrationLevel } from '../platform/db/migrate.ts';
import { openStore, type Store } from '../platform/db/store.ts';
import { keySource } from '../platform/secrets.ts';
import { VERSION } from '../version.ts';

export interface BackupManifest {
  format: 'steward-backup';
  formatVersion: 1;
  stewardVersion: string;
  database: 'sqlite' | 'postgres';
  migration: string | null;
  createdAt: string;
  includesKey: boolean;
  /** Rows per table in the copy (SQLite; a PostgreSQL dump is not counted), to compare after a restore. */
  rows: Record<string, number>;
}

export class BackupError extends Error {}

const DUMP = { sqlite: 'database.sqlite', postgres: 'database.pgdump' } as const;

/** How much of the copy is written, of how much (0 when not known). */
export type BackupProgress = (written: number, total: number) => void;

/** Writes a backup of the configured database to `output`; returns its manifest. */
export async function backup(
  config: Config,
  store: Store,
  output: string,
  options: { includeKey: boolean; onProgress?: BackupProgress },
): Promise<BackupManifest> {
  const work = mkdtempSync(join(tmpdir(), 'steward-backup-'));
  try {
    const dump = join(work, DUMP[store.dialect]);
    const rows =
      store.dialect === 'sqlite'
        ? await copySqlite(config.database.url, dump, options.onProgress)
        : await dumpPostgres(config.database.url, dump, options.onProgress);
    const manifest: BackupManifest = {
      format: 'steward-backup',
      formatVersion: 1,
      stewardVersion: VERSION,
      database: store.dialect,
      migration: (await migrationLevel(store)).level,
      createdAt: new Date().toISOString(),
      includesKey: options.includeKey,
      rows,
    };
    const files = ['manifest.json', DUMP[store.dialect]];
    if (options.includeKey) {
      writeFileSync(join(work, 'secret.key'), `${instanceKey(config)}\n`, { mode: 0o600 });
      files.push('secret.key');
    }
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest, null, 2));
    // Written beside the target and renamed: a backup that fails half-way leaves no half file behind.
    const partial = `${output}.partial-${process.pid}`;
    await tar.create({ file: partial, cwd: work, gzip: true, portable: true }, files);
    renameSync(partial, output);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The instance key as text: the variable, or the key file. */
function instanceKey(config: Pick<Config, 'secretKey' | 'dataDir'>): string {
  if (config.secretKey) return config.secretKey;
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) throw new BackupError(`--include-key: there is no key to include (${keySource(config)} does not exist)`);
  return readFileSync(file, 'utf8').trim();
}

// VACUUM INTO is one synchronous call; run in a worker thread, it leaves this thread free to report
// how far the copy has got (the size of the file it writes).
const COPY_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true });
try {
  db.pragma('busy_timeout = 10000');
  db.prepare('vacuum into ?').run(workerData.target);
  parentPort.postMessage({ done: true });
} catch (error) {
  parentPort.postMessage({ error: error.message });
} finally {
  db.close();
}`;

/** SQLite: one read transaction copies every page as of its start; writers carry on meanwhile. */
async function copySqlite(file: string, target: string, onProgress?: BackupProgress): Promise<Record<string, number>> {
  const source = new SQLite(file, { readonly: true });
  const pages = Number(source.pragma('page_count', { simple: true })) - Number(source.pragma('freelist_count', { simple: true }));
  const bytes = pages * Number(source.pragma('page_size', { simple: true }));
  source.close();
  const worker = new Worker(COPY_WORKER, { eval: true, workerData: { driver: SQLITE_DRIVER, file, target } });
  const timer = onProgress ? setInterval(() => onProgress(existsSync(target) ? statSync(target).size : 0, bytes), 250) : null;
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { done?: boolean; error?: string }) => (m.error ? reject(new BackupError(`the copy failed: ${m.error}`)) : resolve()));
      worker.once('error', reject);
    });
  } finally {
    if (timer) clearInterval(timer);
    await worker.terminate();
  }
  onProgress?.(statSync(target).size, bytes);
  const copy = new SQLite(target, { readonly: true });
  try {
    return Object.fromEntries(sqliteTables(copy).map((t) => [t, (copy.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n]));
  } finally {
    copy.close();
  }
}

function sqliteTables(db: SQLite.Database): string[] {
  return (
    db
      .prepare(`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like 'asset_search_%' order by name`)
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
}

/** PostgreSQL: pg_dump reads one snapshot (a repeatable-read transaction) while Steward keeps writing. */
async function dumpPostgres(url: string, target: string, onProgress?: BackupProgress): Promise<Record<string, number>> {
  // The dump is compressed, so its final size is not known: the progress shows how much is written.
  const timer = onProgress ? setInterval(() => onProgress(existsSync(target) ? statSync(target).size : 0, 0), 250) : null;
  try {
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${target}`, `--dbname=${url}`], 'PostgreSQL backups use pg_dump');
  } finally {
    if (timer) clearInterval(timer);
  }
  // Counting rows here would count a later moment than the dump's snapshot; only SQLite's copy is counted.
  return {};
}

export async function postgresTables(store: Store): Promise<string[]> {
  const r = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    store.db,
  );
  return r.rows.map((x) => x.name);
}

/** Runs a PostgreSQL client program, explaining what to install when it is missing. */
function run(program: string, args: string[], why: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new BackupError(
              `${why}, which is not installed here: install PostgreSQL's client programs (Debian: apt-get install postgresql-client, of the server's major version or newer)`,
            )
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${program} failed (exit code ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

export interface RestoreResult {
  manifest: BackupManifest;
  keyRestored: boolean;
}

/**
 * Restores a backup into the configured database, which must hold nothing a person entered (no users,
 * no clients): a new data directory, a new PostgreSQL database, or one Steward has only just set up.
 * The secret key, when the backup has it, goes into the data directory (unless STEWARD_SECRET_KEY is set,
 * which must then be the same key). Migrations run afterwards, so an older backup comes up to date.
 */
export async function restore(config: Config, file: string): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`${file}: no such file`);
  const work = mkdtempSync(join(tmpdir(), 'steward-restore-'));
  try {
    await tar.extract({ file, cwd: work, strict: true }).catch((error: Error) => {
      throw new BackupError(`${file} is not a Steward backup (${error.message})`);
    });
    const manifestFile = join(work, 'manifest.json');
    if (!existsSync(manifestFile)) throw new BackupError(`${file} is not a Steward backup (it has no manifest.json)`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.format !== 'steward-backup') throw new BackupError(`${file} is not a Steward backup`);
    if (manifest.database !== config.database.kind) {
      throw new BackupError(
        `${file} is a backup of a ${manifest.database} database, and STEWARD_DATABASE_URL points at ${config.database.kind}; restore it into the same kind of database`,
      );
    }
    makePrivateDir(config.dataDir);
    if (config.database.kind === 'sqlite') makePrivateDir(dirname(config.database.url));
    const keyRestored = manifest.includesKey ? placeKey(config, readFileSync(join(work, 'secret.key'), 'utf8').trim()) : false;
    if (config.database.kind === 'sqlite') await restoreSqlite(config.database.url, join(work, DUMP.sqlite));
    else await restorePostgres(config.database.url, join(work, DUMP.postgres));
    return { manifest, keyRestored };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Puts the backup's key where Steward reads it; refuses to replace a different key. */
function placeKey(config: Pick<Config, 'secretKey' | 'dataDir'>, key: string): boolean {
  if (config.secretKey) {
    if (config.secretKey !== key)
      throw new BackupError("STEWARD_SECRET_KEY is set to another key than the one in this backup; unset it, or set it to the backup's key");
    return false;
  }
  const target = join(config.dataDir, 'secret.key');
  if (existsSync(target)) {
    if (readFileSync(target, 'utf8').trim() !== key)
      throw new BackupError(`${target} holds another key than the one in this backup; move it away first (it may belong to other data)`);
    return false;
  }
  writeFileSync(target, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return true;
}

/**
 * Refuses to restore over anything but an empty database or one Steward only just set up (its tables,
 * no users, no clients). A database with other tables is someone else's: it is never touched.
 */
async function checkRestorable(store: Store, tables: string[], where: string): Promise<void> {
  if (tables.length === 0) return;
  if (!tables.includes('kysely_migration') || !tables.includes('users') || !tables.includes('clients')) {
    throw new BackupError(`${where} has tables that are not Steward's; restore into a new, empty database`);
  }
  const users = await store.db.selectFrom('users').select('id').limit(1).execute();
  const clients = await store.db.selectFrom('clients').select('id').limit(1).execute();
  if (users.length > 0 || clients.length > 0) {
    throw new BackupError(
      `${where} already holds data; restore into a new, empty place (a new STEWARD_DATA_DIR, or a new database from createdb) or move that data away first`,
    );
  }
}

async function restoreSqlite(target: string, copy: string): Promise<void> {
  if (existsSync(target) && statSync(target).size > 0) {
    const store = openStore({ kind: 'sqlite', url: target });
    try {
      const tables = (await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows.map(
        (r) => r.name,
      );
      await checkRestorable(store, tables, target);
    } finally {
      await store.close();
    }
  }
  const partial = join(dirname(target), `.restore-${process.pid}.db`);
  copyFileSync(copy, partial);
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  renameSync(partial, target);
}

async function restorePostgres(url: string, dump: string): Promise<void> {
  const store = openStore({ kind: 'postgres', url });
  try {
    const tables = await postgresTables(store);
    await checkRestorable(store, tables, 'the PostgreSQL database');
    // Tables Steward made on a first start, holding only its seeded lists, make way for the backup's.
    for (const table of tables) await sql`drop table if exists ${sql.table(table)} cascade`.execute(store.db);
  } finally {
    await store.close();
  }
  await run(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, dump],
    'PostgreSQL restores use pg_restore',
  );
}
