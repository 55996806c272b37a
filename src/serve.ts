// `steward serve`: prepare the database once (wait for it if it is not up yet, migrate, check the secret
// key), then run the web server in STEWARD_WORKERS processes. Each process stops cleanly on SIGTERM or
// SIGINT (requests in flight finish), and stops too if its supervisor disappears, so no process is ever
// left listening on its own.
import cluster from 'node:cluster';
import { ConfigError, type Config } from './platform/config.ts';
import { SYSTEM_ACTOR } from './platform/context.ts';
import { runWorkers, stopForGood, watchNpmParent } from './platform/workers.ts';
import { VERSION } from './version.ts';
import { plural } from './web/plural.ts';

const STOP_GRACE_MS = 25_000;

export async function serve(config: Config): Promise<void> {
  await runWorkers({
    count: config.workers,
    log: (message) => process.stderr.write(`${message}\n`),
    prepare: () => prepare(config),
    serve: (prepared) => serveOne(config, prepared),
  });
}

async function prepare(config: Config): Promise<void> {
  // Loaded here, not at the top: the supervisor starts its server processes before it loads the
  // database code, so they boot while it migrates.
  const { openPrepared } = await import('./startup.ts');
  const { store } = await openPrepared(config, { waitForDatabase: true, warn: (message) => process.stderr.write(`steward: ${message}\n`) });
  await store.close();
}

async function serveOne(config: Config, prepared: Promise<void>): Promise<void> {
  // Loaded here, not at the top: the supervisor only prepares the database and never needs the app.
  // Loading takes most of a start, so it runs while the supervisor migrates; the database waits for that.
  const [{ buildApp }, { scheduleDailyJobs }, { createLogger, humanDestination }, { prepareWorkerMetrics }, { openDatabase }, { countUsers }] =
    await Promise.all([
      import('./app.ts'),
      import('./jobs/jobs.ts'),
      import('./platform/logger.ts'),
      import('./platform/metrics.ts'),
      import('./startup.ts'),
      import('./accounts/user.service.ts'),
    ]);
  await prepared;
  // A person at a terminal reads lines; anything else (a service manager, a pipe) gets JSON lines.
  const logger = createLogger(config.logLevel, process.stdout.isTTY ? humanDestination() : undefined);
  // A stray rejection is a bug to log, not a reason to drop every request in flight.
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  prepareWorkerMetrics();
  const store = openDatabase(config, logger);
  const app = await buildApp({ config, store, logger });
  let stopJobs = () => {};
  let stopWebhooks = () => {};
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`stopping (${why}); letting requests in flight finish`);
    setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
    stopJobs();
    stopWebhooks();
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
    logger.info(
      `Steward ${VERSION} on ${store.dialect}, ${plural(config.workers, 'process', 'processes')}, listening on http://${config.host}:${port}${where}`,
    );
    const url = config.publicUrl?.href ?? `http://${browsableHost(config.host)}:${port}`;
    const users = await countUsers({ db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, principal: null, source: 'system' }).catch(() => null);
    logger.info(users === 0 ? `Open ${url} to set up Steward` : `Steward is running at ${url}`);
  }
  stopJobs = scheduleDailyJobs(
    { db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, principal: null, source: 'system' },
    { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  );
  // Every process delivers webhooks; deliveries are claimed, so none is sent by two at once.
  const { startWebhookDelivery } = await import('./webhooks/webhook-delivery.ts');
  stopWebhooks = startWebhookDelivery(
    { db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, principal: null, source: 'system' },
    { warn: (m) => logger.warn(m) },
  );
}

/** The host to put in a URL for a browser: an any-address listener is reached on this machine's loopback. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listenProblem(error: unknown, config: Config): string {
  if (error instanceof ConfigError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return `port ${config.port} is in use (another Steward, or another program); stop it or set STEWARD_PORT`;
  if (code === 'EACCES') return `port ${config.port} needs privileges this user lacks; use a port above 1023 (STEWARD_PORT) behind a proxy`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `STEWARD_HOST=${config.host} is not an address of this machine`;
  return `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`;
}
