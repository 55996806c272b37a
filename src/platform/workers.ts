// Several server processes on one port (node:cluster). Node runs JavaScript on one core; a second
// process doubles what a two-core machine can answer. SQLite in WAL mode serves readers in every
// process at once and queues writers, PostgreSQL is shared anyway, and sessions live in the database.
import cluster from 'node:cluster';

export interface WorkerPlan {
  count: number;
  /** Runs once, in the first process, before any worker starts (migrations, first-run files). */
  prepare(): Promise<void>;
  /** Starts one server; in every worker, or in this process when count is 1. */
  serve(): Promise<void>;
  log(message: string): void;
}

// A worker dying this soon after its start is a crash loop (bad config, port taken), not bad luck.
const EARLY_EXIT_MS = 5_000;

export async function runWorkers(plan: WorkerPlan): Promise<void> {
  if (cluster.isWorker) return plan.serve();
  await plan.prepare();
  if (plan.count === 1) return plan.serve();

  // Node's default distribution (the first process accepts and hands connections round-robin) keeps
  // keep-alive clients evenly spread. NODE_CLUSTER_SCHED_POLICY=none lets each process accept for itself:
  // ~40% more for clients that open a connection per request, but a burst of keep-alive connections
  // can all land on one process (see the README's benchmark notes).
  let stopping = false;
  const started = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (started.size === 0) process.exit();
      return;
    }
    if (lived < EARLY_EXIT_MS) {
      plan.log(`a server process stopped right after starting (${signal ?? `exit code ${code}`}); stopping`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exitCode = 1;
      if (started.size === 0) process.exit();
      return;
    }
    plan.log(`server process ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another`);
    fork();
  });
  const stop = () => {
    stopping = true;
    if (started.size === 0) process.exit(0);
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let i = 0; i < plan.count; i++) fork();
}
