// Rate limits per API key on /api/v2 (issue 17, point 7), with @fastify/rate-limit: every authenticated
// answer says the key's budget in the IETF draft's headers (RateLimit-Limit, RateLimit-Remaining,
// RateLimit-Reset: seconds until the window starts again), and a request over it is a 429 problem with
// Retry-After. API v1 has no limit: ITFlow's scripts never met one.
//
// The count is kept in each server process's memory, a fixed one-minute window per key: a request costs
// no database write (on SQLite every write would queue behind the one writer). With N processes
// (STEWARD_WORKERS, or several servers) each counts on its own, so a key is refused once it has made the
// limit's number of requests to one process within a minute, and can make at most N times the limit in
// all; the headers describe the process that answered.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { V2Call } from './v2.call.ts';

const WINDOW_MS = 60_000;

/** Refused over the limit; becomes a 429 problem document in v2's error handler. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  readonly statusCode = 429;
}

function keyIdOf(request: FastifyRequest): number | null {
  const call = (request as FastifyRequest & { v2?: V2Call | null }).v2;
  return call && call.ctx.actor.type === 'api_key' ? call.ctx.actor.apiKeyId : null;
}

/**
 * Counts each authenticated request against its key's budget of `perMinute` requests (0: no limit).
 * Call it inside the v2 scope before any route is declared: the counting hook is added to each route
 * as it is declared, and runs after authentication (the scope's onRequest hook), before the body is
 * read, so a request refused by its schema or its handler still counts and still gets the headers.
 * Requests without a key (the OpenAPI document, the docs) are not counted.
 */
export async function registerV2RateLimit(v2: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await v2.register(rateLimit, {
    max: perMinute,
    timeWindow: WINDOW_MS,
    hook: 'preParsing',
    enableDraftSpec: true,
    allowList: (request) => keyIdOf(request) === null,
    keyGenerator: (request) => `key:${keyIdOf(request)}`,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new RateLimitedError(
        `This API key has made its ${context.max} requests of this minute; try again in ${seconds} second${seconds === 1 ? '' : 's'}`,
      );
    },
  });
}
