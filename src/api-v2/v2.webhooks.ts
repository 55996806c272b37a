// /api/v2/webhooks: administrators register, change and delete webhooks, read their delivery log,
// redeliver a delivery and send a test ping, through the webhook service (which checks that the key's
// user is an administrator).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { MAX_ID } from '../platform/text.ts';
import { ValidationError } from '../platform/errors.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  pingWebhook,
  redeliver,
  updateWebhook,
  type Delivery,
  type Webhook,
} from '../webhooks/webhook.service.ts';
import { EVENT_TYPES } from '../webhooks/webhook-outbox.ts';
import { answersSecret } from './v2.idempotency.ts';
import { v2Call } from './v2.call.ts';
import { checkIfMatch, digestEtag, sendRecord } from './v2.etag.ts';
import { problemResponses } from './v2.resource.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
const Params = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,10}$', description: 'The webhook id.' }) });
type Params = Static<typeof Params>;
const DeliveryParams = Type.Object({
  id: Type.String({ pattern: '^[0-9]{1,10}$', description: 'The webhook id.' }),
  delivery_id: Type.String({ pattern: '^[0-9]{1,10}$', description: 'The delivery id.' }),
});
type DeliveryParams = Static<typeof DeliveryParams>;

const Events = Type.Array(Type.String({ maxLength: 60 }), {
  maxItems: 100,
  description: `Event types or patterns (\`asset.*\`, \`*\`); empty means every event. Types: ${EVENT_TYPES.join(', ')}.`,
});

const webhookProperties = {
  id: Id,
  url: Type.String({ description: 'This record in the API.' }),
  display: Type.String(),
  name: Type.String(),
  target_url: Type.String({ description: 'Where deliveries are POSTed.' }),
  events: Events,
  active: Type.Boolean(),
  secret_hint: Type.String({ description: "The secret's last four characters; the secret itself is shown only when it is set." }),
  consecutive_failures: Type.Integer({ minimum: 0 }),
  failing_since: NullableTime,
  disabled_reason: Nullable(Type.String()),
  created_at: Time,
  updated_at: NullableTime,
};
const WebhookRecord = Type.Object(webhookProperties, { description: 'An endpoint that receives events.' });
const CreatedWebhook = Type.Object(
  { ...webhookProperties, secret: Type.String({ description: 'Shown this once: keep it to verify signatures.' }) },
  { description: 'The new webhook, with its secret.' },
);

const WebhookBody = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  target_url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL; private addresses only if allowed in settings.' }),
  events: Events,
  secret: Type.String({ minLength: 16, maxLength: 200, description: 'Generated when left out.' }),
  active: Type.Boolean(),
};
const CreateBody = Type.Object(
  {
    name: WebhookBody.name,
    target_url: WebhookBody.target_url,
    events: Type.Optional(WebhookBody.events),
    secret: Type.Optional(WebhookBody.secret),
    active: Type.Optional(WebhookBody.active),
  },
  { additionalProperties: false },
);
type CreateBody = Static<typeof CreateBody>;
const PatchBody = Type.Partial(Type.Object(WebhookBody), { additionalProperties: false });
type PatchBody = Static<typeof PatchBody>;

const Attempt = Type.Object({
  id: Id,
  attempted_at: Time,
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  ok: Type.Boolean(),
  duration_ms: Type.Integer({ minimum: 0 }),
  error: Nullable(Type.String()),
  request_excerpt: Nullable(Type.String()),
  response_excerpt: Nullable(Type.String()),
});
const DeliveryRecord = Type.Object({
  id: Id,
  webhook_id: Id,
  delivery_key: Type.String({ description: 'Sent as X-Steward-Delivery; the same on every retry of this delivery.' }),
  event_id: Type.String(),
  event_type: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer({ minimum: 0 }),
  next_attempt_at: NullableTime,
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Nullable(Type.String()),
  created_at: Time,
  delivered_at: NullableTime,
  log: Type.Array(Attempt, { description: 'Every attempt, newest first, with excerpts of the request and the answer.' }),
});
const DeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 25.' })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$', description: 'Opaque; take it from `next`.' })),
  },
  { additionalProperties: false },
);
type DeliveriesQuery = Static<typeof DeliveriesQuery>;
const Queued = Type.Object({ delivery_id: Id, status: Type.Literal('pending') });

