// A progress line for long CLI commands: how far, how fast, and how long still to go. Shown only on a
// terminal (stderr), so scripts, pipes and cron stay quiet.

export interface ProgressOptions {
  label: string;
  /** What `update`'s `position` counts up to (bytes of a file, rows); 0 when unknown. */
  total: number;
  /** What `update`'s `count` counts, for the rate ("rows/s"). */
  unit: string;
  /** Where to write; stderr by default. */
  stream?: NodeJS.WriteStream;
}

const EVERY_MS = 250;

export class Progress {
  label: string;
  private started = Date.now();
  private shownAt = 0;
  private position = 0;
  private count = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private drawn = false;
  private total: number;

  constructor(private readonly options: ProgressOptions) {
    this.label = options.label;
    this.total = options.total;
    this.stream = options.stream ?? process.stderr;
    this.enabled = Boolean(this.stream.isTTY);
  }

  /** A new stage over the same total (the second pass of an import). */
  restart(label: string): void {
    if (this.drawn) this.draw(true);
    this.label = label;
    this.started = Date.now();
    this.position = 0;
    this.count = 0;
  }

  /** How far (of `total`, which may be learnt along the way) and how many `unit`s so far. */
  update(position: number, count: number, total?: number): void {
    if (total !== undefined) this.total = total;
    this.position = position;
    this.count = count;
    if (this.enabled && Date.now() - this.shownAt >= EVERY_MS) this.draw(false);
  }

  /** Draws the last state and ends the line. */
  done(): void {
    if (this.drawn) this.draw(true);
  }

  private draw(final: boolean): void {
    if (!this.enabled) return;
    this.shownAt = Date.now();
    this.drawn = !final;
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = this.count / seconds;
    const parts = [this.label];
    const total = this.total;
    if (total > 0) parts.push(`${Math.min(100, Math.floor((this.position / total) * 100))}%`);
    parts.push(`${this.count.toLocaleString('en-US')} ${this.options.unit}`, `${Math.round(rate).toLocaleString('en-US')} ${this.options.unit}/s`);
    if (total > 0 && this.position > 0 && this.position < total && !final) {
      parts.push(`ETA ${formatDuration(((total - this.position) / this.position) * seconds)}`);
    }
    if (final) parts.push(`in ${formatDuration(seconds)}`);
    this.stream.write(`\r\x1b[2K${parts.join('  ')}${final ? '\n' : ''}`);
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
