// A real `steward serve` in a child process, as an admin starts it: its own environment, a free port,
// its output kept for assertions, stopped by a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

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

/** Starts `steward serve` and waits until /healthz answers 200 (or the process exits). */
export async function startServer(env: Record<string, string>, options: { port?: number; args?: string[] } = {}): Promise<RunningServer> {
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
  for (let i = 0; i < 300 && !done; i++) {
    const status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const server: RunningServer = {
    port, url, child, exited,
    output: () => text,
    stop: async (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
      return exited;
    },
  };
  if (done) throw new Error(`steward serve exited before answering:\n${text}`);
  return server;
}
