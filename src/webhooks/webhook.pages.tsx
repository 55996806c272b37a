// Administration → Webhooks (administrators only; registered in the administrators' scope): list,
// create (the secret shown once), edit, delete, test ping, and the delivery log with "Redeliver".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminGate, type AdminRequest } from '../accounts/admin-guard.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError, ValidationError, ConflictError } from '../platform/errors.ts';
import { setFlash } from '../web/flash.ts';
import { errorsByField, formFields, type FieldErrors } from '../web/forms.tsx';
import { positiveInt } from '../web/params.ts';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  pingWebhook,
  redeliver,
  updateWebhook,
  type Webhook,
} from './webhook.service.ts';
import { WebhookListView, WebhookNewView, WebhookSecretView, WebhookView, type WebhookFormValues } from './webhook.views.tsx';

const EMPTY: WebhookFormValues = { name: '', url: '', events: '', active: 'true' };

function valuesOf(w: Webhook): WebhookFormValues {
  return { name: w.name, url: w.url, events: w.events.join(', '), active: String(w.active) };
}

function inputOf(form: Record<string, string>) {
  return { name: form.name ?? '', url: form.url ?? '', events: form.events ?? '', secret: form.secret ?? '', active: form.active ?? 'true' };
}

export function registerWebhookPages(app: FastifyInstance, store: Store): void {
  const admin = adminGate(store);
  const idOf = (request: FastifyRequest, key = 'id') => {
    const id = positiveInt((request.params as Record<string, string>)[key]);
    if (!id) throw new NotFoundError('webhook', '');
    return id;
  };

  const webhookPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: AdminRequest,
    id: number,
    form: WebhookFormValues | null = null,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const webhook = await getWebhook(s.ctx, id);
    const before = positiveInt((request.query as Record<string, string | undefined>).before);
    const [deliveries, shell] = await Promise.all([listDeliveries(s.ctx, id, { before }), loadShell(s.ctx, s.session, request, reply)]);
    return sendPage(reply, <WebhookView shell={shell} webhook={webhook} values={form ?? valuesOf(webhook)} errors={errors} deliveries={deliveries} />, status);
  };

  app.get('/admin/webhooks', async (request, reply) => {
    const s = admin(request);
    const [webhooks, shell] = await Promise.all([listWebhooks(s.ctx), loadShell(s.ctx, s.session, request, reply)]);
    return sendPage(reply, <WebhookListView shell={shell} webhooks={webhooks} />);
  });

  app.get('/admin/webhooks/new', async (request, reply) => {
    const s = admin(request);
    return sendPage(reply, <WebhookNewView shell={await loadShell(s.ctx, s.session, request, reply)} values={EMPTY} errors={{}} />);
  });

  app.post('/admin/webhooks', async (request, reply) => {
    const s = admin(request);
    const form = formFields(request.body);
    try {
      const { webhook, secret } = await createWebhook(s.ctx, inputOf(form));
      // The secret is shown on this answer and never again; no redirect, so it is not kept in a URL.
      reply.header('cache-control', 'no-store');
      return sendPage(reply, <WebhookSecretView shell={await loadShell(s.ctx, s.session, request, reply)} webhook={webhook} secret={secret} />, 201);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const values = { ...EMPTY, ...inputOf(form) };
      return sendPage(
        reply,
        <WebhookNewView shell={await loadShell(s.ctx, s.session, request, reply)} values={values} errors={errorsByField(error.issues)} />,
        422,
      );
    }
  });

  app.get('/admin/webhooks/:id', async (request, reply) => {
    const s = admin(request);
    return webhookPage(request, reply, s, idOf(request));
  });

  app.post('/admin/webhooks/:id', async (request, reply) => {
    const s = admin(request);
    const id = idOf(request);
    const form = formFields(request.body);
    const input = inputOf(form);
    try {
      await updateWebhook(s.ctx, id, {
        name: input.name,
        url: input.url,
        events: input.events,
        active: input.active,
        ...(input.secret ? { secret: input.secret } : {}),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return webhookPage(request, reply, s, id, { ...EMPTY, ...input }, errorsByField(error.issues), 422);
    }
    setFlash(reply, { kind: 'success', text: 'Webhook saved.' });
    return reply.redirect(`/admin/webhooks/${id}`, 303);
  });

  app.post('/admin/webhooks/:id/delete', async (request, reply) => {
    const s = admin(request);
    await deleteWebhook(s.ctx, idOf(request));
    setFlash(reply, { kind: 'success', text: 'Webhook deleted.' });
    return reply.redirect('/admin/webhooks', 303);
  });

  app.post('/admin/webhooks/:id/ping', async (request, reply) => {
    const s = admin(request);
    const id = idOf(request);
    try {
      await pingWebhook(s.ctx, id);
      setFlash(reply, { kind: 'success', text: 'Test event queued; it appears below within a few seconds (reload).' });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      setFlash(reply, { kind: 'danger', text: error.message });
    }
    return reply.redirect(`/admin/webhooks/${id}`, 303);
  });

  app.post('/admin/webhooks/:id/deliveries/:deliveryId/redeliver', async (request, reply) => {
    const s = admin(request);
    const id = idOf(request);
    try {
      await redeliver(s.ctx, id, idOf(request, 'deliveryId'));
      setFlash(reply, { kind: 'success', text: 'Queued again as a new delivery; it appears below within a few seconds (reload).' });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      setFlash(reply, { kind: 'danger', text: error.message });
    }
    return reply.redirect(`/admin/webhooks/${id}`, 303);
  });
}
