// The asset pages of the web UI: list (per client and across clients), detail, add, edit, copy,
// archive, restore, delete and bulk actions. Every page asks the authorization layer first; an asset
// of a client the user may not see is "not found", exactly like a missing one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, canSeeClient } from '../access/access.ts';
import type { WebSession } from '../auth/session.service.ts';
import { listValues } from '../lists/list.service.ts';
import { inTransaction, newCorrelationId, withCorrelation, type Ctx } from '../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { setFlash } from '../web/flash.ts';
import { AppPage, ConfirmPage } from '../web/layout.tsx';
import { errorsByField, formFields, formList } from '../web/forms.tsx';
import { positiveInt } from '../web/params.ts';
import { sendPage } from '../web/render.ts';
import { cookieOptions } from '../web/site.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { AssetDetailPage } from './asset-detail.view.tsx';
import { AssetFormPage, type AssetFormValues } from './asset-form.view.tsx';
import {
  listAssetPage,
  PAGE_SIZES,
  SORTS,
  TYPE_TABS,
  WARRANTY_FILTERS,
  type AssetListFilters,
  type SortKey,
  type TabKey,
  type WarrantyFilter,
} from './asset-list.query.ts';
import { pageSizeFor } from '../accounts/page-size.ts';
import { activeChoices, activeTags, assetDetail, assetRelated, findClient, transferLinks } from './asset-pages.query.ts';
import { AssetListPageView, DEFAULT_COLUMNS, OPTIONAL_COLUMNS, type ColumnKey } from './asset-list.view.tsx';
import { ASSET_COLUMNS, ASSET_FIELDS, EDITABLE_FIELDS } from './asset-fields.ts';
import type { AssetWithPrimary } from './asset.ts';
import { findAssetWithPrimary } from './asset.repository.ts';
import { changeAssetTags } from './asset-links.service.ts';
import { Readable } from 'node:stream';
import { exportAssetsCsv, exportColumns } from '../csv/asset-export.ts';
import {
  archiveAsset,
  createAsset,
  deleteAsset,
  getAsset,
  loadAssetFor,
  restoreAsset,
  updateAsset,
  type AssetCreateInput,
  type AssetUpdateInput,
} from './asset.service.ts';
import { safeRedirect } from '../web/safe-redirect.ts';
import { isKeyOf } from '../platform/lookup.ts';
import { assetCount, BULK_ACTIONS } from './bulk-actions.ts';
import { tagChoices, tagsOfAsset } from '../tags/tag.service.ts';
import { plural } from '../web/plural.ts';
import { checklistShown, loadGettingStarted } from '../dashboard/getting-started.query.ts';
import { GettingStartedPage } from '../dashboard/getting-started.view.tsx';

type Params = { id?: string; clientId?: string };

/** Form field (named as the column) → the asset rules' field. */
const FORM_FIELDS: Record<string, string> = Object.fromEntries(EDITABLE_FIELDS.map((f) => [ASSET_COLUMNS[f], f]));
const INTERFACE_FORM_FIELDS: Record<string, string> = { ip: 'ip', mac: 'mac', network_id: 'networkId' };

function rulesToForm(field: string): string {
  if (field.startsWith('primaryInterface.')) {
    const inner = field.slice('primaryInterface.'.length);
    return Object.entries(INTERFACE_FORM_FIELDS).find(([, f]) => f === inner)?.[0] ?? inner;
  }
  return Object.entries(FORM_FIELDS).find(([, f]) => f === field)?.[0] ?? (field === 'clientId' ? 'form' : field);
}

function formToInput(form: Record<string, string>): AssetUpdateInput {
  const input: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(FORM_FIELDS)) if (form[key] !== undefined) input[field] = form[key];
  const iface: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(INTERFACE_FORM_FIELDS)) if (form[key] !== undefined) iface[field] = form[key];
  // The add and copy forms' tag box: names, comma-separated (the edit form has none: the asset page's tags section edits them).
  if (form.tags !== undefined) input.tags = tagList(form.tags);
  return { ...input, ...(Object.keys(iface).length ? { primaryInterface: iface } : {}) } as AssetUpdateInput;
}

