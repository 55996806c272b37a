// Cross-origin use of /api/v2 from a browser (a dashboard on another site calling the API with a key):
// off unless STEWARD_CORS_ORIGINS lists the origins allowed. Only the v2 scope answers preflights and
// carries the CORS headers; pages, v1 and static files never do. No cookies are involved (v2 takes a
// bearer key), so credentials stay off.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** The request headers a v2 client sends and the answer headers it may read. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key'];
const EXPOSED_HEADERS = ['etag', 'location', 'link', 'retry-after', 'idempotency-replayed', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

export async function registerV2Cors(v2: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await v2.register(cors, {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}
