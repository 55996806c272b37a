// Idempotent creates (docs/api-v2.md): a POST with an Idempotency-Key runs once per key and API key;
// the same request again within a day gets the first answer back (Idempotency-Replayed: true), the same
// key with another request is refused (422), and a retry while the first is still running gets 409. A
// 5xx is not kept, so the retry runs for real.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nowIso } from '../platform/context.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import { CONTROL_CHARACTER } from '../platform/text.ts';
import { v2Call } from './v2.call.ts';
import { claimKey, findKeptAnswer, keepAnswer, releaseKey } from './v2.idempotency.query.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const ABANDONED_MS = 5 * 60 * 1000;
const KEPT_HEADERS = ['content-type', 'location', 'etag', 'link'];

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyRow: number | null;
    answersSecret: boolean;
  }
}

/** Marks an answer that carries a secret: never cached, never kept for an Idempotency-Key replay. */
export function answersSecret(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.answersSecret = true;
  return reply.header('cache-control', 'no-store');
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

export function registerIdempotency(v2: FastifyInstance): void {
  v2.decorateRequest('idempotencyRow', null);
  v2.decorateRequest('answersSecret', false);

  v2.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return;
    const actor = request.v2?.ctx.actor;
    if (!actor || actor.type !== 'api_key') return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 200 || CONTROL_CHARACTER.test(key))
      throw new ValidationError([{ field: 'Idempotency-Key', code: 'invalid', message: 'must be 1 to 200 printable characters, sent once' }]);
    const { ctx } = v2Call(request);
    const hash = requestHash(request);
    for (let attempt = 0; attempt < 2; attempt++) {
      const kept = await findKeptAnswer(ctx.db, actor.apiKeyId, key);
      // A day-old answer is forgotten; so is a claim whose request never answered (the process died).
      if (kept && Date.parse(kept.createdAt) < Date.now() - (kept.status === null ? ABANDONED_MS : DAY_MS)) {
        await releaseKey(ctx.db, kept.id);
        continue;
      }
      if (kept) {
        if (kept.requestHash !== hash)
          throw new ValidationError([
            { field: 'Idempotency-Key', code: 'reused', message: 'was already used with a different request; use a new key for a new request' },
          ]);
        if (kept.status === null) throw new ConflictError('A request with this Idempotency-Key is still running; retry in a moment');
        for (const [name, value] of Object.entries(kept.headers)) reply.header(name, value);
        return reply.code(kept.status).header('idempotency-replayed', 'true').send(kept.body);
      }
      const id = await claimKey(ctx.db, actor.apiKeyId, key, hash, nowIso(ctx));
      if (id !== null) {
        request.idempotencyRow = id;
        return;
      }
    }
    throw new ConflictError('A request with this Idempotency-Key is still running; retry in a moment');
  });

  v2.addHook('onSend', async (request, reply, payload) => {
    const id = request.idempotencyRow;
    if (id === null) return payload;
    request.idempotencyRow = null;
    const { ctx } = v2Call(request);
    // An answer that carries a secret (a revealed password, a new key's secret) is never written to the
    // table: the key is released, and a retry runs again.
    if (reply.statusCode >= 500 || typeof payload !== 'string' || request.answersSecret) {
      await releaseKey(ctx.db, id);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    await keepAnswer(ctx.db, id, reply.statusCode, headers, payload);
    return payload;
  });
}