function assetToForm(a: AssetWithPrimary): AssetFormValues {
  const s = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const values: AssetFormValues = {};
  for (const f of EDITABLE_FIELDS) values[ASSET_COLUMNS[f]] = ASSET_FIELDS[f].kind === 'flag' ? (a[f] ? '1' : '0') : s(a[f] as string | number | null);
  return {
    ...values,
    ip: s(a.primaryInterface?.ip),
    mac: s(a.primaryInterface?.mac),
    network_id: s(a.primaryInterface?.networkId),
    version: String(a.version),
  };
}

export function registerAssetPages(app: FastifyInstance, store: Store): void {
  /** The session and a context acting as its user, or null when the reply is already a redirect. */
  const signedIn = (request: FastifyRequest) => signedInRequest(store, request);

  /** The asset at :id if the user may act on it at `level`; otherwise answers 404 (or 403) itself. */
  const assetFor = async (ctx: Ctx, session: WebSession, request: FastifyRequest, reply: FastifyReply, level: 1 | 2 | 3) => {
    try {
      return await loadAssetFor(ctx, session.principal, positiveInt((request.params as Params).id), level);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await notFound(ctx, session, request, reply);
      return null;
    }
  };

  const notFound = async (ctx: Ctx, session: WebSession, request: FastifyRequest, reply: FastifyReply) => {
    const shell = await loadShell(ctx, session, request, reply);
    return sendPage(reply, <NotFoundPage shell={shell} />, 404);
  };

  app.get('/clients/go', async (request, reply) => {
    const id = positiveInt((request.query as { client_id?: string }).client_id);
    return reply.redirect(id ? `/clients/${id}/assets` : '/assets');
  });

  /**
   * For the list and its export: the signed-in user with read access, and the client named in the URL
   * (null on the all-clients list). A missing client and one the user may not see both answer 404.
   */
  const listScope = async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    authorize(s.session.principal, 'support', 1);
    const rawClient = (request.params as Params).clientId;
    if (rawClient === undefined) return { ...s, client: null };
    const clientId = positiveInt(rawClient);
    const client = clientId ? await findClient(s.ctx, clientId) : undefined;
    if (!client || !canSeeClient(s.session.principal, client.id)) {
      await notFound(s.ctx, s.session, request, reply);
      return null;
    }
    return { ...s, client: { id: client.id, name: client.name } };
  };

  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = await listScope(request, reply);
    if (!scope) return reply;
    const { session, ctx, client } = scope;
    const clientId = client?.id ?? null;
    const filters = await listFilters(ctx, session, request.query as Record<string, string | undefined>, clientId);
    const columns = listColumns(request, reply);
    const ofClient = (table: 'locations' | 'contacts') => (clientId ? activeChoices(ctx, table, clientId) : Promise.resolve([]));
    const [page, statuses, shell, locations, contacts, tags] = await Promise.all([
      listAssetPage(ctx, session.principal, filters),
      listValues(ctx, 'asset_status').then((vs) => vs.map((v) => v.name)),
      loadShell(ctx, session, request, reply, clientId),
      ofClient('locations'),
      ofClient('contacts'),
      activeTags(ctx),
    ]);
    // The search box in the top bar goes straight to the asset when exactly one matches.
    const single = page.rows.length === 1 && page.total === 1 ? page.rows[0] : undefined;
    if ((request.query as { go?: string }).go === '1' && filters.q && single) return reply.redirect(`/assets/${single.id}`);
    // A page past the end (an old link, a typed number) goes to the last page rather than an empty list.
    const lastPage = Math.max(1, Math.ceil(page.total / filters.pageSize));
    if (filters.page > lastPage) return reply.redirect(withPage(request.url, lastPage));
    const basePath = clientId ? `/clients/${clientId}/assets` : '/assets';
    // On a new database, the administrator's plain asset list is the getting-started checklist instead.
    if (!clientId && page.total === 0 && Object.keys(request.query as object).length === 0) {
      const start = await loadGettingStarted(ctx, session.principal);
      if (checklistShown(start)) return sendPage(reply, <GettingStartedPage shell={shell} g={start} />);
    }
    return sendPage(
      reply,
      <AssetListPageView
        shell={shell}
        basePath={basePath}
        client={client}
        filters={filters}
        page={page}
        statuses={statuses}
        choices={{ locations, contacts, tags }}
        columns={columns}
        canWrite={session.principal.levels.support >= 2}
        canDelete={session.principal.levels.support >= 3}
      />,
    );
  };
  // The column chooser's ticked boxes repeat `col`.
  const listOptions = { config: { repeatableQuery: ['col'] } };
  app.get('/assets', listOptions, list);
  app.get('/clients/:clientId/assets', listOptions, list);

  // The list's current filters and search, as CSV, streamed.
  const exportCsv = async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = await listScope(request, reply);
    if (!scope) return reply;
    const { session, ctx, client } = scope;
    const clientId = client?.id ?? null;
    const query = request.query as Record<string, string | undefined>;
    const filters = await listFilters(ctx, session, query, clientId);
    let columns: string[];
    try {
      columns = exportColumns(query.columns);
    } catch (error) {
      return reply
        .code(422)
        .type('text/plain; charset=utf-8')
        .send((error as Error).message.replace('--columns', 'columns'));
    }
    const name = clientId ? `client-${clientId}-assets` : 'assets';
    reply.header('content-disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`);
    reply.header('cache-control', 'no-store');
    reply.type('text/csv; charset=utf-8');
    return reply.send(Readable.from(exportAssetsCsv(ctx, session.principal, filters, { columns, bom: query.bom === '1' })));
  };
  app.get('/assets/export.csv', exportCsv);
  app.get('/clients/:clientId/assets/export.csv', exportCsv);

  app.get('/assets/:id', async (request, reply) => {
    const s = signedIn(request);
    const asset = await assetFor(s.ctx, s.session, request, reply, 1);
    if (!asset) return reply;
    const { ctx, session } = s;
    const [detail, shell, related, transfer] = await Promise.all([
      assetDetail(ctx, session.principal, asset),
      loadShell(ctx, session, request, reply, asset.clientId),
      assetRelated(ctx, asset.id, asset.clientId, session.principal.levels.credential >= 1),
      transferLinks(ctx, session.principal, asset),
    ]);
    return sendPage(
      reply,
      <AssetDetailPage
        shell={shell}
        asset={asset}
        {...detail}
        {...related}
        transfer={transfer}
        canSeeSecrets={session.principal.levels.credential >= 1}
        canLinkLogins={session.principal.levels.credential >= 2}
        canWrite={session.principal.levels.support >= 2}
        canDelete={session.principal.levels.support >= 3}
      />,
    );
  });

  /** Renders the add/edit/copy form for a client, with the given values and errors. */
  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    opts: {
      mode: 'add' | 'edit' | 'copy';
      action: string;
      clientId: number;
      values: AssetFormValues;
      errors?: Record<string, string>;
      saved?: Record<string, string>;
      cancelHref: string;
      status?: number;
    },
  ) => {
    const { ctx, session } = s;
    const options = (table: 'locations' | 'contacts' | 'vendors' | 'networks') =>
      activeChoices(ctx, table, opts.clientId).then((rows) => rows.map((r) => ({ value: String(r.id), label: r.name })));
    const [client, types, statuses, locations, contacts, vendors, networks, tags, shell] = await Promise.all([
      findClient(ctx, opts.clientId),
      listValues(ctx, 'asset_type').then((vs) => vs.map((v) => v.name)),
      listValues(ctx, 'asset_status').then((vs) => vs.map((v) => v.name)),
      options('locations'),
      options('contacts'),
      options('vendors'),
      options('networks'),
      opts.mode === 'edit' ? [] : tagChoices(ctx),
      loadShell(ctx, session, request, reply, opts.clientId),
    ]);
    if (!client) throw new NotFoundError('client', opts.clientId);
    return sendPage(
      reply,
      <AssetFormPage
        shell={shell}
        mode={opts.mode}
        action={opts.action}
        clientName={client.name}
        values={opts.values}
        errors={opts.errors ?? {}}
        saved={opts.saved}
        types={types}
        statuses={statuses}
        choices={{ locations, contacts, vendors, networks }}
        tagChoices={tags}
        cancelHref={opts.cancelHref}
      />,
      opts.status ?? 200,
    );
  };

  const clientForAdd = async (s: { session: WebSession; ctx: Ctx }, raw: unknown) => {
    const clientId = positiveInt(raw);
    if (!clientId || !canSeeClient(s.session.principal, clientId)) return null;
    const client = await findClient(s.ctx, clientId);
    return client && !client.archived_at ? client.id : null;
  };

  app.get('/assets/new', async (request, reply) => {
    const s = signedIn(request);
    authorize(s.session.principal, 'support', 2);
    const clientId = await clientForAdd(s, (request.query as { client_id?: string }).client_id);
    if (!clientId) return notFound(s.ctx, s.session, request, reply);
    return form(request, reply, s, {
      mode: 'add',
      action: `/assets/new?client_id=${clientId}`,
      clientId,
      values: { favorite: '0', tags: '' },
      cancelHref: `/clients/${clientId}/assets`,
    });
  });

  app.post('/assets/new', async (request, reply) => {
    const s = signedIn(request);
    authorize(s.session.principal, 'support', 2);
    const clientId = await clientForAdd(s, (request.query as { client_id?: string }).client_id);
    if (!clientId) return notFound(s.ctx, s.session, request, reply);
    const values = formFields(request.body);
    try {
      const asset = await createAsset(s.ctx, { ...formToInput(values), clientId, createMissingTags: true } as AssetCreateInput);
      setFlash(reply, { kind: 'success', text: `${asset.name} added.` });
      return reply.redirect(`/assets/${asset.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return form(request, reply, s, {
        mode: 'add',
        action: `/assets/new?client_id=${clientId}`,
        clientId,
        values,
        errors: errorsByField(error.issues, rulesToForm),
        cancelHref: `/clients/${clientId}/assets`,
        status: 422,
      });
    }
  });

  app.get('/assets/:id/edit', async (request, reply) => {
    const s = signedIn(request);
    const asset = await assetFor(s.ctx, s.session, request, reply, 2);
    if (!asset) return reply;
    return form(request, reply, s, {
      mode: 'edit',
      action: `/assets/${asset.id}/edit`,
      clientId: asset.clientId,
      values: assetToForm(asset),
      cancelHref: `/assets/${asset.id}`,
    });
  });

  app.post('/assets/:id/edit', async (request, reply) => {
    const s = signedIn(request);
    const asset = await assetFor(s.ctx, s.session, request, reply, 2);
    if (!asset) return reply;
    const values = formFields(request.body);
    try {
      // The version is what lets a stale form be caught; a post without it is refused, not trusted.
      const expectedVersion = positiveInt(values.version);
      if (expectedVersion === null)
        throw new ValidationError([
          {
            field: 'form',
            code: 'required',
            message: 'the form did not say which version of the asset it edits, so nothing was saved: reload the page and edit again',
          },
        ]);
      const { changed } = await updateAsset(s.ctx, asset.id, formToInput(values), { expectedVersion });
      setFlash(reply, { kind: 'success', text: changed ? `${values.name || asset.name} saved.` : 'Nothing changed.' });
      return reply.redirect(`/assets/${asset.id}`, 303);
    } catch (error) {
      const base = { mode: 'edit' as const, action: `/assets/${asset.id}/edit`, clientId: asset.clientId, cancelHref: `/assets/${asset.id}`, status: 422 };
      if (error instanceof VersionConflictError) {
        // Both sides: the user's values stay in the fields, what was saved meanwhile is shown under each
        // field where it differs, and the form now carries the current version, so saving again is a choice.
        const now = assetToForm(await getAsset(s.ctx, asset.id));
        const saved = Object.fromEntries(Object.entries(now).filter(([k, v]) => k !== 'version' && (values[k] ?? '') !== v));
        const who = error.current.updatedBy ?? 'someone else';
        const when = error.current.updatedAt ? ` at ${error.current.updatedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
        return form(request, reply, s, {
          ...base,
          values: { ...values, version: now.version! },
          saved,
          errors: {
            form: `Changed by ${who}${when} while you were editing. Nothing was saved: review what was saved meanwhile (shown under each field it changed) and save again.`,
          },
          status: 409,
        });
      }
      if (!(error instanceof ValidationError)) throw error;
      return form(request, reply, s, { ...base, values, errors: errorsByField(error.issues, rulesToForm) });
    }
  });

  app.get('/assets/:id/copy', async (request, reply) => {
    const s = signedIn(request);
    const asset = await assetFor(s.ctx, s.session, request, reply, 2);
    if (!asset) return reply;
    // A copy is a new device of the same kind: its serial, addresses and MAC are its own.
    const tags = (await tagsOfAsset(s.ctx, asset.id)).map((t) => t.name).join(', ');
    const values = { ...assetToForm(asset), name: `${asset.name} (copy)`, serial: '', ip: '', mac: '', version: '', source_name: asset.name, tags };
    return form(request, reply, s, {
      mode: 'copy',
      action: `/assets/new?client_id=${asset.clientId}`,
      clientId: asset.clientId,
      values,
      cancelHref: `/assets/${asset.id}`,
    });
  });

  const single = (action: 'archive' | 'restore' | 'delete') => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const asset = await assetFor(s.ctx, s.session, request, reply, action === 'delete' ? 3 : 2);
    if (!asset) return reply;
    if (action === 'delete' && formFields(request.body).confirmed !== '1') {
      const shell = await loadShell(s.ctx, s.session, request, reply, asset.clientId);
      return sendPage(
        reply,
        <ConfirmPage
          shell={shell}
          title={`Delete ${asset.name}?`}
          message="The asset is deleted for good. Its history is kept: administrators find it under Administration → Deleted assets."
          action={`/assets/${asset.id}/delete`}
          fields={[]}
          cancelHref={`/assets/${asset.id}`}
        />,
      );
    }
    if (action === 'archive') await archiveAsset(s.ctx, asset.id);
    if (action === 'restore') {
      const refused = await restoreAsset(s.ctx, asset.id).then(
        () => null,
        (error: unknown) => (error instanceof ConflictError ? error : Promise.reject(error)),
      );
      if (refused) {
        setFlash(reply, { kind: 'danger', text: `Not restored: ${refused.message}` });
        return reply.redirect(`/assets/${asset.id}`, 303);
      }
    }
    if (action === 'delete') await deleteAsset(s.ctx, asset.id);
    setFlash(reply, { kind: 'success', text: `${asset.name} ${action === 'delete' ? 'deleted' : action === 'archive' ? 'archived' : 'restored'}.` });
    return reply.redirect(action === 'delete' ? `/clients/${asset.clientId}/assets` : `/assets/${asset.id}`, 303);
  };
  app.post('/assets/:id/archive', single('archive'));
  app.post('/assets/:id/restore', single('restore'));
  app.post('/assets/:id/delete', single('delete'));

  app.post('/assets/bulk', async (request, reply) => {
    const s = signedIn(request);
    const form = formFields(request.body);
    const action = form.action;
    const back = safeRedirect(form.return_to, '/assets');
    const ids = [
      ...new Set(
        formList(request.body, 'ids')
          .map(positiveInt)
          .filter((n): n is number => n !== null),
      ),
    ];
    if (ids.length === 0) {
      setFlash(reply, { kind: 'info', text: 'Tick at least one asset first.' });
      return reply.redirect(back, 303);
    }
    if (!action) {
      setFlash(reply, { kind: 'info', text: 'Choose what to do with the ticked assets first.' });
      return reply.redirect(back, 303);
    }
    // A transfer has its own preview and mapping screen.
    if (action === 'transfer') return reply.redirect(`/assets/transfer?ids=${ids.join(',')}`, 303);
    const missing = isKeyOf(BULK_NEEDS, action) ? BULK_NEEDS[action] : undefined;
    if (missing && !form[missing.field]) {
      setFlash(reply, { kind: 'info', text: missing.message });
      return reply.redirect(back, 303);
    }
    authorize(s.session.principal, 'support', action === 'delete' ? 3 : 2);
    if (action === 'delete' && form.confirmed !== '1') {
      const shell = await loadShell(s.ctx, s.session, request, reply);
      const fields: Array<[string, string]> = [['action', 'delete'], ['return_to', back], ...ids.map((id): [string, string] => ['ids', String(id)])];
      return sendPage(
        reply,
        <ConfirmPage
          shell={shell}
          title={BULK_ACTIONS.delete.confirm(assetCount(ids.length))}
          message="The ticked assets are deleted for good."
          action="/assets/bulk"
          fields={fields}
          cancelHref={back}
        />,
      );
    }
    // One correlation id ties the bulk action's history events together; all or nothing.
    const ctx = withCorrelation(s.ctx, newCorrelationId());
    let done = 0;
    try {
      await inTransaction(ctx, async (tctx) => {
        done = 0;
        for (const id of ids) {
          const asset = await findAssetWithPrimary(tctx, id);
          if (!asset || !canSeeClient(s.session.principal, asset.clientId)) throw new NotFoundError('asset', id);
          const change = isKeyOf(BULK_FIELD_CHANGES, action) ? BULK_FIELD_CHANGES[action]!(form) : undefined;
          if (change) done += (await updateAsset(tctx, id, change)).changed ? 1 : 0;
          else if (action === 'add_tags' || action === 'replace_tags')
            done += (await changeAssetTags(tctx, id, tagList(form.tags), action === 'add_tags' ? 'add' : 'replace', { createMissing: true })) ? 1 : 0;
          else if (action === 'archive') done += (await archiveAsset(tctx, id)) ? 1 : 0;
          else if (action === 'restore') done += (await restoreAsset(tctx, id)) ? 1 : 0;
          else if (action === 'delete') {
            await deleteAsset(tctx, id);
            done += 1;
          } else throw new ValidationError([{ field: 'action', code: 'unknown', message: `"${action}" is not a bulk action` }]);
        }
      });
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
      setFlash(reply, { kind: 'danger', text: `Nothing was changed: ${error.message}` });
      return reply.redirect(back, 303);
    }
    const verb = isKeyOf(BULK_VERBS, action) ? BULK_VERBS[action]!(form) : 'changed';
    setFlash(reply, { kind: 'success', text: `${done} of ${plural(ids.length, 'asset')} ${verb}.` });
    return reply.redirect(back, 303);
  });
}

