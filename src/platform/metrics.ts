// Prometheus metrics (prom-client). One registry per process; with several server processes, the one
// that receives a scrape asks the supervisor, which gathers and adds up every process's figures, so a
// scrape always sees the whole server.
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'steward_' });

export const httpRequests = new Counter({
  name: 'steward_http_requests_total',
  help: 'HTTP requests answered, by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'steward_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route',
  labelNames: ['method', 'route'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const dbLockWaits = new Histogram({
  name: 'steward_db_lock_wait_seconds',
  help: 'How long writes waited for the database write lock (SQLite), counting only those that had to wait',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
  registers: [registry],
});

export const dbUnavailable = new Counter({
  name: 'steward_db_unavailable_total',
  help: 'Requests answered 503 because the database was unreachable or its write lock stayed taken',
  registers: [registry],
});

const pools = new Set<{ totalCount: number; idleCount: number; waitingCount: number }>();

export const dbPoolConnections = new Gauge({
  name: 'steward_db_pool_connections',
  help: 'PostgreSQL pool connections by state (total, idle, requests waiting for one)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    let total = 0;
    let idle = 0;
    let waiting = 0;
    for (const pool of pools) {
      total += pool.totalCount;
      idle += pool.idleCount;
      waiting += pool.waitingCount;
    }
    this.set({ state: 'total' }, total);
    this.set({ state: 'idle' }, idle);
    this.set({ state: 'waiting' }, waiting);
  },
});

/** Reports a PostgreSQL pool's connections at each scrape, until the returned function is called. */
export function watchPool(pool: { totalCount: number; idleCount: number; waitingCount: number }): () => void {
  pools.add(pool);
  return () => pools.delete(pool);
}

export const slowQueries = new Counter({
  name: 'steward_db_slow_queries_total',
  help: 'Queries slower than STEWARD_SLOW_QUERY_MS',
  registers: [registry],
});

export const imports = new Counter({
  name: 'steward_imports_total',
  help: 'CSV imports run, by kind and outcome (previewed, committed, refused)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const importedRows = new Counter({
  name: 'steward_imported_rows_total',
  help: 'Rows written by committed CSV imports, by kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const jobRuns = new Counter({
  name: 'steward_job_runs_total',
  help: 'Scheduled job runs, by job and outcome',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

const ASK = 'steward:metrics';
const ANSWER = 'steward:metrics:answer';

/** In the supervisor of several server processes: answers their requests for the whole server's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      (error: Error) => worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}

let asked = 0;
let workerReady = false;

/** The metrics text: this process's alone, or, in a server process of several, the whole server's. */
export async function metricsText(): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  prepareWorkerMetrics();
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onAnswer);
      reject(new Error('the other server processes did not answer for metrics in time'));
    }, 6_000);
    const onAnswer = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onAnswer);
      if (message.error) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    process.on('message', onAnswer);
    process.send!({ type: ASK, id });
  });
}

/** Makes a server process answer the supervisor's requests for its figures (before anyone scrapes). */
export function prepareWorkerMetrics(): void {
  if (!cluster.isWorker || workerReady) return;
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  workerReady = true;
}
