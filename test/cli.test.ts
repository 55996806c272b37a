// The CLI and server as a newcomer meets them: through the real `steward` command.
import SQLite from '../src/platform/db/sqlite-binding.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { runCli as run } from './support/cli.ts';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS } from './support/databases.ts';
import { MIGRATION_NAMES } from '../src/migrations/index.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('steward command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('explains itself with --help', async () => {
    const { code, stdout } = await run(['--help'], env);
    expect(code).toBe(0);
    for (const command of ['serve', 'migrate', 'user', 'demo', 'generate']) expect(stdout).toContain(command);
    const sub = await run(['user', 'create', '--help'], env);
    expect(sub.stdout).toContain('--role <role>');
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['generate', '--assets', 'lots'], /--assets.*whole number/],
    [['user', 'create', '--email', 'a@b.c'], /required option/],
    [['user', 'create', '--email', 'not-an-email', '--name', 'X', '--password', 'short', '--role', 'wizard'], /email: .*password: .*role: /],
  ])('rejects %j with a one-line error and a non-zero exit', async (args, message) => {
    const { code, stderr } = await run(args, env);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')[0]).toMatch(message);
  });

  it('rejects a bad setting by naming the variable', async () => {
    const { code, stderr } = await run(['migrate'], { ...env, STEWARD_PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toContain('STEWARD_PORT');
  });

  it('rejects a bad STEWARD_WORKERS by naming it', async () => {
    const { code, stderr } = await run(['serve'], { ...env, STEWARD_WORKERS: 'many' });
    expect(code).toBe(1);
    expect(stderr).toContain('STEWARD_WORKERS');
  });

  it('serves from several processes on one port, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, ['bin/steward.js', 'serve'], {
      env: { ...process.env, ...env, STEWARD_PORT: String(port), STEWARD_WORKERS: '2', STEWARD_LOG_LEVEL: 'warn' },
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    let status = 0;
    for (let i = 0; i < 600 && status !== 200; i++) {
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    // No process is left holding the port.
    const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(after).toBe('refused');
  });

  it('stops with an error when its processes cannot start (the port is taken)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const { code, stderr } = await run(['serve'], { ...env, STEWARD_PORT: String(port), STEWARD_WORKERS: '2', STEWARD_LOG_LEVEL: 'warn' });
    taken.close();
    expect(code).toBe(1);
    // One line that says what to do, not a restart loop.
    expect(stderr.trim()).toBe(`steward: port ${port} is in use (another Steward, or another program); stop it or set STEWARD_PORT`);
  });

  it('creates a user once, and refuses the same email twice', async () => {
    const args = ['user', 'create', '--email', 'Admin@Example.test', '--name', 'Ada Admin', '--password', 'fern-quilt-38', '--role', 'admin'];
    const first = await run(args, env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('admin@example.test');
    expect(first.stdout).toContain('Administrator');
    const again = await run(args, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });
});

describe.each(DIALECTS)('demo data and the server on %s', (dialect) => {
  let server: ChildProcess | undefined;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-serve-'));

  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : db.url, STEWARD_LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills a demo data set, then serves /healthz and a status page', async () => {
    const demo = await run(['demo'], env);
    expect(demo.code).toBe(0);
    const count = Number(/(\d+) assets/.exec(demo.stdout)?.[1]);
    expect(count).toBeGreaterThanOrEqual(180);
    expect(demo.stdout).toContain('sign in as');
    const again = await run(['demo'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('empty database');

    const port = await freePort();
    server = spawn(process.execPath, ['bin/steward.js', 'serve'], { env: { ...process.env, ...env, STEWARD_PORT: String(port) } });
    let body: { status: string; database: string; version: string; migration: { pending: number; level: string } } | undefined;
    for (let i = 0; i < 600 && !body; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(res.status).toBe(200);
        body = (await res.json()) as typeof body;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(body).toMatchObject({ status: 'ok', database: dialect, version: '0.1.0' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: dialect, migration: { pending: 0, level: MIGRATION_NAMES.at(-1) } });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('Steward');
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('the command line in scripts and cron', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-scripts-'));
  const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads a password from standard input instead of the command line', async () => {
    const created = await run(['user', 'create', '--email', 'cron@example.test', '--name', 'Cron', '--role', 'admin'], env, 'a password from stdin\n');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('cron@example.test');
    const key = await run(['apikey', 'create', '--user', 'cron@example.test', '--name', 'nightly'], env);
    const list = await run(['apikey', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'nightly', userEmail: 'cron@example.test', prefix: key.stdout.trim().slice(0, 12), revokedAt: null }),
    ]);
  });

  it('imports a file from standard input, and reports a dry run as JSON', async () => {
    await run(['generate', '--assets', '3000', '--clients', '1'], env);
    const dry = await run(
      ['import', 'assets', '-', '--client', '1', '--dry-run', '--json'],
      env,
      'Name,Purchase Date\r\nNEW-STDIN,2024-01-01\r\nBAD-STDIN,2024-02-30\r\n',
    );
    expect(dry.code).toBe(2);
    // No progress line when stderr is not a terminal.
    expect(dry.stderr).toBe('');
    const report = JSON.parse(dry.stdout) as {
      committed: boolean;
      dryRun: boolean;
      counts: Record<string, number>;
      rejected: Array<{ line: number; problems: Array<{ field: string }> }>;
    };
    expect(report).toMatchObject({ committed: false, dryRun: true, counts: { create: 1, update: 0, unchanged: 0, rejected: 1 } });
    expect(report.rejected[0]).toMatchObject({ line: 3, problems: [expect.objectContaining({ field: 'Purchase Date' })] });
  });

  it('ends quietly when the reader of its output stops early, as `| head` does', async () => {
    const child = spawn(process.execPath, ['bin/steward.js', 'export', 'assets'], { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('refuses a date that does not exist, and reports the daily jobs as JSON', async () => {
    const bad = await run(['jobs', 'run', '--date', '2026-02-30'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')[0]).toMatch(/2026-02-30.*not a real date/);
    const good = await run(['jobs', 'run', '--date', '2026-12-01', '--json'], env);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ date: '2026-12-01', warrantyAlerts: { created: expect.any(Number) }, purged: { uploads: 0 } });
  });

  it('warns about a misspelt setting, naming the one it resembles', async () => {
    const res = await run(['migrate'], { ...env, STEWARD_DATABSE_URL: 'postgres://x' });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('STEWARD_DATABSE_URL is not a Steward setting; did you mean STEWARD_DATABASE_URL?');
  });

  it('answers an unexpected error with a generic line and an id, and logs the error under that id', async () => {
    const broken = join(dataDir, 'broken');
    const setup = await run(['migrate'], { STEWARD_DATA_DIR: broken, STEWARD_DATABASE_URL: '' });
    expect(setup.code).toBe(0);
    const db = new SQLite(join(broken, 'steward.db'));
    db.exec('alter table api_keys rename to api_keys_away');
    db.close();
    const res = await run(['apikey', 'list'], { STEWARD_DATA_DIR: broken, STEWARD_DATABASE_URL: '' });
    expect(res.code).toBe(1);
    const id = /something went wrong \(error id ([0-9a-f-]{36})\)/.exec(res.stderr)?.[1];
    expect(id).toBeDefined();
    const logged = res.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; errorId: string; err: { message: string } });
    expect(logged).toEqual([
      expect.objectContaining({ level: 50, errorId: id, err: expect.objectContaining({ message: expect.stringContaining('api_keys') }) }),
    ]);
    expect(res.stderr.split('\n').find((l) => l.startsWith('steward:'))).not.toContain('api_keys');
  });

  it('says in one line when the database file cannot be opened', async () => {
    // A path beneath a file: its folder can never be made.
    const res = await run(['apikey', 'list'], { ...env, STEWARD_DATABASE_URL: '/etc/hostname/steward.db' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/cannot open the SQLite database at \/etc\/hostname\/steward\.db/);
  });
});