/** Bulk actions that set fields, as the asset rules' input. */
const BULK_FIELD_CHANGES: Record<string, (form: Record<string, string>) => AssetUpdateInput> = {
  set_status: (f) => ({ status: f.status }),
  favorite: () => ({ favorite: true }),
  unfavorite: () => ({ favorite: false }),
  assign_contact: (f) => ({ contactId: f.contact_id === 'none' ? null : f.contact_id }),
  assign_location: (f) => ({ locationId: f.location_id === 'none' ? null : f.location_id }),
  set_physical_location: (f) => ({ physicalLocation: f.physical_location }),
};
const BULK_NEEDS: Record<string, { field: string; message: string }> = {
  set_status: { field: 'status', message: 'Choose the status to set first.' },
  assign_contact: { field: 'contact_id', message: 'Choose the contact to assign first.' },
  assign_location: { field: 'location_id', message: 'Choose the location to assign first.' },
  set_physical_location: { field: 'physical_location', message: 'Type the physical location first.' },
  add_tags: { field: 'tags', message: 'Type the tags first.' },
  replace_tags: { field: 'tags', message: 'Type the tags first (to remove all tags, use the asset page).' },
};
const BULK_VERBS: Record<string, (form: Record<string, string>) => string> = {
  set_status: (f) => `set to ${f.status}`,
  archive: () => 'archived',
  restore: () => 'restored',
  delete: () => 'deleted',
  favorite: () => 'starred',
  unfavorite: () => 'unstarred',
  assign_contact: () => 'reassigned',
  assign_location: () => 'moved',
  set_physical_location: (f) => `placed at ${f.physical_location}`,
  add_tags: () => 'tagged',
  replace_tags: () => 'retagged',
};

