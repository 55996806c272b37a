// Administration → Webhooks: the list, the form (new and edit), the page that shows a new secret once,
// and a webhook's page with its delivery log, a test ping and "Redeliver". Plain forms: no script needed.
import { SettingsNav } from '../accounts/admin-settings.views.tsx';
import { CsrfField, SelectField, TextArea, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { EVENT_TYPES } from './webhook-outbox.ts';
import type { Delivery, DeliveryPage, Webhook } from './webhook.service.ts';

const when = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '');

function StatusBadge({ webhook }: { webhook: Webhook }) {
  if (!webhook.active) return <span class="badge text-bg-secondary">Off</span>;
  if (webhook.consecutiveFailures > 0) return <span class="badge text-bg-warning">Failing ({webhook.consecutiveFailures})</span>;
  return <span class="badge text-bg-success">On</span>;
}

export function WebhookListView({ shell, webhooks }: { shell: Shell; webhooks: Webhook[] }) {
  return (
    <AppPage title="Webhooks" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="webhooks" />
      <p class="small text-body-secondary">
        Steward POSTs each change (asset.created, asset.updated, client.*, …) as signed JSON to the endpoints below, retrying for 24 hours. See the API
        reference at /api/v2/docs for the event shape and how to check the X-Steward-Signature header.
      </p>
      <p>
        <a class="btn btn-primary" href="/admin/webhooks/new">
          New webhook
        </a>
      </p>
      {webhooks.length === 0 ? (
        <p>No webhooks yet.</p>
      ) : (
        <div class="table-responsive">
          <table class="table table-sm align-middle" id="webhooks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((w) => (
                <tr>
                  <td>
                    <a href={`/admin/webhooks/${w.id}`}>{w.name}</a>
                  </td>
                  <td class="text-break">{w.url}</td>
                  <td>{w.events.length ? w.events.join(', ') : 'Every event'}</td>
                  <td>
                    <StatusBadge webhook={w} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AppPage>
  );
}

export interface WebhookFormValues {
  name: string;
  url: string;
  events: string;
  active: string;
  secret?: string;
}

function WebhookForm({
  csrf,
  action,
  values,
  errors,
  editing,
}: {
  csrf: string;
  action: string;
  values: WebhookFormValues;
  errors: FieldErrors;
  editing: boolean;
}) {
  return (
    <form method="post" action={action} class="record-form" novalidate>
      <CsrfField token={csrf} />
      <TextField name="name" label="Name" value={values.name} error={errors.name} required />
      <TextField
        name="url"
        label="URL"
        type="url"
        value={values.url}
        error={errors.url}
        required
        help="http:// or https://. Addresses on this host or a private network are refused unless allowed in Administration → Company."
      />
      <TextArea name="events" label="Events" value={values.events} error={errors.events} rows={3} />
      <p class="form-text mt-n2 mb-3">
        Types or patterns separated by commas or lines, such as <code>asset.*</code> or <code>client.created</code>; empty for every event. Known types:{' '}
        {EVENT_TYPES.filter((t) => t !== 'webhook.ping').join(', ')}.
      </p>
      <TextField
        name="secret"
        label={editing ? 'New secret' : 'Secret'}
        value=""
        error={errors.secret}
        autocomplete="off"
        help={editing ? 'Leave empty to keep the current secret.' : 'At least 16 characters; leave empty to have one generated. It is shown once.'}
      />
      <SelectField
        name="active"
        label="Status"
        value={values.active}
        error={errors.active}
        options={[
          { value: 'true', label: 'On: deliver events' },
          { value: 'false', label: 'Off: deliver nothing' },
        ]}
      />
      <button class="btn btn-primary" type="submit">
        {editing ? 'Save webhook' : 'Add webhook'}
      </button>
    </form>
  );
}

export function WebhookNewView({ shell, values, errors }: { shell: Shell; values: WebhookFormValues; errors: FieldErrors }) {
  return (
    <AppPage title="New webhook" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="webhooks" />
      <h2 class="h5">New webhook</h2>
      <WebhookForm csrf={shell.session.csrfToken} action="/admin/webhooks" values={values} errors={errors} editing={false} />
    </AppPage>
  );
}

export function WebhookSecretView({ shell, webhook, secret }: { shell: Shell; webhook: Webhook; secret: string }) {
  return (
    <AppPage title="Webhook secret" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="webhooks" />
      <div class="alert alert-success" role="status">
        <p class="mb-2">
          Webhook <strong>{webhook.name}</strong> saved. Its secret, shown only this once:
        </p>
        <p class="mb-2">
          <code id="webhook-secret" class="user-select-all fs-6">
            {secret}
          </code>
        </p>
        <p class="mb-0 small">Keep it with the receiver: it checks X-Steward-Signature with it.</p>
      </div>
      <a class="btn btn-primary" href={`/admin/webhooks/${webhook.id}`}>
        Continue to {webhook.name}
      </a>
    </AppPage>
  );
}

function DeliveryRow({ csrf, webhook, delivery }: { csrf: string; webhook: Webhook; delivery: Delivery }) {
  const status =
    delivery.status === 'delivered' ? (
      <span class="badge text-bg-success">Delivered</span>
    ) : delivery.status === 'failed' ? (
      <span class="badge text-bg-danger">Gave up</span>
    ) : (
      <span class="badge text-bg-secondary">Pending</span>
    );
  return (
    <li class="list-group-item">
      <div class="d-flex flex-wrap gap-2 align-items-center">
        <strong>{delivery.eventType}</strong>
        {status}
        <span class="small text-body-secondary">
          {when(delivery.createdAt)} · {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
          {delivery.lastStatusCode !== null ? ` · last answer ${delivery.lastStatusCode}` : ''}
          {delivery.lastError ? ` · ${delivery.lastError}` : ''}
          {delivery.nextAttemptAt && delivery.attempts > 0 ? ` · next try ${when(delivery.nextAttemptAt)}` : ''}
        </span>
        <form method="post" action={`/admin/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`} class="ms-auto">
          <CsrfField token={csrf} />
          <button
            class="btn btn-sm btn-outline-primary"
            type="submit"
            disabled={!webhook.active}
            aria-label={`Redeliver ${delivery.eventType} of ${when(delivery.createdAt)}`}
          >
            Redeliver
          </button>
        </form>
      </div>
      <div class="small text-body-secondary">Delivery {delivery.deliveryKey}</div>
      {delivery.log.map((a) => (
        <details class="mt-1">
          <summary class="small">
            {when(a.attemptedAt)}: {a.ok ? 'OK' : 'failed'}
            {a.statusCode !== null ? `, ${a.statusCode}` : ''}, {a.durationMs} ms{a.error ? `, ${a.error}` : ''}
          </summary>
          <div class="row g-2 mt-1">
            <div class="col-lg-6">
              <h3 class="h6 small">Request</h3>
              <pre class="small bg-body-tertiary p-2 text-wrap text-break" tabindex={0}>
                {a.requestExcerpt ?? ''}
              </pre>
            </div>
            <div class="col-lg-6">
              <h3 class="h6 small">Answer</h3>
              <pre class="small bg-body-tertiary p-2 text-wrap text-break" tabindex={0}>
                {a.responseExcerpt ?? '(none)'}
              </pre>
            </div>
          </div>
        </details>
      ))}
    </li>
  );
}

export function WebhookView({
  shell,
  webhook,
  values,
  errors,
  deliveries,
}: {
  shell: Shell;
  webhook: Webhook;
  values: WebhookFormValues;
  errors: FieldErrors;
  deliveries: DeliveryPage;
}) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title={`Webhook ${webhook.name}`} shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="webhooks" />
      <h2 class="h5">
        {webhook.name} <StatusBadge webhook={webhook} />
      </h2>
      {webhook.disabledReason && !webhook.active ? (
        <div class="alert alert-warning py-2" role="status">
          This webhook was {webhook.disabledReason}. Turn it on again once its endpoint works; deliveries still pending are then sent.
        </div>
      ) : null}
      <p class="small text-body-secondary">Secret ending in …{webhook.secretHint}.</p>
      <div class="d-flex flex-wrap gap-2 mb-3">
        <form method="post" action={`/admin/webhooks/${webhook.id}/ping`}>
          <CsrfField token={csrf} />
          <button class="btn btn-outline-primary" type="submit" disabled={!webhook.active}>
            Send a test (ping)
          </button>
        </form>
        <form method="post" action={`/admin/webhooks/${webhook.id}/delete`}>
          <CsrfField token={csrf} />
          <button class="btn btn-outline-danger" type="submit">
            Delete webhook
          </button>
        </form>
      </div>
      <section aria-labelledby="edit-h" class="mb-4">
        <h3 id="edit-h" class="h6">
          Settings
        </h3>
        <WebhookForm csrf={csrf} action={`/admin/webhooks/${webhook.id}`} values={values} errors={errors} editing />
      </section>
      <section aria-labelledby="log-h">
        <h3 id="log-h" class="h6">
          Deliveries
        </h3>
        {deliveries.deliveries.length === 0 ? (
          <p>No deliveries yet.</p>
        ) : (
          <ul class="list-group mb-2">
            {deliveries.deliveries.map((d) => (
              <DeliveryRow csrf={csrf} webhook={webhook} delivery={d} />
            ))}
          </ul>
        )}
        {deliveries.nextBefore ? (
          <a class="btn btn-sm btn-outline-secondary" href={`/admin/webhooks/${webhook.id}?before=${deliveries.nextBefore}`}>
            Older deliveries
          </a>
        ) : null}
      </section>
    </AppPage>
  );
}
