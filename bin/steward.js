#!/usr/bin/env node
// Runs the Steward CLI: the compiled JavaScript in dist/ when it was built from the sources as they are
// now, otherwise the TypeScript sources through tsx (compiled module by module on load, much slower to
// start). dist/ counts as current while nothing under src/, and neither tsconfig, changed after the
// build started (see bin/build.js), so a developer's edit is never hidden by an older build.
// STEWARD_FROM_SOURCE=1 always runs the sources.
import cluster from 'node:cluster';
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

const TEST_FILE = /\.test\.tsx?$/;

/**
 * Whether the directory, or anything in it, was changed (written, added, removed) after `time`. An
 * edited test is left out (the build leaves tests out); a test added or removed still counts, through
 * its directory's time, since a directory does not tell which of its entries changed.
 */
function changedSince(dir, time) {
  if (modifiedAt(dir) > time) return true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(path, time) : !TEST_FILE.test(entry.name) && modifiedAt(path) > time) return true;
  }
  return false;
}

function distIsCurrent() {
  if (process.env.STEWARD_FROM_SOURCE === '1') return false;
  const built = modifiedAt(join(root, 'dist', '.built'));
  if (built === Infinity) return false;
  return !['tsconfig.json', 'tsconfig.build.json'].some((file) => modifiedAt(join(root, file)) > built) && !changedSince(join(root, 'src'), built);
}

// A server process forked by `steward serve` (the only user of node:cluster) goes straight to serving,
// and runs the build its supervisor chose, without looking again.
const entry = cluster.isWorker ? 'serve-worker' : 'cli';
const runDist = process.env.STEWARD_RUNS_DIST ? process.env.STEWARD_RUNS_DIST === '1' : distIsCurrent();
process.env.STEWARD_RUNS_DIST = runDist ? '1' : '0';

if (runDist) {
  // Node.js 22 and later keep the compiled code of the modules on disk, so later starts skip compiling
  // them (Node.js 20 has no such cache).
  module.enableCompileCache?.();
  // The bundle (bin/build.js) when esbuild made one; the compiled modules one by one otherwise.
  const bundled = existsSync(join(root, 'dist', 'bundle', 'cli.js'));
  await import(`../dist/${bundled ? 'bundle/' : ''}${entry}.js`);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error('steward: dist/ is missing or older than src/, and tsx is not installed to run the sources; run `npm run build`');
    process.exit(1);
  }
  tsx.register();
  await import(`../src/${entry}.ts`);
}
