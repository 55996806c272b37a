// Several server processes on one port (node:cluster), under a supervisor. Node runs JavaScript on one
// core; a second process doubles what a two-core machine can answer. SQLite in WAL mode serves readers in
// every process at once and queues writers, PostgreSQL is shared anyway, and sessions live in the database.
//
// The supervisor replaces a process that dies, waiting longer after each quick death (1 s, 2 s, 4 s, …
// up to 30 s) so a database outage or a crash loop neither spins nor gives up. A process that cannot
// work at all (the port is taken, the address does not exist) says so once and everything stops.
import cluster, { type Worker } from 'node:cluster';

export interface WorkerPlan {
  count: number;
  /** Runs once, in the first process, before any server touches the database (migrations, first-run files). */
  prepare(): Promise<void>;
  /**
   * Starts one server; in every worker, or in this process when count is 1. It may load its code at
   * once, but must wait for `prepared` before it opens the database: the workers start while the
   * supervisor prepares, so loading the application and migrating happen at the same time.
   */
  serve(prepared: Promise<void>): Promise<void>;
  log(message: string): void;
}

const FATAL = 'steward:fatal';
/** A worker asks whether the database is prepared; the supervisor answers PREPARED once it is. */
const WAITING = 'steward:waiting';
const PREPARED = 'steward:prepared';
/** A process that lived this long was fine; the next death starts the back-off again. */
const HEALTHY_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
/** How long processes get to finish their requests on SIGTERM before they are killed. */
const STOP_GRACE_MS = 30_000;

/**
 * A problem no restart can mend: reported once (to the supervisor, which stops every process, or on
 * stderr), then this process exits. The promise never settles.
 */
export function stopForGood(message: string): Promise<never> {
  if (cluster.isWorker && process.send) process.send({ type: FATAL, message }, () => process.exit(1));
  else {
    process.stderr.write(`steward: ${message}\n`);
    process.exit(1);
  }
  return new Promise<never>(() => undefined);
}

export async function runWorkers(plan: WorkerPlan): Promise<void> {
  if (cluster.isWorker) return plan.serve(preparedBySupervisor());
  if (plan.count === 1) {
    const prepared = plan.prepare();
    // serve() waits for it only after loading its code; a failure meanwhile is not "unhandled".
    prepared.catch(() => undefined);
    return plan.serve(prepared);
  }

  // Node's default distribution (the first process accepts and hands connections round-robin) keeps
  // keep-alive clients evenly spread. NODE_CLUSTER_SCHED_POLICY=none lets each process accept for itself:
  // ~40% more for clients that open a connection per request, but a burst of keep-alive connections
  // can all land on one process (see the README's benchmark notes).
  let stopping = false;
  let exitCode = 0;
  let quickDeaths = 0;
  const started = new Map<number, number>();
  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (started.size === 0) process.exit(exitCode);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(exitCode);
    }, STOP_GRACE_MS + 2_000).unref();
  };

  let prepared = false;
  const waiting = new Set<Worker>();
  cluster.on('message', (worker, message: { type?: string; message?: string }) => {
    if (message?.type === WAITING) {
      if (prepared) worker.send({ type: PREPARED });
      else waiting.add(worker);
      return;
    }
    if (message?.type !== FATAL || stopping) return;
    plan.log(`steward: ${message.message}`);
    stopAll(1);
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (started.size === 0) process.exit(exitCode);
      return;
    }
    quickDeaths = lived >= HEALTHY_MS ? 0 : quickDeaths + 1;
    const delay = quickDeaths === 0 ? 0 : Math.min(1000 * 2 ** (quickDeaths - 1), MAX_BACKOFF_MS);
    plan.log(`server process ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another${delay ? ` in ${delay / 1000} s` : ''}`);
    setTimeout(fork, delay);
  });
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));
  watchNpmParent(() => stopAll(0));
  for (let i = 0; i < plan.count; i++) fork();
  // After forking: the metrics library is not needed to start, and loading it would delay the processes.
  const { serveClusterMetrics } = await import('./metrics.ts');
  serveClusterMetrics();
  try {
    await plan.prepare();
  } catch (error) {
    // Nothing to serve: the workers go without being replaced, and the error is this process's to report.
    stopping = true;
    exitCode = 1;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    throw error;
  }
  prepared = true;
  for (const worker of waiting) if (worker.isConnected()) worker.send({ type: PREPARED });
  waiting.clear();
}

/** In a worker: settles once the supervisor has prepared the database; a supervisor gone before that ends the worker. */
function preparedBySupervisor(): Promise<void> {
  return new Promise((resolve) => {
    const orphaned = () => process.exit(1);
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== PREPARED) return;
      process.off('message', onMessage);
      process.off('disconnect', orphaned);
      resolve();
    };
    process.on('message', onMessage);
    process.once('disconnect', orphaned);
    process.send?.({ type: WAITING });
  });
}

/**
 * Under `npm start`, npm runs Steward through `sh -c`, and on SIGTERM stops only that shell, which does
 * not pass the signal on: Steward would go on running, orphaned. When the shell that npm started is
 * gone, npm is stopping, and so is Steward. (Started any other way, a changed parent means nothing.)
 */
export function watchNpmParent(stop: () => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}
