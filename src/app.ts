// buildApp: the HTTP server. Platform routes first, then one line per feature as features arrive.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import formBody from '@fastify/formbody';
import { registerV1Assets } from './api-v1/v1.assets.ts';
import { registerV1Records } from './api-v1/v1.records.ts';
import type { Config } from './platform/config.ts';
import { migrationLevel } from './platform/db/migrate.ts';
import type { Store } from './platform/db/store.ts';
import { VERSION } from './version.ts';

export interface AppDeps {
  config: Config;
  store: Store;
}

export async function buildApp({ config, store }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    // One line per request only when debugging; health checks would otherwise flood the log.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
  });

  await app.register(formBody);
  registerV1Assets(app, store);
  registerV1Records(app, store);

  app.get('/healthz', async (_request, reply) => {
    const migration = await migrationLevel(store);
    const ok = migration.pending === 0;
    reply.code(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'migrations pending', version: VERSION, database: store.dialect, migration };
  });

  app.get('/', async (_request, reply) => {
    const migration = await migrationLevel(store);
    reply.type('text/html; charset=utf-8');
    return statusPage(store.dialect, migration.level);
  });

  return app;
}

function statusPage(database: string, level: string | null): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Steward</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Steward ${esc(VERSION)}</h1>
<p>The asset register is running. The web interface is not built yet; the status below is also at
<a href="/healthz">/healthz</a>.</p>
<dl><dt>Database</dt><dd>${esc(database)}</dd><dt>Schema</dt><dd>${esc(level ?? 'empty')}</dd></dl>
</body></html>`;
}
