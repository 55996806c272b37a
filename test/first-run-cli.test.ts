// First run from the command line, through the real `steward` command on each database: `steward
// serve` says where to set Steward up (or where it runs), writes lines for a person at a terminal and
// JSON lines when piped; `steward demo` says where its data went and how to start empty instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from './support/cli.ts';
import { createEmptyDatabase, DIALECTS } from './support/databases.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running `steward serve` (or `script` giving it a terminal), its output so far, and a wait for a line. */
function start(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    exited,
    output: () => out,
    async waitFor(text: string): Promise<string> {
      for (let i = 0; i < 600 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(text);
      return out;
    },
  };
}

describe.each(DIALECTS)('first run of steward serve on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-first-run-'));
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : db.url, STEWARD_WORKERS: '2', STEWARD_LOG_LEVEL: 'info' };
  });
  afterEach(async () => {
    if (running && running.exitCode === null && running.signalCode === null) {
      const gone = new Promise((resolve) => running!.once('exit', resolve));
      running.kill('SIGTERM');
      await gone;
    }
    running = undefined;
  });
  afterAll(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says where to set Steward up on a new database, in JSON lines when piped', async () => {
    const port = await freePort();
    const server = start(process.execPath, ['bin/steward.js', 'serve'], { ...env, STEWARD_PORT: String(port) });
    running = server.child;
    await server.waitFor('to set up Steward');
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; level: number; time: number });
    expect(lines.map((l) => l.msg)).toContain(`Open http://127.0.0.1:${port} to set up Steward`);
    expect(lines.map((l) => l.msg)).toContain(`Steward 0.1.0 on ${dialect}, 2 processes, listening on http://127.0.0.1:${port}`);
    expect(lines.every((l) => typeof l.time === 'number' && l.level === 30)).toBe(true);
  });

  it('writes a short line per message at a terminal, then says where Steward runs once it has users', async () => {
    const port = await freePort();
    // `script` runs the server on a pseudo-terminal, as a person's shell would. `exec` makes Steward the
    // terminal's foreground process itself: a shell left waiting in between (dash, when SHELL is unset)
    // would be killed by the Ctrl-C below and report 130 whatever Steward did.
    const server = start('script', ['-qfec', `exec '${process.execPath}' bin/steward.js serve`, '/dev/null'], { ...env, STEWARD_PORT: String(port) });
    running = server.child;
    const out = await server.waitFor('to set up Steward');
    expect(out).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  Open http://127\\.0\\.0\\.1:${port} to set up Steward\\r?$`, 'm'));
    expect(out).toMatch(
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  Steward 0\\.1\\.0 on ${dialect}, 2 processes, listening on http://127\\.0\\.0\\.1:${port}`, 'm'),
    );
    expect(out).not.toContain('{"level"');
    // Ctrl-C at the terminal stops it.
    server.child.stdin.write('\u0003');
    expect(await server.exited).toBe(0);

    const created = await run(['user', 'create', '--email', 'ada@first.test', '--name', 'Ada', '--role', 'admin'], env, 'plum-orchard-lantern-47\n');
    expect(created.code).toBe(0);
    const again = start(process.execPath, ['bin/steward.js', 'serve'], { ...env, STEWARD_PORT: String(port) });
    running = again.child;
    await again.waitFor('Steward is running at');
    expect(again.output()).toContain(`"msg":"Steward is running at http://127.0.0.1:${port}"`);
    expect(again.output()).not.toContain('to set up Steward');
  });
});

describe.each(DIALECTS)('steward demo on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-demo-'));
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : db.url };
  });
  afterAll(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says where the demo data went and how to start empty, and refuses a database that has data', async () => {
    const where = dialect === 'sqlite' ? join(dataDir, 'steward.db') : 'the PostgreSQL database';
    const demo = await run(['demo'], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain(`the demo data is in ${where}`);
    expect(demo.stdout).toContain('To start with an empty database instead');
    expect(demo.stdout).toContain(dialect === 'sqlite' ? `remove ${where}` : 'point STEWARD_DATABASE_URL at a new, empty PostgreSQL database');
    expect(demo.stdout).not.toContain('postgres://'); // the database URL, with its password, stays out of it

    const again = await run(['demo'], env);
    expect(again.code).toBe(1);
    const line = again.stderr.trim().split('\n').at(-1)!;
    expect(line).toMatch(/^steward: the database already has clients/);
    expect(line).toContain(`nothing was added to ${where}`);
    expect(line).toContain('To start with an empty database instead');
  });
});
