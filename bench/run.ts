// Steward benchmark: bulk insert, get-by-id, paging and search on SQLite and PostgreSQL.
// Prints figures; asserts nothing.
//
//   npm run bench                          1,000,000 assets, both databases
//   npm run bench -- --assets 20000        a quick run
//   npm run bench -- --only sqlite         one database (sqlite | postgres)
//
// PostgreSQL: STEWARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used as an
// admin connection to create a fresh database steward_bench_<random>, dropped afterwards.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { getAsset } from '../src/assets/asset.service.ts';
import { listClientAssetsByName, searchAssetIds } from '../src/assets/asset.repository.ts';
import { generateAssets } from '../src/demo/generate.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { DatabaseKind } from '../src/platform/config.ts';
import type { Store } from '../src/platform/db/store.ts';
import { DATABASE_NAMES, eachDatabase } from './databases.ts';
import { count, measure, ms, pick, seconds, seededRandom, type Latency } from './stats.ts';

const GET_RUNS = 20_000;
const PAGE_RUNS = 2_000;
const SEARCH_RUNS = 200;
const PAGE = 50;
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface Figures {
  insertSeconds: number;
  getById: Latency;
  firstPage: Latency;
  deepPage: Latency | null;
  deepPageNumber: number;
  search: Array<{ label: string; term: string; hits: number; latency: Latency }>;
}

const { values } = parseArgs({ options: { assets: { type: 'string' }, only: { type: 'string' } } });
const assets = values.assets === undefined ? 1_000_000 : Number(values.assets.replace(/[_,]/g, ''));
if (!Number.isInteger(assets) || assets < 1) usage(`--assets must be a positive whole number, not "${values.assets}"`);
if (values.only !== undefined && values.only !== 'sqlite' && values.only !== 'postgres') usage(`--only must be sqlite or postgres, not "${values.only}"`);
const kinds: DatabaseKind[] = values.only ? [values.only as DatabaseKind] : ['sqlite', 'postgres'];
const pgUrl = process.env.STEWARD_BENCH_PG_URL || DEFAULT_PG_URL;

console.log(`Steward bench: ${count(assets)} assets; ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}); Node ${process.version}`);
let searchTerms: Array<{ label: string; term: string }> | undefined;
const { results, notes } = await eachDatabase(kinds, pgUrl, bench);
printTable();

