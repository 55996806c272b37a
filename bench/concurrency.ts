// Parallel writers against real servers, as RMM agents and technicians write at the same time:
// 8 writers × 100 creates and 4 × 50 updates of one asset through API v1, then 6 browsers × 10 asset
// creates and 36 ticket creates through the web forms. On SQLite with the default number of server
// processes, and on PostgreSQL with two servers on one database. Prints failed writes, 5xx answers,
// lost updates (every accepted update must be in the history, old → new chained), rate and latency.
// Then, on SQLite: how long a write from the server waits while a CLI import of 200,000 rows holds the
// write lock for its final write.
//
//   npm run bench:concurrency                       both databases (PostgreSQL from STEWARD_BENCH_PG_URL)
//   npm run bench:concurrency -- --only sqlite      one database
//   npm run bench:concurrency -- --import-rows 50000
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { percentile } from './stats.ts';
import { cli, freePort } from './processes.ts';

const { values } = parseArgs({ options: { only: { type: 'string' }, 'import-rows': { type: 'string' } } });
const PG_URL = process.env.STEWARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const IMPORT_ROWS = Number(values['import-rows'] ?? 200_000);
const KEY = 'q0Rj0d2mZ1m6yWqg0b4m3Xv7t8b2Jc9H1l5p0s3u6wA=';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

function send(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = request(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers, ms: performance.now() - started }));
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

const json = (port: number, path: string, payload: unknown) => send(port, 'POST', path, JSON.stringify(payload), { 'content-type': 'application/json' });

async function serve(env: NodeJS.ProcessEnv): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/steward.js', 'serve'], {
    env: { ...process.env, STEWARD_LOG_LEVEL: 'warn', ...env, STEWARD_PORT: String(port) },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    if ((await send(port, 'GET', '/readyz').catch(() => null))?.status === 200) return { port, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('steward serve did not become ready');
}

