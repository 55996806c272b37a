import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running a TypeScript module. Steward runs its sources through tsx without
 * a build step, and worker threads do not inherit that loader, so the thread registers it first.
 */
export function startTsWorker(module: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