const tags = ['Webhooks'];
/** A route's schema with the OpenAPI fields (tags, operationId, summary) Fastify's own type does not name. */
const schema = (s: FastifySchema & { tags: string[]; operationId: string; summary: string }) => s as FastifySchema;

function idOf(field: string, text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw new ValidationError([{ field, code: 'id_invalid', message: `"${text}" is not a record id` }]);
  return id;
}

function webhookJson(w: Webhook) {
  return {
    id: w.id,
    url: `/api/v2/webhooks/${w.id}`,
    display: w.name,
    name: w.name,
    target_url: w.url,
    events: w.events,
    active: w.active,
    secret_hint: w.secretHint,
    consecutive_failures: w.consecutiveFailures,
    failing_since: w.failingSince,
    disabled_reason: w.disabledReason,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

function deliveryJson(d: Delivery) {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    delivery_key: d.deliveryKey,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    log: d.log.map((a) => ({
      id: a.id,
      attempted_at: a.attemptedAt,
      status_code: a.statusCode,
      ok: a.ok,
      duration_ms: a.durationMs,
      error: a.error,
      request_excerpt: a.requestExcerpt,
      response_excerpt: a.responseExcerpt,
    })),
  };
}

function toInput(body: PatchBody) {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.target_url !== undefined ? { url: body.target_url } : {}),
    ...(body.events !== undefined ? { events: body.events } : {}),
    ...(body.secret !== undefined ? { secret: body.secret } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
  };
}

/** Renames the service's field names to the request's (`url` is `target_url` here). */
function renamed<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((error: unknown) => {
    if (error instanceof ValidationError) throw new ValidationError(error.issues.map((i) => (i.field === 'url' ? { ...i, field: 'target_url' } : i)));
    throw error;
  });
}

