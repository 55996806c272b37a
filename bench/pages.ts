// Steward benchmark: server time of the web UI's asset list and asset detail pages with 100,000
// assets (target: each page under 100 ms). The app is built in-process and asked through Fastify's
// inject (no socket), signed in as an administrator through the real sign-in form. Each page is
// requested 20 times untimed, then 200 times timed, one at a time; every answer must be a 200 holding
// the text that page should show, or the run fails.
//
//   npm run bench:pages                 SQLite
//   npm run bench:pages -- --pg         SQLite, then PostgreSQL
//
// PostgreSQL: STEWARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used as an
// admin connection to create a fresh database steward_bench_<random>, dropped afterwards.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createUser } from '../src/accounts/user.service.ts';
import { buildApp } from '../src/app.ts';
import { addAssetNote } from '../src/assets/asset-note.service.ts';
import { searchAssetIds } from '../src/assets/asset.repository.ts';
import { getAsset, updateAsset } from '../src/assets/asset.service.ts';
import { generateAssets } from '../src/demo/generate.ts';
import { loadConfig, type DatabaseKind } from '../src/platform/config.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { Store } from '../src/platform/db/store.ts';
import { DATABASE_NAMES, eachDatabase } from './databases.ts';
import { count, ms, percentile, seconds } from './stats.ts';

const ASSETS = 100_000;
const CLIENTS = 20;
const RUNS = 200;
const WARMUP = 20;
const PAGE_SIZE = 50;
const DEEP_PAGE = 500;
const TARGET_MS = 100;
const ADMIN = { email: 'bench@steward.test', name: 'Bench Admin', password: 'bench-password-1' };
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface PageCase {
  label: string;
  url: string;
  /** Text the page must contain (row names, the client's name, a note); checked on every answer. */
  expect: string[];
  /** What the case is about, for the log. */
  note: string;
}

interface Timing {
  median: number;
  p95: number;
  max: number;
  bytes: number;
}

interface Figures {
  insertSeconds: number;
  timings: Timing[];
}

const { values } = parseArgs({ options: { pg: { type: 'boolean', default: false } } });
const kinds: DatabaseKind[] = values.pg ? ['sqlite', 'postgres'] : ['sqlite'];
const pgUrl = process.env.STEWARD_BENCH_PG_URL || DEFAULT_PG_URL;

console.log(
  `Steward page bench: ${count(ASSETS)} assets in ${CLIENTS} clients; ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}); Node ${process.version}`,
);
console.log(`Server time per request through app.inject, ${RUNS} requests per page after ${WARMUP} untimed; target < ${TARGET_MS} ms (judged on p95)`);
let labels: string[] = [];
const { results, notes } = await eachDatabase(kinds, pgUrl, bench);
printTable();

async function bench(store: Store): Promise<Figures> {
  const insert = await seconds(() => generateAssets(store, { assets: ASSETS, clients: CLIENTS }));
  console.log(`  generate        ${insert.seconds.toFixed(2)} s for ${count(insert.value.assets)} assets in ${count(insert.value.clients)} clients`);

  const system: Ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'bench' }, principal: null, source: 'system' };
  const admin = await createUser(system, { ...ADMIN, role: 'admin' });
  const ctx: Ctx = { ...system, actor: { type: 'user', userId: admin.id, name: admin.name }, source: 'web' };

  // The asset in the middle gets a short history (changes and notes) for the detail page's timeline;
  // the search looks for part of the serial of the asset a quarter of the way in.
  const nth = async (offset: number) => (await store.db.selectFrom('assets').select('id').orderBy('id').offset(offset).limit(1).executeTakeFirstOrThrow()).id;
  const detailId = await nth(Math.floor(ASSETS / 2));
  const statuses = ['Out for Repair', 'Ready to Deploy', 'Deployed'];
  for (let i = 1; i <= 6; i++) {
    await updateAsset(ctx, detailId, i % 2 ? { description: `Bench change ${i}` } : { status: statuses[(i / 2 - 1) % statuses.length] });
  }
  for (let i = 1; i <= 3; i++) await addAssetNote(ctx, detailId, { body: `Bench note ${i}: replaced the fan` });
  const detail = await getAsset(ctx, detailId);
  const events = await store.db
    .selectFrom('asset_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('asset_id', '=', detailId)
    .executeTakeFirstOrThrow();

  const searched = await getAsset(ctx, await nth(Math.floor(ASSETS / 4)));
  const term = (searched.serial ?? searched.name).slice(1, 6);
  const hits = (await searchAssetIds(ctx, term, null)).length;

  // The first row each list should show, read straight from the tables in the list's order (by name).
  const firstRow = async (where: { clientId?: number; type?: string }, offset = 0): Promise<string> => {
    let q = store.db.selectFrom('assets').select('name').where('archived_at', 'is', null);
    if (where.clientId !== undefined) q = q.where('client_id', '=', where.clientId);
    if (where.type !== undefined) q = q.where(sql`lower(type)`, '=', where.type.toLowerCase());
    return (await q.orderBy(sql`lower(name)`).orderBy('id').offset(offset).limit(1).executeTakeFirstOrThrow()).name;
  };
  const client = await store.db.selectFrom('clients').select(['id', 'name']).orderBy('id').limit(1).executeTakeFirstOrThrow();
  const total = Number(
    (
      await store.db
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('archived_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

  const cases: PageCase[] = [
    {
      label: 'list, all clients, page 1',
      url: '/assets',
      expect: [await firstRow({}), `${total.toLocaleString('en-US')} assets`],
      note: `${count(total)} assets`,
    },
    {
      label: `list, all clients, page ${DEEP_PAGE}`,
      url: `/assets?page=${DEEP_PAGE}`,
      expect: [await firstRow({}, (DEEP_PAGE - 1) * PAGE_SIZE)],
      note: `offset ${count((DEEP_PAGE - 1) * PAGE_SIZE)}`,
    },
    {
      label: 'list, one client, page 1',
      url: `/clients/${client.id}/assets`,
      expect: [client.name, await firstRow({ clientId: client.id })],
      note: client.name,
    },
    { label: 'list, search serial fragment', url: `/assets?q=${encodeURIComponent(term)}`, expect: [searched.name], note: `"${term}", ${hits} hit(s)` },
    { label: 'list, tab Servers, page 1', url: '/assets?tab=servers', expect: [await firstRow({ type: 'Server' })], note: 'type Server' },
    {
      label: 'detail, asset with history',
      url: `/assets/${detailId}`,
      expect: [detail.name, 'Bench note 3: replaced the fan', 'Bench change 5'],
      note: `${detail.name}, ${Number(events.n)} events, 3 notes`,
    },
  ];
  labels = cases.map((c) => c.label);

  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store });
  try {
    const cookie = await signIn(app);
    // The list's page size is remembered per user; asking for 50 once sets it for every list below.
    check(await app.inject({ method: 'GET', url: `/assets?size=${PAGE_SIZE}`, headers: { cookie } }), 'GET /assets?size=50', []);
    const timings: Timing[] = [];
    for (const page of cases) {
      const timing = await time(app, cookie, page);
      console.log(
        `  ${page.label.padEnd(30)} median ${ms(timing.median)} ms, p95 ${ms(timing.p95)} ms, max ${ms(timing.max)} ms; ${(timing.bytes / 1024).toFixed(0)} KB; GET ${page.url} (${page.note})`,
      );
      timings.push(timing);
    }
    return { insertSeconds: insert.seconds, timings };
  } finally {
    await app.close();
  }
}

/** Signs in through the form like a browser: the form's CSRF token and cookie, then the session cookie. */
async function signIn(app: FastifyInstance): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/sign-in' });
  check(form, 'GET /sign-in', ['name="_csrf"']);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const formCookie = cookieValue(form.headers['set-cookie'], 'steward_form');
  if (!csrf || !formCookie) throw new Error('GET /sign-in: no _csrf field or no steward_form cookie');
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `steward_form=${formCookie}` },
    payload: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, _csrf: csrf }).toString(),
  });
  const session = cookieValue(res.headers['set-cookie'], 'steward_session');
  if ((res.statusCode !== 302 && res.statusCode !== 303) || res.headers.location !== '/assets' || !session) {
    throw new Error(
      `POST /sign-in: expected a redirect to /assets with a session cookie, got ${res.statusCode} to ${String(res.headers.location)}: ${res.body.slice(0, 300)}`,
    );
  }
  return `steward_session=${session}`;
}

