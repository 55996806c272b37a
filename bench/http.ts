// HTTP benchmark of /api/v1/assets against a real `steward serve` (16 connections, autocannon):
// read by asset_id, a list of 50, and a lookup by asset_serial, with keep-alive on and off, at each
// size; plus, in the same run, the ceiling: a bare Fastify route returning one SQLite row by id.
//
//   npm run bench:http                          10,000 and 1,000,000 assets, 10 s per measurement
//   npm run bench:http -- --assets 10000 --seconds 5
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { assets: { type: 'string' }, seconds: { type: 'string' } } });
const sizes = (values.assets ?? '10000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
const seconds = Number(values.seconds ?? 10);
const CONNECTIONS = 16;

function cli(env: NodeJS.ProcessEnv, ...args: string[]): string {
  const out = spawnSync(process.execPath, ['bin/steward.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`steward ${args.join(' ')} failed: ${out.stderr}`);
  return out.stdout.trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
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

interface Result { label: string; rps: number; p50: number; p99: number; errors: number }

async function load(label: string, base: string, paths: string[], keepAlive: boolean): Promise<Result> {
  let n = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    // Without keep-alive every request opens a new connection, as ITFlow's server forces.
    ...(keepAlive ? {} : { headers: { connection: 'close' } }),
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }) }],
  });
  return { label: `${label}, keep-alive ${keepAlive ? 'on' : 'off'}`, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const all: Array<Result & { size: number }> = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'steward-http-bench-'));
  const env = { STEWARD_DATA_DIR: dir, STEWARD_DATABASE_URL: '', STEWARD_LOG_LEVEL: 'warn' };
  const servers: ChildProcess[] = [];
  try {
    console.log(`\n${size.toLocaleString('en-US')} assets: ${cli(env, 'generate', '--assets', String(size))}`);
    cli(env, 'user', 'create', '--email', 'bench@example.test', '--name', 'Bench', '--password', 'bench password', '--role', 'admin');
    const key = cli(env, 'apikey', 'create', '--user', 'bench@example.test', '--name', 'bench');
    const db = new SQLite(join(dir, 'steward.db'), { readonly: true });
    const sample = db.prepare('select id, serial from assets order by (id * 2654435761) % 1000003 limit 2000').all() as Array<{ id: number; serial: string }>;
    db.close();

    const port = await freePort();
    servers.push(await start(['bin/steward.js', 'serve'], { ...env, STEWARD_PORT: String(port) }, `http://127.0.0.1:${port}/healthz`));
    const ceilingPort = await freePort();
    servers.push(await start(['bin/run-ts.js', 'bench/ceiling-server.ts', join(dir, 'steward.db'), String(ceilingPort)], {}, `http://127.0.0.1:${ceilingPort}/row/1`));

    const api = (q: string) => `/api/v1/assets/read.php?api_key=${key}&${q}`;
    const byId = sample.map((s) => api(`asset_id=${s.id}`));
    const list = sample.map((_, i) => api(`limit=50&offset=${(i * 50) % Math.max(1, Math.min(size - 50, 10_000))}`));
    const bySerial = sample.map((s) => api(`asset_serial=${encodeURIComponent(s.serial)}`));
    const rows = sample.map((s) => `/row/${s.id}`);
    for (const keepAlive of [true, false]) {
      all.push({ size, ...(await load('ceiling: bare Fastify, one row by id', `http://127.0.0.1:${ceilingPort}`, rows, keepAlive)) });
      for (const [label, paths] of [['v1 read by asset_id', byId], ['v1 list of 50', list], ['v1 lookup by asset_serial', bySerial]] as const) {
        all.push({ size, ...(await load(label, `http://127.0.0.1:${port}`, [...paths], keepAlive)) });
        const r = all.at(-1)!;
        console.log(`  ${r.label.padEnd(52)} ${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.errors ? `  (${r.errors} errors)` : ''}`);
      }
    }
  } finally {
    for (const s of servers) s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`\nSummary (${CONNECTIONS} connections, ${seconds} s each)`);
console.log('assets      scenario                                              req/s     p50 ms  p99 ms');
for (const r of all) {
  console.log(`${r.size.toLocaleString('en-US').padEnd(11)} ${r.label.padEnd(52)} ${Math.round(r.rps).toString().padStart(7)}  ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)}`);
}
for (const size of sizes) {
  for (const keepAlive of ['on', 'off']) {
    const ceiling = all.find((r) => r.size === size && r.label.startsWith('ceiling') && r.label.endsWith(keepAlive));
    const byId = all.find((r) => r.size === size && r.label.startsWith('v1 read by asset_id') && r.label.endsWith(keepAlive));
    if (ceiling && byId) console.log(`${size.toLocaleString('en-US')} assets, keep-alive ${keepAlive}: read-by-id at ${Math.round((100 * byId.rps) / ceiling.rps)}% of the ceiling (target ≥ 80%)`);
  }
}
console.log('For scale (ITFlow on this kind of machine): read-by-id ~1,250 req/s, list of 50 ~1,050, serial lookup over 10k ~300.');