async function bench(store: Store): Promise<Figures> {
  const ctx: Ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'bench' }, principal: null, source: 'system' };
  const random = seededRandom(20_261_127);

  const insert = await seconds(() => generateAssets(store, { assets }));
  console.log(`  insert          ${insert.seconds.toFixed(2)} s, ${count(assets / insert.seconds)} assets/s (${count(insert.value.clients)} clients)`);

  const ids = (await store.db.selectFrom('assets').select('id').orderBy('id').execute()).map((r) => r.id);
  const getById = await measure(GET_RUNS, 1_000, () => getAsset(ctx, pick(ids, random)));
  report('get-by-id', getById);

  const clients = await store.db
    .selectFrom('assets')
    .select((eb) => ['client_id', eb.fn.countAll<number>().as('n')])
    .where('archived_at', 'is', null)
    .groupBy('client_id')
    .execute();
  const firstPage = await measure(PAGE_RUNS, 200, () => listClientAssetsByName(ctx, { clientId: pick(clients, random).client_id, limit: PAGE }));
  report('page, first', firstPage);

  // Deep page: the middle page of each client's list, continuing after the last row of the page
  // before it, as the UI's keyset paging does. Cursors are read once, for up to 100 random clients.
  const cursors: Array<{ clientId: number; after: { name: string; id: number } }> = [];
  const smallest = Math.min(...clients.map((c) => Number(c.n)));
  const deepPageNumber = Math.floor(smallest / (2 * PAGE)) + 1;
  for (const client of shuffled(clients, random).slice(0, 100)) {
    if (deepPageNumber < 2) break;
    const row = await store.db
      .selectFrom('assets')
      .select([sql<string>`lower(name)`.as('name'), 'id'])
      .where('client_id', '=', client.client_id)
      .where('archived_at', 'is', null)
      .orderBy(sql`lower(name)`)
      .orderBy('id')
      .limit(1)
      .offset((deepPageNumber - 1) * PAGE - 1)
      .executeTakeFirstOrThrow();
    cursors.push({ clientId: client.client_id, after: row });
  }
  const deepPage =
    cursors.length === 0
      ? null
      : await measure(PAGE_RUNS, 200, () => {
          const { clientId, after } = pick(cursors, random);
          return listClientAssetsByName(ctx, { clientId, limit: PAGE, after });
        });
  if (deepPage) report(`page ${deepPageNumber}`, deepPage);
  else console.log(`  page, deep      skipped: clients have fewer than ${2 * PAGE} assets`);

  // Search terms from one existing asset of the first database, reused on the next, so both search
  // for the same text (the generator writes the same rows to both).
  if (!searchTerms) {
    const sample = await getAsset(ctx, ids[Math.floor(ids.length / 2)]!);
    // The middle octets: the generator derives them from the id alone (the last one from the row index).
    const mac = (sample.primaryInterface?.mac ?? '00:00:00:00:00:00').split(':').slice(2, 5).join(':');
    searchTerms = [
      { label: 'serial', term: (sample.serial ?? 'ABCDE').slice(1, 6) },
      { label: 'name', term: sample.name.split('-')[1] ?? sample.name.slice(0, 5) },
      { label: 'MAC', term: mac },
    ];
  }
  const search: Figures['search'] = [];
  for (const { label, term } of searchTerms) {
    const hits = (await searchAssetIds(ctx, term, null)).length;
    const latency = await measure(SEARCH_RUNS, 10, () => searchAssetIds(ctx, term, null));
    report(`search ${label}`, latency, `"${term}", ${hits} hits (limit 50)`);
    search.push({ label, term, hits, latency });
  }
  return { insertSeconds: insert.seconds, getById, firstPage, deepPage, deepPageNumber, search };
}

function report(label: string, latency: Latency, extra = ''): void {
  console.log(`  ${label.padEnd(15)} median ${ms(latency.median)} ms, p99 ${ms(latency.p99)} ms over ${count(latency.runs)}${extra ? `; ${extra}` : ''}`);
}

function printTable(): void {
  const done = kinds.filter((k) => results.has(k));
  const rows: string[][] = [['', ...done.map((k) => DATABASE_NAMES[k]), 'target']];
  const add = (label: string, cell: (f: Figures) => string, target = '') => rows.push([label, ...done.map((k) => cell(results.get(k)!)), target]);
  add(`insert ${count(assets)} (s)`, (f) => f.insertSeconds.toFixed(2), '< 60 s for 1M into SQLite');
  add('insert rate (assets/s)', (f) => count(assets / f.insertSeconds), '> 16,667 (= 1M in 60 s)');
  add('get-by-id median (ms)', (f) => ms(f.getById.median), '< 0.1');
  add('get-by-id p99 (ms)', (f) => ms(f.getById.p99));
  add('page of 50, first, median (ms)', (f) => ms(f.firstPage.median), '< 5');
  add('page of 50, first, p99 (ms)', (f) => ms(f.firstPage.p99));
  add('page of 50, deep, median (ms)', (f) => (f.deepPage ? `${ms(f.deepPage.median)} (p.${f.deepPageNumber})` : '-'), '< 5');
  add('page of 50, deep, p99 (ms)', (f) => (f.deepPage ? ms(f.deepPage.p99) : '-'));
  for (const [i, s] of (searchTerms ?? []).entries()) {
    add(`search ${s.label} "${s.term}", median (ms)`, (f) => (f.search[i] ? `${ms(f.search[i].latency.median)} (${f.search[i].hits} hits)` : '-'));
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`\nSummary: ${count(assets)} assets, ${cpus().length} cores, Node ${process.version}`);
  if (done.length === 0) rows.length = 0;
  for (const row of rows)
    console.log(
      row
        .map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    );
  if (done.length === 0) console.log('(no database was measured)');
  for (const note of notes) console.log(note);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function usage(message: string): never {
  console.error(`${message}\nusage: npm run bench -- [--assets N] [--only sqlite|postgres]`);
  process.exit(2);
}
