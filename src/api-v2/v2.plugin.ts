// /api/v2: Steward's own API. Bearer tokens (the same API keys, the same authorization), JSON bodies
// checked against TypeBox schemas, real types in answers, and every error as RFC 9457 problem details.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiGate } from '../access/api-gate.ts';
import type { Ctx } from '../platform/context.ts';
import { ValidationError, VersionConflictError } from '../platform/errors.ts';
import { BulkRejectedError } from './v2.bulk.ts';
import { PreconditionFailedError, versionEtag } from './v2.etag.ts';
import { registerIdempotency } from './v2.idempotency.ts';
import { snakeFieldPath } from './v2.names.ts';
import { registerV2Records } from './v2.records.ts';
import { registerV2Webhooks } from './v2.webhooks.ts';
import { answerFor } from '../platform/http/error-policy.ts';
import { noteActor } from '../platform/http/observability.ts';
import type { Store } from '../platform/db/store.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { isOpenV2Path, registerV2OpenApi } from './v2.openapi.ts';
import { registerV2Cors } from './v2.cors.ts';
import { registerV2Docs } from './v2.docs.ts';
import { registerV2Assets } from './v2.assets.ts';
import { registerV2RateLimit } from './v2.rate-limit.ts';
import { v2ValidatorCompiler } from './v2.validation.ts';

const PROBLEM = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Malformed request',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Sends an RFC 9457 problem: a type URI, a short title, the status, and the specific detail. */
export function problem(reply: FastifyReply, status: number, title: string, detail: string, extra: Record<string, unknown> = {}): FastifyReply {
  const type = `https://steward.invalid/problems/${title
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '')}`;
  return reply
    .code(status)
    .type(PROBLEM)
    .send({ type, title, status, detail, instance: reply.request.url.split('?')[0], ...extra });
}

export async function registerApiV2(
  app: FastifyInstance,
  store: Store,
  options: { corsOrigins?: readonly string[]; rateLimitPerMinute?: number; secretBox?: () => SecretBox } = {},
): Promise<void> {
  await app.register(
    async (v2) => {
      const gate = new ApiGate();
      v2.decorateRequest('v2', null);
      // The key that opens logins' secrets (v2.logins.ts' reveal), loaded when first needed.
      v2.decorate('v2SecretBox', options.secretBox ?? null);
      v2.setValidatorCompiler(v2ValidatorCompiler);

      await registerV2Cors(v2, options.corsOrigins ?? []);
      await registerV2RateLimit(v2, options.rateLimitPerMinute ?? 0);
      await registerV2OpenApi(v2);

      v2.addHook('onRequest', async (request, reply) => {
        if (isOpenV2Path(request.url)) return;
        const header = request.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
        reply.header('www-authenticate', 'Bearer realm="steward"');
        if (!token) return problem(reply, 401, 'Authentication required', 'Send an API key as "Authorization: Bearer <key>".');
        const base: Ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'api' }, principal: null, source: 'api', ip: request.ip };
        const outcome = await gate.check(base, token, { endpoint: request.url.split('?')[0], userAgent: request.headers['user-agent'] ?? null });
        if (outcome.kind === 'throttled') {
          const seconds = Math.ceil(outcome.retryAfterMs / 1000);
          reply.header('retry-after', seconds);
          return problem(
            reply,
            429,
            'Too many failed attempts',
            `Too many failed attempts with this key or from ${request.ip}; try again in ${seconds} seconds.`,
          );
        }
        if (outcome.kind === 'failed')
          return problem(reply, 401, 'Authentication failed', 'The API key is invalid, revoked or expired, or its user is disabled.');
        const { auth } = outcome;
        reply.removeHeader('www-authenticate');
        noteActor(request, { user: auth.principal.userId, key: auth.keyId });
        request.v2 = {
          principal: auth.principal,
          ctx: {
            ...base,
            actor: { type: 'api_key', apiKeyId: auth.keyId, userId: auth.principal.userId, name: `${auth.principal.name} (API key "${auth.keyName}")` },
            principal: auth.principal,
          },
        };
      });

      v2.setErrorHandler((error, request, reply) => {
        if (error instanceof BulkRejectedError) {
          return problem(reply, 422, 'Invalid request', `${error.message}.`, { items: error.items });
        }
        if (error instanceof PreconditionFailedError) {
          reply.header('etag', error.currentEtag);
          return problem(reply, 412, 'Precondition failed', error.message);
        }
        // A service that checked the If-Match version itself (assets: expectedVersion), atomically with its write.
        if (error instanceof VersionConflictError && request.headers['if-match']) {
          reply.header('etag', versionEtag(error.current.version));
          return problem(reply, 412, 'Precondition failed', `${error.message}; read it again and retry.`);
        }
        if (error instanceof ValidationError) {
          const errors = error.issues.map((i) => ({ ...i, field: /^[A-Z]/.test(i.field) ? i.field : snakeFieldPath(i.field) }));
          return problem(reply, 422, 'Invalid request', errors.map((i) => `${i.field}: ${i.message}`).join('; '), { errors });
        }
        const e = error as { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> };
        if (e.validation) {
          const errors = e.validation.map((v) => ({ field: fieldOf(v), code: 'invalid', message: v.message ?? 'is invalid' }));
          return problem(reply, 422, 'Invalid request', errors.map((x) => `${x.field}: ${x.message}`).join('; '), { errors });
        }
        const answer = answerFor(error, request);
        if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
        if (error instanceof VersionConflictError) return problem(reply, 409, 'Conflict', answer.message, { current: error.current });
        const detail = answer.status < 500 && /[^.]$/.test(answer.message) ? `${answer.message}.` : answer.message;
        return problem(
          reply,
          answer.status,
          TITLES[answer.status] ?? (answer.status < 500 ? 'Bad request' : 'Server error'),
          detail,
          answer.status >= 500 ? { request_id: request.id } : {},
        );
      });

      v2.setNotFoundHandler((request, reply) => problem(reply, 404, 'Not found', `There is no ${request.method} ${request.url.split('?')[0]} in API v2.`));

      registerIdempotency(v2);
      registerV2Assets(v2);
      registerV2Records(v2);
      registerV2Webhooks(v2);
      // Last: its routes' requests then carry every decoration the v2 hooks read.
      await registerV2Docs(v2);
    },
    { prefix: '/api/v2' },
  );
}

function fieldOf(v: { instancePath: string; params?: Record<string, unknown> }): string {
  const path = v.instancePath
    .replace(/^\//, '')
    .split('/')
    .map((part) => (/^[0-9]+$/.test(part) ? `[${part}]` : part))
    .join('.')
    .replace(/\.\[/g, '[');
  const missing = typeof v.params?.missingProperty === 'string' ? v.params.missingProperty : null;
  return [path, missing].filter(Boolean).join('.') || 'body';
}
