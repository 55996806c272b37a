import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running one of Steward's modules: a compiled module (dist/, production)
 * directly; a TypeScript source (a development checkout running src/) through tsx, which worker
 * threads do not inherit from the main thread, so the thread registers it first.
 */
export function startModuleWorker(module: URL, workerData: unknown): Worker {
  if (module.pathname.endsWith('.js')) return new Worker(module, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
