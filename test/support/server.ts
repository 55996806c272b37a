// A real `steward serve` in a child process, as an admin starts it: its own environment, a free port,
// its output kept for assertions, stopped by a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { runCli } from './cli.ts';

export interface RunningServer {
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything the server printed (stdout and stderr) so far. */
  output(): string;
  /** Sends a signal and waits for the process to exit; resolves to its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts `steward serve` and waits until /readyz answers 200 (or the process exits). */
export async function startServer(env: Record<string, string>, options: { port?: number; args?: string[] } = {}): Promise<RunningServer> {
  const server = await launchServer(env, options);
  await server.ready;
  return server;
}

/** Starts `steward serve` without waiting: `ready` settles once /readyz answers 200 (or rejects if it exits). */
export async function launchServer(
  env: Record<string, string>,
  options: { port?: number; args?: string[] } = {},
): Promise<RunningServer & { ready: Promise<void> }> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['bin/steward.js', ...(options.args ?? ['serve'])], {
    env: { ...process.env, STEWARD_LOG_LEVEL: 'warn', ...env, STEWARD_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const url = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    // Up to a minute: a busy build machine starts Node and compiles the sources slowly.
    for (let i = 0; i < 600 && !done; i++) {
      const status = await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`steward serve ${done ? 'exited' : 'did not become ready'}:\n${text}`);
  })();
  ready.catch(() => undefined);
  return {
    port,
    url,
    child,
    exited,
    ready,
    output: () => text,
    stop: async (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

/** An administrator made with the CLI, and an API key acting as them: what every script starts with. */
export async function adminKey(env: Record<string, string>, email = 'ops@example.test'): Promise<string> {
  const user = await runCli(['user', 'create', '--email', email, '--name', 'Ops', '--password', 'correct horse', '--role', 'admin'], env);
  if (user.code !== 0) throw new Error(`user create failed: ${user.stderr}`);
  const key = await runCli(['apikey', 'create', '--user', email, '--name', 'test script'], env);
  if (key.code !== 0) throw new Error(`apikey create failed: ${key.stderr}`);
  return key.stdout.trim();
}

/** A client made through API v1; returns its id. */
export async function createClientV1(
  http: (req: { method: string; url: string; payload: unknown }) => Promise<{ json(): unknown }>,
  key: string,
  name: string,
): Promise<number> {
  const res = await http({ method: 'POST', url: '/api/v1/clients/create.php', payload: { api_key: key, client_name: name } });
  return Number((res.json() as { data: Array<{ insert_id: number }> }).data[0]!.insert_id);
}
