// HTTP benchmark of /api/v1/assets against a real `steward serve` (wrk, one thread, 16 connections):
// read by asset_id, a list of 50, and a lookup by asset_serial, with keep-alive on and off, at each
// size; /api/v2/assets side by side in the same run (read by id, and a list of 50 by cursor at pages
// spread over the whole list, so depth shows); plus the ceiling: a bare Fastify route returning one
// SQLite row by id.
// Steward runs once with one server process (like for like with the single-process ceiling) and
// once with its default, one process per CPU. Each measurement follows a 5 s warm-up (JIT, caches).
//
//   npm run bench:http                          10,000 and 1,000,000 assets, 10 s per measurement
//   npm run bench:http -- --assets 10000 --seconds 5 --workers 1,auto
//
// wrk (apt-get install wrk) is the load generator: written in C, it leaves the second core of a
// two-core machine to the server, where a Node load generator took most of it, and it measures
// latency correctly when every request opens its own connection.
import SQLite from '../src/platform/db/sqlite-binding.ts';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cli, freePort } from './processes.ts';

const { values } = parseArgs({ options: { assets: { type: 'string' }, seconds: { type: 'string' }, workers: { type: 'string' } } });
const workerCounts = (values.workers ?? '1,auto').split(',');
const sizes = (values.assets ?? '10000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
const seconds = Number(values.seconds ?? 10);
const CONNECTIONS = 16;

if (spawnSync('wrk', ['--version']).error) {
  console.error('bench:http needs wrk, the HTTP load generator: apt-get install wrk');
  process.exit(1);
}

async function start(args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(readyUrl)).status < 500) return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`server did not start: ${args.join(' ')}`);
}

interface Result {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(label: string, base: string, pathsFile: string, keepAlive: boolean, headers: string[] = []): Promise<Result> {
  await wrk(base, pathsFile, keepAlive, 5, headers);
  const out = await wrk(base, pathsFile, keepAlive, seconds, headers);
  const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1] ?? 0);
  const socketErrors =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
      .exec(out)
      ?.slice(1)
      .reduce((sum, n) => sum + Number(n), 0) ?? 0;
  return {
    label: `${label}, keep-alive ${keepAlive ? 'on' : 'off'}`,
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: latencyMs(out, '50%'),
    p99: latencyMs(out, '99%'),
    errors: socketErrors + number(/Non-2xx or 3xx responses: (\d+)/),
  };
}

