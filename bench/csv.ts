// CSV export of a million assets (target: at least 200,000 rows/s), streamed to /dev/null, on SQLite
// and, with --pg, PostgreSQL. Prints rows/s and the process's peak memory.
//
//   npm run bench:csv                     1,000,000 assets on SQLite
//   npm run bench:csv -- --assets 200000 --pg
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Principal } from '../src/access/access.ts';
import { exportAssetsCsv, exportColumns } from '../src/csv/asset-export.ts';
import { ALL_ASSETS } from '../src/assets/asset-list.query.ts';
import { generateAssets } from '../src/demo/generate.ts';
import type { Ctx } from '../src/platform/context.ts';
import { freshPostgres, freshSqlite, type BenchDatabase } from './databases.ts';

const { values } = parseArgs({ options: { assets: { type: 'string' }, pg: { type: 'boolean' } } });
const assets = Number((values.assets ?? '1000000').replace(/_/g, ''));
const ADMIN: Principal = {
  userId: 0,
  name: 'bench',
  isAdmin: true,
  allow: null,
  deny: new Set(),
  levels: { client: 3, support: 3, credential: 3, sales: 3, financial: 3, reporting: 3 },
};

async function run(label: string, db: BenchDatabase): Promise<void> {
  try {
    const ctx: Ctx = { db: db.store.db, dialect: db.store.dialect, actor: { type: 'system', name: 'bench' }, principal: null, source: 'system' };
    await generateAssets(db.store, { assets, clients: Math.max(1, Math.round(assets / 5_000)) });
    for (const columns of ['default', 'all']) {
      // Every generated asset is active, so the export has one row each (counting lines would cost
      // more than some of what is measured).
      const rows = assets;
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const started = performance.now();
      const source = exportAssetsCsv(ctx, ADMIN, ALL_ASSETS, { columns: exportColumns(columns) });
      await pipeline(Readable.from(source), createWriteStream('/dev/null'));
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      console.log(
        `${label}, ${columns} columns: exported ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s; target ≥ 200,000), peak RSS ${Math.round(peak / 1_048_576)} MB`,
      );
    }
  } finally {
    await db.drop();
  }
}

await run('SQLite', await freshSqlite());
if (values.pg) await run('PostgreSQL', await freshPostgres(process.env.STEWARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));
