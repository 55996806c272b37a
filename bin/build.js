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
await bundle();
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);

/**
 * The compiled application and its JavaScript dependencies in a few files (esbuild), which is what
 * bin/steward.js runs: loading some 600 modules one by one cost a server process about a second of
 * CPU at start, the bundle a third of that. Each command's code is its own chunk, loaded when that
 * command runs, so `steward --help` loads only the command line. Native modules (the SQLite and argon2
 * bindings) and pg's optional native driver stay outside. Without esbuild, dist/ runs unbundled.
 */
async function bundle() {
  const out = join(dist, 'bundle');
  rmSync(out, { recursive: true, force: true });
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.warn('steward build: esbuild is not installed; dist/ runs unbundled (slower to start)');
    return;
  }
  await esbuild.build({
    // The demo generator starts its search-index worker from a file beside its own code.
    entryPoints: {
      cli: join(dist, 'cli.js'),
      // What bin/steward.js runs in a server process that `steward serve` forked.
      'serve-worker': join(dist, 'serve-worker.js'),
      'search-index-worker': join(dist, 'demo', 'search-index-worker.js'),
    },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // @fastify/swagger-ui serves the files of its own package folder, found through its __dirname: it
    // stays a package, loaded from node_modules, so that folder is where it looks.
    external: ['better-sqlite3', 'better-sqlite3-13', 'argon2', 'pg-native', '@fastify/swagger-ui'],
    // These publish an ES module build beside their CommonJS main; imported on demand (import()), only
    // the ES module build keeps its named exports once bundled.
    alias: {
      '@zxcvbn-ts/core': '@zxcvbn-ts/core/dist/index.mjs',
      '@zxcvbn-ts/language-common': '@zxcvbn-ts/language-common/dist/index.mjs',
    },
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __stewardCreateRequire } from 'node:module'; const require = __stewardCreateRequire(import.meta.url);" },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  cpSync(join(root, 'src', 'web', 'public'), join(out, 'public'), { recursive: true });
}
