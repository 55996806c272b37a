// Real `steward serve` processes on one fresh database, as an MSP scales out: on SQLite one server with
// its processes, on PostgreSQL two servers sharing the database. Also opens the database directly, for
// checking what the servers wrote. Made before the describe block's tests, stopped and dropped after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseKind } from '../../src/platform/config.ts';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import { createEmptyDatabase } from './databases.ts';
import { requesterAt, type Requester } from './http.ts';
import { startServer, type RunningServer } from './server.ts';

export interface Fleet {
  env: Record<string, string>;
  servers: RunningServer[];
  http: Requester[];
  store: Store;
  /** The n-th server (round robin), so consecutive steps land on different servers. */
  server(n: number): Requester;
}

export function useFleet(dialect: DatabaseKind, extraEnv: Record<string, string> = {}, beforeStart?: (env: Record<string, string>) => Promise<void>): Fleet {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-fleet-'));
  let drop: () => Promise<void> = async () => {};
  const fleet: Fleet = {
    env: {},
    servers: [],
    http: [],
    store: undefined as unknown as Store,
    server: (n) => fleet.http[n % fleet.http.length]!,
  };
  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    fleet.env = {
      STEWARD_DATA_DIR: dataDir,
      STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : db.url,
      STEWARD_SECRET_KEY: 'q0Rj0d2mZ1m6yWqg0b4m3Xv7t8b2Jc9H1l5p0s3u6wA=',
      ...extraEnv,
    };
    await beforeStart?.(fleet.env);
    for (let i = 0; i < (dialect === 'sqlite' ? 1 : 2); i++) fleet.servers.push(await startServer(fleet.env));
    fleet.http = fleet.servers.map((s) => requesterAt(s.port));
    fleet.store = openStore({ kind: dialect, url: dialect === 'sqlite' ? join(dataDir, 'steward.db') : db.url });
  }, 120_000);
  afterAll(async () => {
    for (const s of fleet.servers) await s.stop();
    await fleet.store?.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return fleet;
}
