// `steward serve`: prepare the database once (wait for it if it is not up yet, migrate, check the secret
// key), then run the web server in STEWARD_WORKERS processes. Each process stops cleanly on SIGTERM or
// SIGINT (requests in flight finish), and stops too if its supervisor disappears, so no process is ever
// left listening on its own.
import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { scheduleDailyJobs } from './jobs/jobs.ts';
import { ConfigError, type Config } from './platform/config.ts';
import { SYSTEM_ACTOR, type Ctx } from './platform/context.ts';
import { asDatabaseUnavailable } from './platform/db/db-errors.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { openStore, storeOptions, type Store } from './platform/db/store.ts';
import { createLogger } from './platform/logger.ts';
import { prepareWorkerMetrics } from './platform/metrics.ts';
import { runWorkers, stopForGood, watchNpmParent } from './platform/workers.ts';
import { checkSecretKey } from './settings/secret-key-check.ts';
import { VERSION } from './version.ts';

const STOP_GRACE_MS = 25_000;

export async function serve(config: Config): Promise<void> {
  await runWorkers({
    count: config.workers,
    log: (message) => process.stderr.write(`${message}\n`),
    prepare: () => prepare(config),
    serve: () => serveOne(config),
  });
}

/**
 * Opens the database, waiting for it while it is unreachable (a server started with its database, or
 * before it), then migrates and checks the secret key. Anything else that goes wrong is for a person to
 * fix: one line, and Steward stops.
 */
export async function openPrepared(config: Config, log: { warn(message: string): void }): Promise<Store> {
  for (let attempt = 1; ; attempt++) {
    const store = openDatabase(config);
    try {
      await migrateToLatest(store);
      await checkSecretKey(systemCtx(store), config);
      return store;
    } catch (error) {
      await store.close().catch(() => undefined);
      const unavailable = asDatabaseUnavailable(error);
      if (!unavailable) throw error;
      const wait = Math.min(1000 * 2 ** (attempt - 1), 30_000);
      log.warn(`waiting for the database (${describe(error)}); trying again in ${wait / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const { code, message } = cause as { code?: string; message?: string };
  return [code, message].filter(Boolean).join(': ') || String(cause);
}

function openDatabase(config: Config, logger?: Logger): Store {
  try {
    return openStore(config.database, storeOptions(config, logger ? { ms: config.slowQueryMs, log: (q) => logger.warn(q, 'slow query') } : undefined));
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (config.database.kind === 'sqlite' && (code?.startsWith('SQLITE_CANTOPEN') || ['ENOTDIR', 'EACCES', 'EROFS', 'EISDIR', 'ENOENT'].includes(code ?? ''))) {
      throw new UnusableDatabaseError(
        `cannot open the SQLite database at ${config.database.url} (${message}); set STEWARD_DATA_DIR or STEWARD_DATABASE_URL to a file Steward may create and write`,
      );
    }
    throw error;
  }
}

export class UnusableDatabaseError extends Error {}

const systemCtx = (store: Store): Ctx => ({ db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, source: 'system' });

async function prepare(config: Config): Promise<void> {
  const store = await openPrepared(config, { warn: (message) => process.stderr.write(`steward: ${message}\n`) });
  await store.close();
}

async function serveOne(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  // A stray rejection is a bug to log, not a reason to drop every request in flight.
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  prepareWorkerMetrics();
  const store = openDatabase(config, logger);
  const app = await buildApp({ config, store, logger });
  let stopJobs = () => {};
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`stopping (${why}); letting requests in flight finish`);
    setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
    stopJobs();
    await app.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the server'));
    await store.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  // The supervisor is gone (killed): this process must not go on listening by itself.
  if (cluster.isWorker) process.once('disconnect', () => void stop('supervisor gone'));
  else watchNpmParent(() => void stop('npm stopped'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await stopForGood(listenProblem(error, config));
  }
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const where = config.publicUrl ? `, public URL ${config.publicUrl.href}` : '';
    logger.info(`Steward ${VERSION} on ${store.dialect}, ${config.workers} process(es), listening on http://${config.host}:${port}${where}`);
  }
  stopJobs = scheduleDailyJobs(systemCtx(store), { info: (m) => logger.info(m), warn: (m) => logger.warn(m) });
}

function listenProblem(error: unknown, config: Config): string {
  if (error instanceof ConfigError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return `port ${config.port} is in use (another Steward, or another program); stop it or set STEWARD_PORT`;
  if (code === 'EACCES') return `port ${config.port} needs privileges this user lacks; use a port above 1023 (STEWARD_PORT) behind a proxy`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `STEWARD_HOST=${config.host} is not an address of this machine`;
  return `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`;
}
