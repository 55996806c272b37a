// "Transfer to client" in the web UI: choose the target client, see per asset what is copied, what
// each reference maps to (changeable) and what stays behind, then confirm with an optional reason.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../access/access.ts';
import type { WebSession } from '../auth/session.service.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { setFlash } from '../web/flash.ts';
import { CsrfField, formFields } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import { planTransfer, transferAssets, undoTransfer, type TransferMappings, type TransferPlan } from './transfer.service.ts';
import { transferTargets } from './transfer-pages.query.ts';
import { positiveInt } from '../web/params.ts';
import { plural } from '../web/plural.ts';

const LABEL = { location: 'Location', contact: 'Assigned to', vendor: 'Vendor', network: 'Network' } as const;

function idList(raw: string | undefined): number[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .map(positiveInt)
    .filter((n): n is number => n !== null)
    .slice(0, 5_000);
}

/** The mapping choices sent with the form: map_<kind>_<source id> = target id, or '' to clear. */
function mappingsOf(form: Record<string, string>): TransferMappings {
  const out: TransferMappings = {};
  for (const [key, value] of Object.entries(form)) {
    const m = /^map_(location|contact|vendor|network)_(\d+)$/.exec(key);
    if (!m) continue;
    const kind = m[1] as keyof TransferMappings;
    (out[kind] ??= {})[Number(m[2])] = value === '' ? null : Number(value);
  }
  return out;
}

