// Timing, percentiles, a seeded random source and number formatting for the benchmark.
import { performance } from 'node:perf_hooks';

export interface Latency {
  median: number;
  p99: number;
  runs: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Runs fn `warmup` times untimed, then `runs` times timed, one call at a time; latencies in ms. */
export async function measure(runs: number, warmup: number, fn: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times = new Array<number>(runs);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    times[i] = performance.now() - start;
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), runs };
}

/** Wall-clock seconds of one call. */
export async function seconds<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** mulberry32: small, seeded, so runs pick the same ids and clients. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Milliseconds with three significant digits or more: 0.0412, 1.23, 45.6. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value < 0.1) return value.toFixed(4);
  if (value < 10) return value.toFixed(3);
  return value.toFixed(1);
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
