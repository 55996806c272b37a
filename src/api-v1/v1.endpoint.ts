// The machinery every /api/v1 endpoint shares: method check, key from query or body, throttling of
// failed keys, the acting principal, and ITFlow's status codes and envelope for every outcome.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canSeeClient, type Level, type Module, type Principal } from '../access/access.ts';
import { ApiGate } from '../access/api-gate.ts';
import type { Ctx } from '../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { asDatabaseUnavailable, DatabaseContentionError } from '../platform/db/db-errors.ts';
import { answerFor, type ErrorAnswer } from '../platform/http/error-policy.ts';
import { noteActor } from '../platform/http/observability.ts';
import type { Store } from '../platform/db/store.ts';
import { failure, NOT_FOUND } from './v1.format.ts';
import { decimalUpTo, invalidCount, invalidId, MalformedInput, textInput } from './v1.input.ts';
import { MAX_ID } from '../platform/text.ts';
import { v1RecordOfClient } from './v1.records.query.ts';

/** The parameters, each as text (see v1.input.ts). */
export type V1Input = Record<string, string | null>;

export interface V1Call {
  ctx: Ctx;
  store: Store;
  principal: Principal;
  input: V1Input;
}

export type V1Handler = (call: V1Call, reply: FastifyReply) => Promise<unknown>;

/** The key cache (and the throttle in front of it) belong to one app (a test's app, or one server process). */
const gates = new WeakMap<FastifyInstance, ApiGate>();

function gateOf(app: FastifyInstance): ApiGate {
  let gate = gates.get(app);
  if (!gate) {
    gate = new ApiGate();
    gates.set(app, gate);
  }
  return gate;
}

/** Registers `/api/v1/<resource>/<operation>.php`, answering any method, as ITFlow does. */
export function v1Endpoint(
  app: FastifyInstance,
  store: Store,
  resource: string,
  operation: string,
  method: 'GET' | 'POST',
  handler: V1Handler,
  mapError: (field: string) => string = (f) => f,
): void {
  const gate = gateOf(app);
  app.all(`/api/v1/${resource}/${operation}.php`, async (request, reply) => {
    reply.type('application/json; charset=utf-8');
    if (request.method !== method) {
      return reply.code(405).send(failure(`Can only send ${method} requests to this endpoint.`));
    }
    try {
      const raw = { ...(await getBody(request)), ...inputOf(request) };
      const key = typeof raw.api_key === 'string' ? raw.api_key.trim() : '';
      const base: Ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'api' }, principal: null, source: 'api', ip: request.ip };
      if (!key) return reply.code(401).send('');
      const outcome = await gate.check(base, key, { endpoint: request.url.split('?')[0], userAgent: request.headers['user-agent'] ?? null });
      if (outcome.kind === 'throttled') {
        const seconds = Math.ceil(outcome.retryAfterMs / 1000);
        reply.header('retry-after', seconds);
        return reply.code(429).send(failure(`Too many failed attempts with this key or from ${request.ip}; try again in ${seconds} seconds.`));
      }
      if (outcome.kind === 'failed') return reply.code(401).send(failure('Authentication failed. API key is invalid or has expired.'));
      const { auth } = outcome;
      noteActor(request, { user: auth.principal.userId, key: auth.keyId });
      const input = textInput(raw);
      const ctx: Ctx = {
        ...base,
        actor: { type: 'api_key', apiKeyId: auth.keyId, userId: auth.principal.userId, name: `${auth.principal.name} (API key "${auth.keyName}")` },
        principal: auth.principal,
      };
      return await handler({ ctx, store, principal: auth.principal, input }, reply);
    } catch (error) {
      // ITFlow answers a rejected write and a missing record with HTTP 200 and its failure envelope.
      if (error instanceof NotFoundError) return reply.send(failure(error.message));
      if (error instanceof MalformedInput) return reply.code(400).send(failure(error.message));
      if (error instanceof ValidationError) {
        return reply.send(failure(error.issues.map((i) => `${mapError(i.field)}: ${i.message}`).join('; ')));
      }
      const answer = answerFor(error, request);
      // Scripts decide on `success` alone: a write crowded out by other writers is a failure to retry, in
      // ITFlow's envelope with HTTP 200 (and Retry-After), never a bare 409 or 503 they take for a crash.
      if (error instanceof ConflictError || asDatabaseUnavailable(error) instanceof DatabaseContentionError) {
        return sendV1Error(reply, { ...answer, status: 200, retryAfter: answer.retryAfter ?? 1 });
      }
      return sendV1Error(reply, answer);
    }
  });
}

