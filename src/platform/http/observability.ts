// What operators watch: a request id on every answer, one log line per request, Prometheus metrics,
// and the two probes — /healthz (the process is alive) and /readyz (it can serve: the database answers
// and its schema is current).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { VERSION } from '../../version.ts';
import type { Config } from '../config.ts';
import { asDatabaseUnavailable } from '../db/db-errors.ts';
import { migrationLevel } from '../db/migrate.ts';
import type { Store } from '../db/store.ts';
import { redactUrl } from '../logger.ts';
import { dbUnavailable, httpDuration, httpRequests, metricsText, registry } from '../metrics.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request, for its log line: a user, or an API key (and its user). */
    actorForLog: { user?: number; key?: number } | null;
  }
}

/** Records who made the request, once the surface has authenticated them. */
export function noteActor(request: FastifyRequest, actor: { user?: number; key?: number }): void {
  request.actorForLog = actor;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export function registerObservability(app: FastifyInstance, store: Store, config: Pick<Config, 'metrics'>): void {
  app.decorateRequest('actorForLog', null);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? (reply.statusCode === 404 ? '(no route)' : '(unknown)');
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    httpRequests.inc({ method: request.method, route, status: String(status) });
    httpDuration.observe({ method: request.method, route }, seconds);
    if (status === 503) dbUnavailable.inc();
    const entry = {
      method: request.method,
      route,
      path: redactUrl(request.url).split('?')[0],
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(request.actorForLog?.user !== undefined ? { user: request.actorForLog.user } : {}),
      ...(request.actorForLog?.key !== undefined ? { key: request.actorForLog.key } : {}),
      ip: request.ip,
    };
    if (QUIET_ROUTES.has(route) || request.url.startsWith('/static/')) request.log.debug(entry, 'request');
    else request.log.info(entry, 'request');
  });

  // Liveness: answers as long as the process does; a database outage must not get it restarted.
  app.get('/healthz', async () => ({ status: 'ok', version: VERSION, database: store.dialect }));

  // Readiness: worth sending requests to.
  app.get('/readyz', async (request, reply) => {
    try {
      await sql`select 1`.execute(store.db);
    } catch (error) {
      if (!asDatabaseUnavailable(error)) request.log.error({ err: error }, 'readiness check failed');
      reply.code(503).header('retry-after', 5);
      return { status: 'database unavailable', version: VERSION, database: store.dialect };
    }
    const migration = await migrationLevel(store);
    const ready = migration.pending === 0;
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'migrations pending', version: VERSION, database: store.dialect, migration };
  });

  app.get('/metrics', async (request, reply) => {
    if (!config.metrics.enabled) return reply.code(404).send({ message: 'Metrics are off; set STEWARD_METRICS=1 or STEWARD_METRICS_TOKEN to turn them on.' });
    const token = config.metrics.token;
    if (token !== null) {
      const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const a = Buffer.from(sent);
      const b = Buffer.from(token);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="steward-metrics"')
          .send({ message: 'Send the metrics token as "Authorization: Bearer <token>".' });
      }
    }
    reply.header('cache-control', 'no-store');
    return reply.type(registry.contentType).send(await metricsText());
  });
}
