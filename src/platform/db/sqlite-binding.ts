// The better-sqlite3 build this Node.js runs. Version 12 is the one that works on Node.js 20 (13 crashes
// there). On Node.js 24, 12 aborts the process whenever a background garbage collection frees one of
// its statements or connections (Node 24.19 made node::ObjectWrap's destructor need an entered context,
// and 12 builds on ObjectWrap); 13 uses Node-API and has no such problem. So from Node.js 22 on, Steward
// loads 13, installed as the optional dependency `better-sqlite3-13` (npm leaves it out on Node.js 20,
// which its engines field excludes), and 12 otherwise.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

function driverPath(): string {
  if (NODE_MAJOR >= 22) {
    try {
      return require.resolve('better-sqlite3-13');
    } catch {
      // Not installed (installed on Node.js 20, then run on a newer one): 12 is all there is.
    }
  }
  return require.resolve('better-sqlite3');
}

/** The module file of the build in use, for worker threads that load it themselves. */
export const SQLITE_DRIVER = driverPath();

const SQLite = require(SQLITE_DRIVER) as typeof BetterSqlite3;
declare namespace SQLite {
  type Database = BetterSqlite3.Database;
  type Statement = BetterSqlite3.Statement;
}
export default SQLite;
