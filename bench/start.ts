// How long Steward takes to start from the build: `steward --help`, and `steward serve` on an empty
// database (migrated first) until /readyz answers, with one process and with the default count.
// Run `npm run build` first; prints the median and the range of several starts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function summary(label: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`${label.padEnd(44)} median ${fmt(median)}  (${fmt(sorted[0] ?? 0)}–${fmt(sorted.at(-1) ?? 0)}, ${times.length} runs)`);
}

function helpTime(): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, ['bin/steward.js', '--help'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`steward --help failed: ${out.stderr}`);
  return performance.now() - started;
}

async function serveTime(workers: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-start-'));
  const port = await freePort();
  const env = { ...process.env, STEWARD_DATA_DIR: dir, STEWARD_PORT: String(port), STEWARD_WORKERS: String(workers), STEWARD_LOG_LEVEL: 'warn' };
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/steward.js', 'serve'], { env, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`steward serve stopped with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const defaultWorkers = Math.min(availableParallelism(), 8);
console.log(`Node.js ${process.version}, ${availableParallelism()} cores`);
summary('steward --help', Array.from({ length: RUNS }, helpTime));
for (const workers of [...new Set([1, defaultWorkers])]) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await serveTime(workers));
  summary(`steward serve, empty database, ${workers} process${workers === 1 ? '' : 'es'}`, times);
}