function TransferPage({
  shell,
  ids,
  clients,
  toClientId,
  plan,
  error,
  reason,
}: {
  shell: Shell;
  ids: number[];
  clients: Array<{ id: number; name: string }>;
  toClientId: number | null;
  plan: TransferPlan | null;
  error?: string | undefined;
  reason?: string | undefined;
}) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title="Transfer to client" shell={shell}>
      <h1 class="h4">Transfer {plural(ids.length, 'asset')} to another client</h1>
      <p class="text-body-secondary">
        Each asset is archived under its client, where its tickets, logins and services stay, and a copy with every field, interface, tag and note is made under
        the new client. Both records point at each other, and the copy's history continues the original's.
      </p>
      {error ? (
        <div class="alert alert-danger py-2" role="alert">
          {error}
        </div>
      ) : null}
      <form method="get" action="/assets/transfer" class="row g-2 align-items-end mb-3">
        <input type="hidden" name="ids" value={ids.join(',')} />
        <div class="col-auto">
          <label class="form-label" for="transfer-to">
            Target client
          </label>
          <select id="transfer-to" name="to" class="form-select" data-autosubmit>
            <option value="">Choose…</option>
            {clients.map((c) => (
              <option value={String(c.id)} selected={c.id === toClientId}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div class="col-auto">
          <button class="btn btn-outline-primary" type="submit">
            Preview
          </button>
        </div>
      </form>
      {plan ? (
        <form method="post" action="/assets/transfer">
          <CsrfField token={csrf} />
          <input type="hidden" name="ids" value={ids.join(',')} />
          <input type="hidden" name="to" value={String(plan.toClient.id)} />
          {plan.assets.map((p) => (
            <section class="card mb-3" aria-label={`Transfer of ${p.asset.name}`}>
              <div class="card-header">
                <strong>{p.asset.name}</strong>{' '}
                <span class="text-body-secondary">
                  from {p.fromClient.name} to {plan.toClient.name}
                </span>
              </div>
              <div class="card-body row g-3 small">
                <div class="col-md-4">
                  <h2 class="h6">Copied</h2>
                  <p class="mb-1">
                    {plural(p.copied.fields.length, 'field')}, {plural(p.copied.interfaces.length, 'interface')}
                    {p.copied.interfaces.length ? ` (${p.copied.interfaces.join(', ')})` : ''}, {plural(p.copied.tags.length, 'tag')},{' '}
                    {plural(p.copied.notes, 'note')}
                    {p.copied.photo ? ', the photo' : ''}.
                  </p>
                </div>
                <div class="col-md-4">
                  <h2 class="h6">Mapped</h2>
                  {p.mappings.length === 0 ? (
                    <p class="mb-1">Nothing to map.</p>
                  ) : (
                    p.mappings.map((m) => (
                      <div class="mb-1">
                        <label class="form-label mb-0" for={`map-${p.asset.id}-${m.kind}-${m.from.id}`}>
                          {LABEL[m.kind]}: {m.from.name} →
                        </label>
                        <select id={`map-${p.asset.id}-${m.kind}-${m.from.id}`} class="form-select form-select-sm" name={`map_${m.kind}_${m.from.id}`}>
                          <option value="" selected={m.to === null}>
                            (clear it)
                          </option>
                          {plan.choices[m.kind].map((c) => (
                            <option value={String(c.id)} selected={m.to?.id === c.id}>
                              {c.name}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))
                  )}
                </div>
                <div class="col-md-4">
                  <h2 class="h6">Stays with {p.fromClient.name}</h2>
                  {[
                    ...p.staysBehind.logins.map((l) => `Login: ${l}`),
                    ...p.staysBehind.services.map((s) => `Service: ${s}`),
                    ...p.staysBehind.tickets.map((t) => `Ticket ${t}`),
                    ...p.staysBehind.connections.map((c) => `Cable: ${c}`),
                  ].map((line) => (
                    <div>{line}</div>
                  ))}
                  {p.staysBehind.logins.length + p.staysBehind.services.length + p.staysBehind.tickets.length + p.staysBehind.connections.length === 0 ? (
                    <p class="mb-1">Nothing.</p>
                  ) : null}
                </div>
              </div>
            </section>
          ))}
          <div class="mb-3">
            <label class="form-label" for="transfer-reason">
              Reason (kept in both histories)
            </label>
            <input id="transfer-reason" class="form-control" name="reason" value={reason ?? ''} maxLength={500} placeholder="e.g. resold to the new client" />
          </div>
          <button class="btn btn-primary" type="submit">
            Transfer {plural(plan.assets.length, 'asset')} to {plan.toClient.name}
          </button>
        </form>
      ) : null}
    </AppPage>
  );
}

export function registerTransferPages(app: FastifyInstance, store: Store): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: WebSession,
    ids: number[],
    toClientId: number | null,
    extra: { mappings?: TransferMappings; reason?: string; error?: string; status?: number } = {},
  ) => {
    const ctx = baseCtx(store, request);
    let plan: TransferPlan | null = null;
    let error = extra.error;
    if (toClientId) {
      try {
        plan = await planTransfer(ctx, session.principal, { assetIds: ids, toClientId, mappings: extra.mappings ?? {} });
      } catch (e) {
        if (!(e instanceof ValidationError || e instanceof ConflictError)) throw e;
        error ??= e instanceof ValidationError ? e.issues.map((i) => i.message).join('; ') : e.message;
      }
    }
    const shell = await loadShell(ctx, session, request, reply);
    return sendPage(
      reply,
      <TransferPage shell={shell} ids={ids} clients={await transferTargets(ctx)} toClientId={toClientId} plan={plan} error={error} reason={extra.reason} />,
      extra.status ?? (error ? 422 : 200),
    );
  };

  app.get('/assets/transfer', async (request, reply) => {
    const session = signedInSession(request);
    authorize(session.principal, 'support', 2);
    const q = request.query as { ids?: string; to?: string };
    const ids = idList(q.ids);
    const to = positiveInt(q.to);
    return render(request, reply, session, ids, to, ids.length ? {} : { error: 'Tick the assets to transfer on the list first.' });
  });

  app.post('/assets/:id/undo-transfer', async (request, reply) => {
    signedInSession(request);
    const id = positiveInt((request.params as { id: string }).id) ?? 0;
    try {
      const undone = await undoTransfer(baseCtx(store, request), id);
      setFlash(reply, { kind: 'success', text: `Transfer of ${undone.name} undone: the copy is archived and this record is back.` });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      setFlash(reply, { kind: 'danger', text: error.message });
    }
    return reply.redirect(`/assets/${id}`, 303);
  });

  app.post('/assets/transfer', async (request, reply) => {
    const session = signedInSession(request);
    const form = formFields(request.body);
    const ids = idList(form.ids);
    const to = positiveInt(form.to) ?? 0;
    const mappings = mappingsOf(form);
    try {
      const result = await transferAssets(baseCtx(store, request), session.principal, { assetIds: ids, toClientId: to, mappings, reason: form.reason ?? null });
      setFlash(reply, { kind: 'success', text: `Transferred ${plural(result.transfers.length, 'asset')}. The originals are archived under their client.` });
      return reply.redirect(result.transfers.length === 1 ? `/assets/${result.transfers[0]!.toAssetId}` : `/clients/${to}/assets`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
      const text = error instanceof ValidationError ? error.issues.map((i) => i.message).join('; ') : error.message;
      return render(request, reply, session, ids, to || null, {
        mappings,
        reason: form.reason,
        error: `Nothing was transferred: ${text}`,
        status: error instanceof ConflictError ? 409 : 422,
      });
    }
  });
}