const tagList = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** The same list URL on another page (page 1 is the URL without a page). */
function withPage(url: string, page: number): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  if (page > 1) params.set('page', String(page));
  else params.delete('page');
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path!;
}

const COLUMNS_COOKIE = 'steward_columns';

/** The list's optional columns: chosen with the Columns form, remembered in this browser. */
function listColumns(request: FastifyRequest, reply: FastifyReply): ColumnKey[] {
  const valid = (names: string[]) => names.filter((c): c is ColumnKey => isKeyOf(OPTIONAL_COLUMNS, c));
  if ((request.query as { columns_set?: string }).columns_set === '1') {
    const chosen = valid(formList(request.query, 'col'));
    reply.setCookie(COLUMNS_COOKIE, chosen.join('.') || 'none', cookieOptions(reply, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400 }));
    return chosen;
  }
  const saved = request.cookies[COLUMNS_COOKIE];
  return saved ? valid(saved.split('.')) : DEFAULT_COLUMNS;
}

async function listFilters(ctx: Ctx, session: WebSession, q: Record<string, string | undefined>, clientId: number | null): Promise<AssetListFilters> {
  const pageSize = await pageSizeFor(ctx, session.userId, Number(q.size), PAGE_SIZES, 50);
  return {
    clientId: clientId ?? positiveInt(q.client),
    locationId: clientId ? positiveInt(q.location) : null,
    tagId: positiveInt(q.tag),
    warranty: isKeyOf(WARRANTY_FILTERS, q.warranty) ? (q.warranty as WarrantyFilter) : null,
    favorites: q.favorites === '1',
    q: (q.q ?? '').slice(0, 200),
    tab: isKeyOf(TYPE_TABS, q.tab) ? (q.tab as TabKey) : 'all',
    archived: q.archived === '1',
    status: q.status ? q.status.slice(0, 200) : null,
    sort: isKeyOf(SORTS, q.sort) ? (q.sort as SortKey) : 'name',
    desc: q.desc === '1',
    page: Math.min(positiveInt(q.page) ?? 1, 100_000),
    pageSize,
  };
}

function NotFoundPage({ shell }: { shell: Awaited<ReturnType<typeof loadShell>> }) {
  return (
    <AppPage title="Not found" shell={shell}>
      <h1 class="h4">Not found</h1>
      <p>There is no such page or record, or it belongs to a client you do not have access to.</p>
      <a href="/assets">Back to the asset list</a>
    </AppPage>
  );
}
