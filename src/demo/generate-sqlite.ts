// The SQLite side of `steward generate`: one transaction, indexes rebuilt once, and the search index
// built in parallel by a worker thread (search-index-worker.ts).
import type SQLite from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { Store } from '../platform/db/store.ts';
import { startModuleWorker } from '../platform/worker.ts';
import type { Writer } from './generate.types.ts';
import { SEARCH_SHADOW_TABLES, SEARCH_TABLE, type SearchWorkerData, type SearchWorkerMessage, type SearchWorkerRequest } from './search-index-worker.ts';

/**
 * SQLite: everything in one transaction, so a failure leaves the database as it was. Inside it:
 * - the secondary indexes of the three tables are dropped and rebuilt once at the end, from exactly the
 *   definitions the migrations created (read back from the schema): one sort each instead of a million
 *   scattered index insertions;
 * - on a database file, the search index is built in parallel by a worker thread, in a side file holding
 *   a copy of the current index plus the new documents, then copied over the database's own index;
 * - outside WAL where possible (only when this is the database's sole connection), so that the pages
 *   are written once instead of to the log and then again into the file.
 * Connection settings changed here are restored afterwards.
 */
export async function sqliteWriter(store: Store, at: string): Promise<Writer> {
  const db = store.sqlite!;
  const saved = {
    cacheSize: Number(db.pragma('cache_size', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    foreignKeys: Number(db.pragma('foreign_keys', { simple: true })),
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    busyTimeout: Number(db.pragma('busy_timeout', { simple: true })),
  };
  const sideFile = db.memory ? null : `${db.name}.generate-${process.pid}`;
  let search: SearchWorker | null = null;
  let indexes: Array<{ name: string; sql: string }> = [];
  let began = false;

  const cleanUp = async () => {
    if (began && db.inTransaction) db.exec('rollback');
    await search?.stop();
    if (sideFile) {
      if (db.prepare(`select 1 from pragma_database_list where name = 'generate_search'`).get()) db.exec('detach database generate_search');
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(sideFile + suffix, { force: true });
    }
    if (String(db.pragma('journal_mode', { simple: true })) !== saved.journalMode) db.pragma(`journal_mode = ${saved.journalMode}`);
    db.pragma(`foreign_keys = ${saved.foreignKeys}`);
    db.pragma(`cache_size = ${saved.cacheSize}`);
    db.pragma(`synchronous = ${saved.synchronous}`);
    db.pragma(`busy_timeout = ${saved.busyTimeout}`);
  };

  try {
    // The generated rows are consistent by construction, so per-row foreign-key checks only cost time.
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -1000000');
    db.pragma('synchronous = OFF');
    if (sideFile && saved.journalMode === 'wal') leaveWal(db);
    // ATTACH is refused inside a transaction; the worker creates the file's content later.
    if (sideFile) db.prepare('attach database ? as generate_search').run(sideFile);
    // A running server may be writing: this one-off job simply waits its turn for the write lock. (Not
    // BEGIN IMMEDIATE: that would also lock the attached side file the search-index worker writes.)
    db.pragma('busy_timeout = 60000');
    db.exec('begin');
    began = true;
    indexes = db
      .prepare(
        `select name, sql from main.sqlite_schema where type = 'index' and sql is not null and tbl_name in ('assets', 'asset_interfaces', 'asset_events') order by rowid`,
      )
      .all() as Array<{ name: string; sql: string }>;
    for (const index of indexes) db.exec(`drop index main."${index.name}"`);
    if (sideFile) {
      // Started once this transaction holds the write lock (taken by the drops above), so the index it
      // copies cannot change before it is replaced.
      const createSql = (db.prepare(`select sql from main.sqlite_schema where name = 'asset_search'`).get() as { sql: string }).sql;
      search = await startSearchWorker({ side: sideFile, source: db.name, createSql });
    }
  } catch (error) {
    await cleanUp();
    throw error;
  }

  const insertAsset = db.prepare(
    `insert into main.assets (id, client_id, name, type, make, model, serial, os, status, purchase_date, install_date, warranty_expire, favorite, version, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?)`,
  );
  const insertInterface = db.prepare(`insert into main.asset_interfaces (asset_id, name, mac, ip, is_primary, created_at) values (?, '01', ?, ?, 1, ?)`);
  const insertSearch = db.prepare(`insert into main.asset_search (rowid, doc) values (?, ?)`);
  const insertEvent = db.prepare(
    `insert into main.asset_events (asset_id, client_id, asset_name, action, actor_type, actor_name, source, details, created_at)
     values (?, ?, ?, 'created', 'system', 'steward generate', 'system', '{"generated":true}', ?)`,
  );
  return {
    async clients(count) {
      const insert = db.prepare(`insert into main.clients (name, type, favorite, created_at) values (?, 'Generated', 0, ?) returning id`);
      const ids: number[] = [];
      for (let c = 1; c <= count; c++) ids.push((insert.get(`Generated Client ${c}`, at) as { id: number }).id);
      return ids;
    },
    async maxAssetId() {
      const row = db.prepare(`select coalesce(max(seq), 0) as n from main.sqlite_sequence where name = 'assets'`).get() as { n: number } | undefined;
      return row?.n ?? 0;
    },
    async assets(rows) {
      for (const r of rows) {
        insertAsset.run(r.id, r.client_id, r.name, r.type, r.make, r.model, r.serial, r.os, r.status, r.purchase_date, r.install_date, r.warranty_expire, at);
        insertInterface.run(r.id, r.mac, r.ip, at);
        if (!search) insertSearch.run(r.id, r.doc);
        insertEvent.run(r.id, r.client_id, r.name, at);
      }
      search?.add(
        rows[0]!.id,
        rows.map((r) => r.doc),
      );
    },
    async finish() {
      try {
        // The worker merges its index while the indexes here are rebuilt.
        const searched = search?.finish();
        for (const index of indexes) db.exec(index.sql);
        if (search) {
          await searched;
          replaceSearchIndex(db);
        }
        db.exec('commit');
      } finally {
        await cleanUp();
      }
      db.pragma('optimize');
    },
    async abort() {
      await cleanUp();
    },
  };
}

/** Switches to a rollback journal if this is the database's only connection; otherwise stays in WAL. */
function leaveWal(db: SQLite.Database): void {
  const busyTimeout = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma('busy_timeout = 0'); // Another connection will not go away by waiting.
  try {
    db.pragma('journal_mode = truncate');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/**
 * Swaps the search index for the one the worker built in the attached side file. The table is dropped
 * and created again first, so that no cached state of the old index survives in this connection; its
 * settings (the config table) are kept as they were.
 */
function replaceSearchIndex(db: SQLite.Database): void {
  const createSql = (db.prepare(`select sql from main.sqlite_schema where name = ?`).get(SEARCH_TABLE) as { sql: string }).sql;
  const settings = db.prepare(`select k, v from main.${SEARCH_TABLE}_config where k <> 'version'`).all() as Array<{ k: string; v: unknown }>;
  db.exec(`drop table main.${SEARCH_TABLE}`);
  db.exec(createSql);
  // FTS5 guards its shadow tables against ordinary writes; lifted for this copy only.
  db.unsafeMode(true);
  try {
    for (const table of SEARCH_SHADOW_TABLES.filter((t) => !t.endsWith('_config'))) {
      db.exec(`delete from main.${table}`);
      db.exec(`insert into main.${table} select * from generate_search.${table}`);
    }
  } finally {
    db.unsafeMode(false);
  }
  const set = db.prepare(`insert into main.${SEARCH_TABLE} (${SEARCH_TABLE}, rank) values (?, ?)`);
  for (const { k, v } of settings) set.run(k, typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v);
}

interface SearchWorker {
  /** Queues documents for ids first, first + 1, ... */
  add(first: number, docs: string[]): void;
  /** Resolves once the side file holds the complete, merged index. */
  finish(): Promise<void>;
  stop(): Promise<void>;
}

async function startSearchWorker(files: SearchWorkerData): Promise<SearchWorker> {
  // The worker module lies beside this one: a .ts file in src/, a .js file once compiled into dist/.
  const worker = startModuleWorker(new URL(`./search-index-worker${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url), files);
  let signalReady: () => void;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: SearchWorkerMessage) => {
      if (message.type === 'ready') signalReady();
      else if (message.type === 'done') resolve();
      else reject(new Error(`search index worker: ${message.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`search index worker stopped (exit code ${code})`)));
  });
  done.catch(() => undefined); // Reported by finish(); not an unhandled rejection meanwhile.
  await Promise.race([ready, done]);
  return {
    add(first, docs) {
      worker.postMessage({ first, docs } satisfies SearchWorkerRequest);
    },
    finish() {
      worker.postMessage({ end: true } satisfies SearchWorkerRequest);
      return done;
    },
    async stop() {
      await worker.terminate();
    },
  };
}