/** A browser-like session: cookies and the CSRF token of the last page. */
class Browser {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly port: number) {}
  private keep(a: Answer): Answer {
    const set = a.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(name!.trim(), value ?? '');
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(a.body)?.[1];
    if (token) this.csrf = token;
    return a;
  }
  private headers() {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
  async get(path: string) {
    return this.keep(await send(this.port, 'GET', path, undefined, this.headers()));
  }
  async post(path: string, fields: Record<string, string>) {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.keep(await send(this.port, 'POST', path, body, { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' }));
  }
}

interface Tally {
  ok: number;
  failed: number;
  fiveXX: number;
  times: number[];
}
const tally = (): Tally => ({ ok: 0, failed: 0, fiveXX: 0, times: [] });
function note(t: Tally, a: Answer, ok: boolean): boolean {
  t.times.push(a.ms);
  if (a.status >= 500) t.fiveXX++;
  if (ok) t.ok++;
  else t.failed++;
  return ok;
}
const v1Ok = (a: Answer) => a.status === 200 && a.body.includes('"success":"True"');

function line(label: string, t: Tally, seconds: number): string {
  const sorted = [...t.times].sort((a, b) => a - b);
  return `  ${label.padEnd(34)} ${String(t.ok).padStart(5)} ok  ${String(t.failed).padStart(3)} failed  ${String(t.fiveXX).padStart(3)} 5xx  ${Math.round(
    t.ok / seconds,
  )
    .toString()
    .padStart(5)}/s  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`;
}

async function run(label: string, ports: number[], key: string, history: (assetId: number) => Promise<Array<{ old: unknown; new: unknown }>>): Promise<void> {
  const port = (i: number) => ports[i % ports.length]!;
  const client = await json(port(0), '/api/v1/clients/create.php', { api_key: key, client_name: `Bench ${Date.now()}` });
  const clientId = String((JSON.parse(client.body) as { data: Array<{ insert_id: number }> }).data[0]!.insert_id);
  const first = await json(port(0), '/api/v1/assets/create.php', { api_key: key, client_id: clientId, asset_name: 'CONTENDED' });
  const assetId = (JSON.parse(first.body) as { data: Array<{ insert_id: number }> }).data[0]!.insert_id;

  const creates = tally();
  const updates = tally();
  const accepted: string[] = [];
  let started = performance.now();
  await Promise.all([
    ...Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 100; i++) {
        const a = await json(port(w), '/api/v1/assets/create.php', { api_key: key, client_id: clientId, asset_name: `W${w}-${i}` });
        note(creates, a, v1Ok(a));
      }
    }),
    ...Array.from({ length: 4 }, async (_, u) => {
      for (let i = 0; i < 50; i++) {
        const description = `updater ${u} round ${i}`;
        const a = await json(port(u), '/api/v1/assets/update.php', {
          api_key: key,
          client_id: clientId,
          asset_id: String(assetId),
          asset_description: description,
        });
        if (note(updates, a, v1Ok(a))) accepted.push(description);
      }
    }),
  ]);
  const apiSeconds = (performance.now() - started) / 1000;
  const chain = await history(assetId);
  let previous: unknown = null;
  let broken = 0;
  for (const c of chain) {
    if (c.old !== previous) broken++;
    previous = c.new;
  }
  const lost = accepted.filter((d) => !chain.some((c) => c.new === d)).length;

  const forms = tally();
  const tickets = tally();
  const browsers = await Promise.all(
    Array.from({ length: 6 }, async (_, b) => {
      const browser = new Browser(port(b));
      await browser.get('/sign-in');
      await browser.post('/sign-in', { email: 'bench@example.test', password: 'a long bench password' });
      await browser.get(`/clients/${clientId}/tickets/new`);
      return browser;
    }),
  );
  started = performance.now();
  await Promise.all(
    browsers.flatMap((browser, b) => [
      (async () => {
        for (let i = 0; i < 10; i++) {
          const a = await browser.post(`/assets/new?client_id=${clientId}`, { name: `FORM-${b}-${i}`, type: 'Laptop' });
          note(forms, a, a.status === 303);
        }
      })(),
      (async () => {
        for (let i = 0; i < 6; i++) {
          const a = await browser.post(`/clients/${clientId}/tickets/new`, { subject: `Jam ${b}-${i}`, status: 'New', priority: 'Low' });
          note(tickets, a, a.status === 303);
        }
      })(),
    ]),
  );
  const formSeconds = (performance.now() - started) / 1000;

  console.log(`${label}`);
  console.log(line('API v1 creates (8 × 100)', creates, apiSeconds));
  console.log(line('API v1 updates of one asset (4 × 50)', updates, apiSeconds));
  console.log(`  updates in the history: ${chain.length} of ${accepted.length} accepted, ${lost} lost, ${broken} breaks in the old → new chain`);
  console.log(line('web form asset creates (6 × 10)', forms, formSeconds));
  console.log(line('web form ticket creates (6 × 6)', tickets, formSeconds));
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-conc-'));
  const env = { STEWARD_DATA_DIR: dir, STEWARD_DATABASE_URL: '' };
  let server: { port: number; child: ChildProcess } | null = null;
  try {
    cli(env, 'user', 'create', '--email', 'bench@example.test', '--name', 'Bench', '--password', 'plum-orchard-lantern-47', '--role', 'admin');
    const key = cli(env, 'apikey', 'create', '--user', 'bench@example.test', '--name', 'bench');
    server = await serve(env);
    const SQLite = (await import('../src/platform/db/sqlite-binding.ts')).default;
    const db = new SQLite(join(dir, 'steward.db'), { readonly: true });
    const history = async (assetId: number) =>
      (db.prepare(`select changes from asset_events where asset_id = ? and action = 'updated' order by id`).all(assetId) as Array<{ changes: string }>).map(
        (r) => (JSON.parse(r.changes) as Array<{ field: string; old: unknown; new: unknown }>).find((c) => c.field === 'description')!,
      );
    await run('SQLite, one server with the default number of processes', [server.port], key, history);
    await writesDuringImport(env, server.port, key);
    db.close();
  } finally {
    server?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CLI import of many rows holds SQLite's write lock for its final write; how long does a write wait? */
async function writesDuringImport(env: NodeJS.ProcessEnv, port: number, key: string): Promise<void> {
  const dir = env.STEWARD_DATA_DIR!;
  const client = await json(port, '/api/v1/clients/create.php', { api_key: key, client_name: 'Import Bench Co' });
  const clientId = String((JSON.parse(client.body) as { data: Array<{ insert_id: number }> }).data[0]!.insert_id);
  const file = join(dir, 'import.csv');
  const lines = ['Name,Serial,Model,Notes'];
  for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`IMP-${i},SER-${i},Model ${i % 7},note ${i}`);
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/steward.js', 'import', 'assets', file, '--client', clientId], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let finished = false;
  void done.then(() => (finished = true));
  const writes = tally();
  const reads = tally();
  let slowest = 0;
  while (!finished) {
    const w = await json(port, '/api/v1/assets/create.php', { api_key: key, client_id: clientId, asset_name: `DURING-${writes.ok + writes.failed}` });
    note(writes, w, v1Ok(w));
    slowest = Math.max(slowest, w.ms);
    const r = await send(port, 'GET', `/api/v1/assets/read.php?api_key=${key}&client_id=${clientId}&limit=1`);
    note(reads, r, v1Ok(r));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const code = await done;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `SQLite, writes from the server while \`steward import assets\` imports ${IMPORT_ROWS.toLocaleString('en-US')} rows (exit ${code}, ${seconds.toFixed(1)} s)`,
  );
  console.log(line('API v1 creates during the import', writes, seconds));
  console.log(line('API v1 reads during the import', reads, seconds));
  console.log(`  longest wait of one create: ${(slowest / 1000).toFixed(1)} s (it waits for the import's final write, then succeeds)`);
}

async function postgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const name = `steward_bench_conc_${Date.now()}`;
  await admin.query(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const dirs = [mkdtempSync(join(tmpdir(), 'steward-bench-pg-a-')), mkdtempSync(join(tmpdir(), 'steward-bench-pg-b-'))];
  const servers: Array<{ port: number; child: ChildProcess }> = [];
  const reader = new pg.Client({ connectionString: url.toString() });
  try {
    const env = (i: number) => ({ STEWARD_DATA_DIR: dirs[i]!, STEWARD_DATABASE_URL: url.toString(), STEWARD_SECRET_KEY: KEY });
    cli(env(0), 'user', 'create', '--email', 'bench@example.test', '--name', 'Bench', '--password', 'plum-orchard-lantern-47', '--role', 'admin');
    const key = cli(env(0), 'apikey', 'create', '--user', 'bench@example.test', '--name', 'bench');
    servers.push(await serve(env(0)), await serve(env(1)));
    await reader.connect();
    const history = async (assetId: number) =>
      (
        await reader.query<{ changes: Array<{ field: string; old: unknown; new: unknown }> }>(
          `select changes from asset_events where asset_id = $1 and action = 'updated' order by id`,
          [assetId],
        )
      ).rows.map((r) => r.changes.find((c) => c.field === 'description')!);
    await run(
      'PostgreSQL, two servers (each with the default number of processes) on one database',
      servers.map((s) => s.port),
      key,
      history,
    );
  } finally {
    await reader.end().catch(() => undefined);
    for (const s of servers) s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

if (values.only !== 'postgres') await sqlite();
if (values.only !== 'sqlite') await postgres();
