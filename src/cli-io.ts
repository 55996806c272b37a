// What the command line needs to behave in scripts and cron as well as at a terminal: quiet ends when a
// pipe closes early (`| head`), passwords asked without echo or read from stdin, `-` for a file on stdin.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';

/** Output piped into a reader that stops early (`head`) ends the command quietly instead of with a stack. */
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE' || (error as NodeJS.ErrnoException | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** Asks at the terminal without echoing what is typed; reads one line from stdin when it is not a terminal. */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return '';
  }
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A file argument, or `-` for standard input. Standard input is copied to a temporary file first, since
 * an import reads its file twice (check, then write); `done()` removes the copy.
 */
export async function fileArgument(path: string): Promise<{ path: string; name: string; done: () => void }> {
  if (path !== '-') return { path, name: path, done: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'steward-stdin-'));
  const copy = join(dir, 'stdin.csv');
  await pipeline(process.stdin, createWriteStream(copy));
  return { path: copy, name: 'stdin.csv', done: () => rmSync(dir, { recursive: true, force: true }) };
}
