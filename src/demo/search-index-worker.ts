// Worker thread of `steward generate` on SQLite: builds the search index in a side file while the
// main thread writes everything else. It copies the database's current index into the side file,
// adds the documents it is sent without merging segments on the way (faster), merges them all once
// at the end, and closes the file; the main thread then swaps that index in (generate-sqlite.ts).
// Each step opens the file afresh, so FTS5 never works from index state cached before the copy.
import SQLite from '../platform/db/sqlite-binding.ts';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

export const SEARCH_TABLE = 'asset_search';
export const SEARCH_SHADOW_TABLES = ['data', 'idx', 'docsize', 'config'].map((t) => `${SEARCH_TABLE}_${t}`);

export interface SearchWorkerData {
  /** The side file to build the index in. */
  side: string;
  /** The database whose current index is the starting point. */
  source: string;
  /** The CREATE VIRTUAL TABLE statement of the search index. */
  createSql: string;
}

/** To the worker: documents for ids first, first + 1, …; or `end` to merge and close. */
export type SearchWorkerRequest = { first: number; docs: string[] } | { end: true };
export type SearchWorkerMessage = { type: 'ready' } | { type: 'done' } | { type: 'error'; message: string };

function run(port: NonNullable<typeof parentPort>, { side, source, createSql }: SearchWorkerData): void {
  const send = (message: SearchWorkerMessage) => port.postMessage(message);
  const fail = (error: unknown) => {
    send({ type: 'error', message: String((error as Error)?.stack ?? error) });
    port.close();
  };
  try {
    let db = new SQLite(side);
    db.exec(createSql);
    db.close();

    db = new SQLite(side);
    db.unsafeMode(true); // FTS5 guards its shadow tables against ordinary writes.
    db.prepare('attach database ? as source').run(source);
    db.transaction(() => {
      for (const table of SEARCH_SHADOW_TABLES) {
        db.exec(`delete from main.${table}`);
        db.exec(`insert into main.${table} select * from source.${table}`);
      }
    })();
    db.exec('detach database source');
    db.close();

    db = new SQLite(side);
    db.pragma('journal_mode = off');
    db.pragma('synchronous = off');
    db.pragma('cache_size = -100000');
    db.exec(`insert into ${SEARCH_TABLE} (${SEARCH_TABLE}, rank) values ('automerge', 0)`);
    db.exec(`insert into ${SEARCH_TABLE} (${SEARCH_TABLE}, rank) values ('crisismerge', 1999)`);
    const insert = db.prepare(`insert into ${SEARCH_TABLE} (rowid, doc) values (?, ?)`);
    db.exec('begin');
    send({ type: 'ready' });
    port.on('message', (request: SearchWorkerRequest) => {
      try {
        if ('docs' in request) {
          for (const [i, doc] of request.docs.entries()) insert.run(request.first + i, doc);
          return;
        }
        db.exec(`insert into ${SEARCH_TABLE} (${SEARCH_TABLE}) values ('optimize')`);
        db.exec('commit');
        db.close();
        send({ type: 'done' });
        port.close();
      } catch (error) {
        fail(error);
      }
    });
  } catch (error) {
    fail(error);
  }
}

if (!isMainThread && parentPort) run(parentPort, workerData as SearchWorkerData);