/** Any other failure in ITFlow's envelope, with the status it deserves (403, 409, 503 with Retry-After, 500). */
export function sendV1Error(reply: FastifyReply, answer: ErrorAnswer): FastifyReply {
  if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
  return reply.code(answer.status).type('application/json; charset=utf-8').send(failure(answer.message));
}

/**
 * ITFlow decodes a JSON body on every method, so scripts send `api_key` in the body of a GET too;
 * Fastify leaves GET bodies unread, so they are read here (up to 64 KiB; anything else is ignored).
 */
async function getBody(request: FastifyRequest): Promise<V1Input> {
  if (request.method !== 'GET' || !(request.headers['content-length'] || request.headers['transfer-encoding'])) return {};
  let text = '';
  for await (const chunk of request.raw) {
    text += chunk;
    if (text.length > 65_536) return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as V1Input) : {};
  } catch {
    return {};
  }
}

/** Query string and body together (body wins), as ITFlow reads them. */
function inputOf(request: FastifyRequest): V1Input {
  const query = (request.query ?? {}) as V1Input;
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as V1Input) : {};
  return { ...query, ...body };
}

/** Whether the caller sent a non-empty value. */
export function given(input: V1Input, key: string): boolean {
  return input[key] !== undefined && input[key] !== null && input[key] !== '';
}

/** A required record id from the input. */
export function requiredId(input: V1Input, key: string): number {
  const raw = input[key];
  if (!given(input, key)) throw new ValidationError([{ field: key, code: 'required', message: 'is required' }]);
  const n = decimalUpTo(raw!, MAX_ID);
  if (n === null || n === 0) throw invalidId(key, raw);
  return n;
}

/** The client a write targets, which the key must be able to see (else it does not exist for it). */
export function targetClient(call: V1Call): number {
  const clientId = requiredId(call.input, 'client_id');
  if (!canSeeClient(call.principal, clientId))
    throw new ValidationError([{ field: 'clientId', code: 'not_found', message: `client ${clientId} does not exist` }]);
  return clientId;
}

/**
 * The record named by `idKey` together with the `client_id` sent, when it exists in that client and the
 * key may act on it at `level`; else null, so a missing record, another client's and a hidden one answer alike.
 */
export async function recordOfClient(
  call: V1Call,
  table: 'contacts' | 'vendors' | 'networks' | 'logins' | 'tickets',
  idKey: string,
  module: Module,
  level: Exclude<Level, 0>,
): Promise<{ id: number; clientId: number } | null> {
  const id = requiredId(call.input, idKey);
  const clientId = requiredId(call.input, 'client_id');
  return v1RecordOfClient(call.ctx, table, module, level, idKey.replace(/_id$/, ''), id, clientId);
}

/** The failure for a record that is missing, belongs to another client, or to a client the key may not see. */
export function missing(entity: string, input: V1Input) {
  return failure(`${entity} ${String(input[`${entity}_id`])} does not exist for client ${String(input.client_id)}`);
}

/** A non-negative whole number from the input, or the default. */
export function paging(input: V1Input, name: 'limit' | 'offset', fallback: number): number {
  const raw = input[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = decimalUpTo(raw, MAX_ID);
  if (n === null) throw invalidCount(name, raw);
  return n;
}

export { NOT_FOUND };