/** One wrk run; without keep-alive every request opens a new connection, as ITFlow's server forces. */
function wrk(base: string, pathsFile: string, keepAlive: boolean, duration: number, headers: string[] = []): Promise<string> {
  const args = [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${duration}s`,
    '--latency',
    '-s',
    'bench/wrk-paths.lua',
    ...(keepAlive ? [] : ['-H', 'Connection: close']),
    ...headers.flatMap((h) => ['-H', h]),
    base,
  ];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env: { ...process.env, WRK_PATHS: pathsFile } }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** A percentile from wrk's latency distribution, in milliseconds. */
function latencyMs(out: string, percentile: string): number {
  const match = new RegExp(`${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(out);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function report(r: Result) {
  console.log(
    `  ${r.label.padEnd(62)} ${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${r.errors ? `  (${r.errors} errors)` : ''}`,
  );
}

/**
 * Pages of 50 of /api/v2/assets sorted by name, starting at cursors taken from a walk over the whole
 * list (1,000 at a time), so the benchmark's pages are spread from the first to the last.
 */
async function cursorsOverTheList(base: string, key: string, size: number): Promise<string[]> {
  const cursors: string[] = [];
  const every = Math.max(1, Math.floor(size / 1000 / 2000));
  let next: string | null = '/api/v2/assets?sort=name&limit=1000&fields=id';
  for (let page = 0; next; page++) {
    const res: Response = await fetch(base + next, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`GET ${next}: ${res.status} ${await res.text()}`);
    next = ((await res.json()) as { next: string | null }).next;
    const cursor = next ? new URL(next, base).searchParams.get('cursor') : null;
    if (cursor && page % every === 0) cursors.push(`/api/v2/assets?sort=name&limit=50&cursor=${cursor}`);
  }
  return cursors.length ? cursors : ['/api/v2/assets?sort=name&limit=50'];
}

const all: Array<Result & { size: number }> = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'steward-http-bench-'));
  // No per-key rate limit on v2 (1200 a minute by default): the benchmark measures the server, not the limit.
  const env = { STEWARD_DATA_DIR: dir, STEWARD_DATABASE_URL: '', STEWARD_LOG_LEVEL: 'warn', STEWARD_API_RATE_LIMIT: '0' };
  const servers: ChildProcess[] = [];
  try {
    console.log(`\n${size.toLocaleString('en-US')} assets: ${cli(env, 'generate', '--assets', String(size))}`);
    cli(env, 'user', 'create', '--email', 'bench@example.test', '--name', 'Bench', '--password', 'plum-orchard-lantern-47', '--role', 'admin');
    const key = cli(env, 'apikey', 'create', '--user', 'bench@example.test', '--name', 'bench');
    const db = new SQLite(join(dir, 'steward.db'), { readonly: true });
    const sample = db.prepare('select id, serial from assets order by (id * 2654435761) % 1000003 limit 2000').all() as Array<{ id: number; serial: string }>;
    db.close();

    const ceilingPort = await freePort();
    servers.push(
      await start(['bin/run-ts.js', 'bench/ceiling-server.ts', join(dir, 'steward.db'), String(ceilingPort)], {}, `http://127.0.0.1:${ceilingPort}/row/1`),
    );
    const pathsFile = (name: string, paths: string[]) => {
      const file = join(dir, `${name}.paths`);
      writeFileSync(file, paths.join('\n'));
      return file;
    };
    const rows = pathsFile(
      'ceiling',
      sample.map((s) => `/row/${s.id}`),
    );
    for (const keepAlive of [true, false]) {
      all.push({ size, ...(await load('ceiling: bare Fastify, one row by id', `http://127.0.0.1:${ceilingPort}`, rows, keepAlive)) });
      report(all.at(-1)!);
    }
    servers.pop()!.kill();

    const api = (q: string) => `/api/v1/assets/read.php?api_key=${key}&${q}`;
    const byId = pathsFile(
      'by-id',
      sample.map((s) => api(`asset_id=${s.id}`)),
    );
    const list = pathsFile(
      'list',
      sample.map((_, i) => api(`limit=50&offset=${(i * 50) % Math.max(1, Math.min(size - 50, 10_000))}`)),
    );
    const bySerial = pathsFile(
      'by-serial',
      sample.map((s) => api(`asset_serial=${encodeURIComponent(s.serial)}`)),
    );
    for (const workers of workerCounts) {
      const port = await freePort();
      const server = await start(
        ['bin/steward.js', 'serve'],
        { ...env, STEWARD_PORT: String(port), STEWARD_WORKERS: workers },
        `http://127.0.0.1:${port}/healthz`,
      );
      servers.push(server);
      const processes = workers === 'auto' ? `${availableParallelism()} processes (auto)` : `${workers} process${workers === '1' ? '' : 'es'}`;
      const bearer = [`Authorization: Bearer ${key}`];
      const v2ById = pathsFile(
        'v2-by-id',
        sample.map((s) => `/api/v2/assets/${s.id}`),
      );
      const v2List = pathsFile('v2-list', await cursorsOverTheList(`http://127.0.0.1:${port}`, key, size));
      for (const keepAlive of [true, false]) {
        for (const [label, paths, headers] of [
          ['v1 read by asset_id', byId, []],
          ['v2 read by id', v2ById, bearer],
          ['v1 list of 50', list, []],
          ['v2 list of 50 by cursor, any depth', v2List, bearer],
          ['v1 lookup by asset_serial', bySerial, []],
        ] as const) {
          all.push({ size, ...(await load(`${label}, ${processes}`, `http://127.0.0.1:${port}`, paths, keepAlive, [...headers])) });
          report(all.at(-1)!);
        }
      }
      server.kill();
      await new Promise((r) => server.once('exit', r));
      servers.pop();
    }
  } finally {
    for (const s of servers) s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`\nSummary (${CONNECTIONS} connections, ${seconds} s each after a 5 s warm-up; ${availableParallelism()} CPUs shared with the load generator)`);
console.log(`assets      ${'scenario'.padEnd(62)}   req/s   p50 ms  p99 ms`);
for (const r of all) {
  console.log(
    `${r.size.toLocaleString('en-US').padEnd(11)} ${r.label.padEnd(62)} ${Math.round(r.rps).toString().padStart(7)}  ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)}`,
  );
}
const find = (size: number, start: string, end: string) => all.find((r) => r.size === size && r.label.startsWith(start) && r.label.endsWith(end));
for (const size of sizes) {
  for (const keepAlive of ['on', 'off']) {
    const ceiling = find(size, 'ceiling', keepAlive);
    for (const workers of workerCounts) {
      const byId = all.find(
        (r) =>
          r.size === size &&
          r.label.startsWith('v1 read by asset_id') &&
          r.label.includes(workers === 'auto' ? '(auto)' : ` ${workers} process`) &&
          r.label.endsWith(keepAlive),
      );
      if (ceiling && byId)
        console.log(
          `${size.toLocaleString('en-US')} assets, keep-alive ${keepAlive}: read-by-id with ${workers === 'auto' ? 'one process per CPU' : `${workers} process(es)`} at ${Math.round((100 * byId.rps) / ceiling.rps)}% of the single-process ceiling (target ≥ 80%)`,
        );
    }
  }
}
for (const size of sizes) {
  for (const keepAlive of ['on', 'off']) {
    for (const workers of workerCounts) {
      const tag = (r: Result) => r.label.includes(workers === 'auto' ? '(auto)' : ` ${workers} process`) && r.label.endsWith(keepAlive);
      const v1 = all.find((r) => r.size === size && r.label.startsWith('v1 read by asset_id') && tag(r));
      const v2 = all.find((r) => r.size === size && r.label.startsWith('v2 read by id') && tag(r));
      const page = all.find((r) => r.size === size && r.label.startsWith('v2 list of 50') && tag(r));
      if (v1 && v2)
        console.log(
          `${size.toLocaleString('en-US')} assets, keep-alive ${keepAlive}, ${workers} worker(s): v2 read by id at ${Math.round((100 * v2.rps) / v1.rps)}% of v1's rate (target ≥ 90%)`,
        );
      if (page)
        console.log(
          `${size.toLocaleString('en-US')} assets, keep-alive ${keepAlive}, ${workers} worker(s): v2 list page at any depth p50 ${page.p50.toFixed(2)} ms (target < 5 ms)`,
        );
    }
  }
}
const ITFLOW = { list: 1_050, serial: 300 };
for (const r of all) {
  if (r.label.startsWith('v1 list of 50'))
    console.log(`${r.size.toLocaleString('en-US')} assets, ${r.label}: ${(r.rps / ITFLOW.list).toFixed(1)}× ITFlow's list of 50 (target ≥ 5×)`);
  if (r.label.startsWith('v1 lookup by asset_serial'))
    console.log(`${r.size.toLocaleString('en-US')} assets, ${r.label}: ${(r.rps / ITFLOW.serial).toFixed(1)}× ITFlow's serial lookup (target ≥ 20×)`);
}
console.log(
  'For scale (ITFlow on this kind of machine, its server closing every connection): read-by-id ~1,250 req/s, list of 50 ~1,050, serial lookup over 10k ~300.',
);