function cookieValue(header: string | string[] | number | undefined, name: string): string | null {
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  for (const line of lines) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    if (pair!.slice(0, at).trim() === name) return pair!.slice(at + 1).trim();
  }
  return null;
}

function check(res: { statusCode: number; body: string }, what: string, expect: string[]): void {
  if (res.statusCode !== 200) throw new Error(`${what}: status ${res.statusCode}, expected 200: ${res.body.slice(0, 300)}`);
  const missing = expect.filter((text) => !res.body.includes(text));
  if (missing.length) throw new Error(`${what}: the page lacks ${missing.map((t) => `"${t}"`).join(', ')}`);
}

/** Warm-up, then RUNS timed requests one after another; each answer is checked outside the timing. */
async function time(app: FastifyInstance, cookie: string, page: PageCase): Promise<Timing> {
  const request = { method: 'GET' as const, url: page.url, headers: { cookie } };
  for (let i = 0; i < WARMUP; i++) check(await app.inject(request), `GET ${page.url}`, page.expect);
  const times = new Array<number>(RUNS);
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const res = await app.inject(request);
    times[i] = performance.now() - start;
    check(res, `GET ${page.url}`, page.expect);
    bytes = res.rawPayload.length;
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1]!, bytes };
}

function printTable(): void {
  const done = kinds.filter((k) => results.has(k));
  console.log(
    `\nSummary: ${count(ASSETS)} assets in ${CLIENTS} clients, ${cpus().length} cores, Node ${process.version}; server time in ms over ${RUNS} requests each`,
  );
  if (done.length === 0) {
    console.log('(no database was measured)');
  } else {
    const header = ['page', ...done.flatMap((k) => [`${DATABASE_NAMES[k]} median`, 'p95', 'max', `target < ${TARGET_MS} ms`])];
    const rows: string[][] = [header];
    for (const [i, label] of labels.entries()) {
      rows.push([
        label,
        ...done.flatMap((k) => {
          const t = results.get(k)!.timings[i];
          return t ? [ms(t.median), ms(t.p95), ms(t.max), t.p95 < TARGET_MS ? 'pass' : 'FAIL'] : ['-', '-', '-', '-'];
        }),
      ]);
    }
    rows.push(['(generate assets, s)', ...done.flatMap((k) => [results.get(k)!.insertSeconds.toFixed(2), '', '', ''])]);
    const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const row of rows)
      console.log(
        row
          .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
          .join('  ')
          .trimEnd(),
      );
    const failed = done.flatMap((k) => results.get(k)!.timings.map((t, i) => ({ k, t, i }))).filter(({ t }) => t.p95 >= TARGET_MS);
    console.log(
      failed.length === 0
        ? `Every page's p95 is under ${TARGET_MS} ms.`
        : `Over the target (p95 >= ${TARGET_MS} ms): ${failed.map(({ k, i }) => `${labels[i]} on ${DATABASE_NAMES[k]}`).join('; ')}`,
    );
  }
  for (const note of notes) console.log(note);
}
