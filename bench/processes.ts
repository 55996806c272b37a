// What the benchmarks that run real servers share: the steward command, and a free port.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Runs `steward …` and returns what it printed; throws with its error output if it failed. */
export function cli(env: NodeJS.ProcessEnv, ...args: string[]): string {
  const out = spawnSync(process.execPath, ['bin/steward.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`steward ${args.join(' ')} failed: ${out.stderr}`);
  return out.stdout.trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
