#!/usr/bin/env node
// Compiles src/ into dist/ (npm run build; npm ci runs it through `prepare`). dist/.built marks a
// finished build and carries the time the build started: bin/steward.js runs dist/ only while no file
// under src/ is newer than that, so an edit made during or after a build is never hidden by it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

let tsc;
try {
  tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  // TypeScript is a dependency (so a production install, `npm ci --omit=dev`, compiles too); without it
  // only a development install's tsx can run the sources.
  console.warn('steward build: TypeScript is not installed; skipped (Steward can then run only from src/, through tsx)');
  process.exit(0);
}

const started = new Date();
rmSync(stamp, { force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('steward build: tsc failed; dist/ is left unmarked, so Steward keeps running from src/');
  process.exit(compiled.status ?? 1);
}
// Files the server reads beside its modules (src/web/web.tsx serves ./public).
rmSync(join(dist, 'web', 'public'), { recursive: true, force: true });
mkdirSync(join(dist, 'web'), { recursive: true });
cpSync(join(root, 'src', 'web', 'public'), join(dist, 'web', 'public'), { recursive: true });
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
