// CSV import of a large file (target on SQLite: at least 50,000 rows/s with peak memory under 300 MB):
// a file of N new assets in Steward's export layout, read from disk as a stream, checked row by row,
// and committed in one transaction into one client, matched by name as the CLI does by default.
// Prints rows/s and the process's peak RSS, for a dry run (the preview) and the real import.
//
//   npm run bench:import                      1,000,000 rows on SQLite
//   npm run bench:import -- --rows 200000 --pg
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import type { Principal } from '../src/access/access.ts';
import { createClient } from '../src/clients/client.service.ts';
import { makeRow } from '../src/demo/generate.ts';
import { importAssets } from '../src/imports/asset-import.ts';
import type { Ctx } from '../src/platform/context.ts';
import { freshPostgres, freshSqlite, type BenchDatabase } from './databases.ts';
import { useSmallCache } from '../src/platform/db/store.ts';

const { values } = parseArgs({ options: { rows: { type: 'string' }, pg: { type: 'boolean' } } });
const rows = Number((values.rows ?? '1000000').replace(/_/g, ''));
const ADMIN: Principal = {
  userId: 0,
  name: 'bench',
  isAdmin: true,
  allow: null,
  deny: new Set(),
  levels: { client: 3, support: 3, credential: 3, sales: 3, financial: 3, reporting: 3 },
};
const HEADINGS = [
  'Name',
  'Description',
  'Type',
  'Make',
  'Model',
  'Serial Number',
  'Operating System',
  'Purchase Date',
  'Warranty Expire',
  'Install Date',
  'Status',
  'Primary IP',
  'Primary MAC',
  'Notes',
];

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(stringify([HEADINGS], { record_delimiter: '\r\n' }));
  for (let start = 0; start < rows; start += 10_000) {
    const lines: string[][] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      const r = makeRow(i + 1, 1, i);
      lines.push([
        r.name,
        `Imported device ${i + 1}, bench`,
        r.type,
        r.make,
        r.model,
        r.serial,
        r.os ?? '',
        r.purchase_date,
        r.warranty_expire,
        r.install_date,
        r.status,
        r.ip,
        r.mac,
        i % 10 === 0 ? 'Note with "quotes", commas\r\nand a second line' : '',
      ]);
    }
    if (!out.write(stringify(lines, { record_delimiter: '\r\n' }))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function run(label: string, db: BenchDatabase, file: string): Promise<void> {
  try {
    const ctx: Ctx = { db: db.store.db, dialect: db.store.dialect, actor: { type: 'system', name: 'bench' }, principal: null, source: 'cli' };
    useSmallCache(db.store); // as `steward import assets` does
    const client = await createClient(ctx, { name: 'Import Bench Co' });
    for (const dryRun of [true, false]) {
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const started = performance.now();
      const report = await importAssets(ctx, ADMIN, () => createReadStream(file), { clientId: client.id, match: 'name', dryRun, keepRows: 0 });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const done = report.counts.create + report.counts.update + report.counts.unchanged;
      if (done !== rows || report.committed === dryRun) throw new Error(`unexpected outcome: ${JSON.stringify(report.counts)}, committed ${report.committed}`);
      console.log(
        `${label}, ${dryRun ? 'dry run (preview)' : 'import'}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s; target ≥ 50,000), peak RSS ${Math.round(peak / 1_048_576)} MB`,
      );
    }
  } finally {
    await db.drop();
  }
}

const file = join(tmpdir(), `steward_import_bench_${process.pid}.csv`);
try {
  await writeFile(file);
  console.log(`file: ${rows.toLocaleString('en-US')} rows, ${Math.round(statSync(file).size / 1_048_576)} MB`);
  await run('SQLite', await freshSqlite(), file);
  if (values.pg) await run('PostgreSQL', await freshPostgres(process.env.STEWARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'), file);
} finally {
  rmSync(file, { force: true });
}