export function registerV2Webhooks(v2: FastifyInstance): void {
  v2.get(
    '/webhooks',
    {
      schema: schema({
        tags,
        operationId: 'listWebhooks',
        summary: 'List webhooks (administrators)',
        response: { 200: Type.Object({ results: Type.Array(WebhookRecord), next: Type.Null() }), ...problemResponses(401, 403, 429) },
      }),
    },
    async (request) => {
      const { ctx } = v2Call(request);
      return { results: (await listWebhooks(ctx)).map(webhookJson), next: null };
    },
  );

  v2.post<{ Body: CreateBody }>(
    '/webhooks',
    {
      schema: schema({
        tags,
        operationId: 'createWebhook',
        summary: 'Register a webhook; the answer shows its secret once',
        body: CreateBody,
        response: { 201: CreatedWebhook, ...problemResponses(401, 403, 422, 429) },
      }),
    },
    async (request, reply) => {
      const { ctx } = v2Call(request);
      const { webhook, secret } = await renamed(() => createWebhook(ctx, toInput(request.body)));
      const json = webhookJson(webhook);
      answersSecret(request, reply).header('location', json.url);
      return sendRecord(request, reply, { ...json, secret }, digestEtag(json), 201);
    },
  );

  const one = async (request: FastifyRequest<{ Params: Params }>) => {
    const { ctx } = v2Call(request);
    const json = webhookJson(await getWebhook(ctx, idOf('id', request.params.id)));
    return { json, etag: digestEtag(json) };
  };

  v2.get<{ Params: Params }>(
    '/webhooks/:id',
    {
      schema: schema({
        tags,
        operationId: 'getWebhook',
        summary: 'Read a webhook',
        params: Params,
        response: { 200: WebhookRecord, 304: Type.Null(), ...problemResponses(401, 403, 404, 422, 429) },
      }),
    },
    async (request, reply) => {
      const { json, etag } = await one(request);
      return sendRecord(request, reply, json, etag);
    },
  );

  v2.patch<{ Params: Params; Body: PatchBody }>(
    '/webhooks/:id',
    {
      schema: schema({
        tags,
        operationId: 'patchWebhook',
        summary: 'Change a webhook (turning it on again clears its failures)',
        params: Params,
        body: PatchBody,
        response: { 200: WebhookRecord, ...problemResponses(401, 403, 404, 412, 422, 429) },
      }),
    },
    async (request, reply) => {
      const { ctx } = v2Call(request);
      if (request.headers['if-match']) checkIfMatch(request, (await one(request)).etag);
      const webhook = await renamed(() => updateWebhook(ctx, idOf('id', request.params.id), toInput(request.body)));
      const json = webhookJson(webhook);
      return sendRecord(request, reply, json, digestEtag(json));
    },
  );

  v2.delete<{ Params: Params }>(
    '/webhooks/:id',
    {
      schema: schema({
        tags,
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook and its delivery log',
        params: Params,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 412, 422, 429) },
      }),
    },
    async (request, reply) => {
      const { ctx } = v2Call(request);
      if (request.headers['if-match']) checkIfMatch(request, (await one(request)).etag);
      await deleteWebhook(ctx, idOf('id', request.params.id));
      return reply.code(204).send();
    },
  );

  v2.get<{ Params: Params; Querystring: DeliveriesQuery }>(
    '/webhooks/:id/deliveries',
    {
      schema: schema({
        tags,
        operationId: 'listWebhookDeliveries',
        summary: "A webhook's deliveries, newest first, with every attempt",
        params: Params,
        querystring: DeliveriesQuery,
        response: {
          200: Type.Object({ results: Type.Array(DeliveryRecord), next: Type.Union([Type.String(), Type.Null()]) }),
          ...problemResponses(400, 401, 403, 404, 422, 429),
        },
      }),
    },
    async (request, reply) => {
      const { ctx } = v2Call(request);
      const id = idOf('id', request.params.id);
      const before = request.query.cursor ? idOf('cursor', request.query.cursor) : null;
      const page = await listDeliveries(ctx, id, { limit: request.query.limit ?? 25, before });
      let next: string | null = null;
      if (page.nextBefore) {
        const url = new URL(request.url, 'http://x');
        url.searchParams.set('cursor', String(page.nextBefore));
        next = `${url.pathname}${url.search}`;
        reply.header('link', `<${next}>; rel="next"`);
      }
      return { results: page.deliveries.map(deliveryJson), next };
    },
  );

  v2.post<{ Params: DeliveryParams }>(
    '/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: schema({
        tags,
        operationId: 'redeliverWebhookDelivery',
        summary: "Send a delivery's event again, as a new delivery",
        params: DeliveryParams,
        response: { 202: Queued, ...problemResponses(401, 403, 404, 409, 422, 429) },
      }),
    },
    async (request, reply) => {
      const { ctx } = v2Call(request);
      const deliveryId = await redeliver(ctx, idOf('id', request.params.id), idOf('delivery_id', request.params.delivery_id));
      return reply.code(202).send({ delivery_id: deliveryId, status: 'pending' });
    },
  );

  v2.post<{ Params: Params }>(
    '/webhooks/:id/ping',
    {
      schema: schema({
        tags,
        operationId: 'pingWebhook',
        summary: 'Queue a webhook.ping event for this webhook',
        params: Params,
        response: { 202: Queued, ...problemResponses(401, 403, 404, 409, 422, 429) },
      }),
    },
    async (request, reply) => {
      const { ctx } = v2Call(request);
      const deliveryId = await pingWebhook(ctx, idOf('id', request.params.id));
      return reply.code(202).send({ delivery_id: deliveryId, status: 'pending' });
    },
  );
}
