// What hangs off an asset, from its page: typed notes, tags, the star, and links to the client's
// logins, services and tickets. A login's secrets are shown only when asked for, and every reveal is
// audited. With JavaScript, the star and the reveal update in place (htmx); without, they post and
// come back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { revealLoginSecrets, totpCodeNow } from '../logins/login.service.ts';
import { LoginSecrets, type Revealed } from '../logins/login.views.tsx';
import { setFlash } from '../web/flash.ts';
import { CsrfField, formFields } from '../web/forms.tsx';
import { AppPage, BarePage } from '../web/layout.tsx';
import { loadShell } from '../web/shell.ts';
import { sendFragment, sendPage } from '../web/render.ts';
import { baseCtx } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import type { Asset } from './asset.ts';
import { changeAssetTags, linkLogin, linkService, linkTicket, unlinkLogin, unlinkService, unlinkTicket } from './asset-links.service.ts';
import { requireLinkedLoginFor, requireNoteOfAsset } from './asset-related.query.ts';
import { addAssetNote, archiveAssetNote, updateAssetNote } from './asset-note.service.ts';
import { loadAssetFor, updateAsset } from './asset.service.ts';
import { linkableMatching, type LinkKind } from './asset-pages.query.ts';
import { LinkChoices, LinkPicker } from './asset-link-picker.view.tsx';
import { safeRedirect } from '../web/safe-redirect.ts';
import { positiveInt } from '../web/params.ts';

type Params = { id: string; rid?: string };

const idOf = (raw: string | undefined) => positiveInt(raw);

async function assetAt(ctx: Ctx, session: WebSession, params: Params, level: 1 | 2): Promise<Asset> {
  const id = idOf(params.id);
  const asset = await loadAssetFor(ctx, session.principal, id, level, params.id);
  return asset;
}

/** The star button; htmx swaps it for the new one, a plain form post comes back to the page. */
export function FavoriteButton({ asset, csrf }: { asset: Pick<Asset, 'id' | 'name' | 'favorite'>; csrf: string }) {
  return (
    <form method="post" action={`/assets/${asset.id}/favorite`} class="d-inline" hx-post={`/assets/${asset.id}/favorite`} hx-swap="outerHTML">
      <CsrfField token={csrf} />
      <input type="hidden" name="favorite" value={asset.favorite ? '0' : '1'} />
      <button
        type="submit"
        class="btn btn-link p-0 text-warning text-decoration-none fs-5"
        aria-pressed={asset.favorite ? 'true' : 'false'}
        aria-label={asset.favorite ? `Unstar ${asset.name}` : `Star ${asset.name}`}
        title={asset.favorite ? 'Favorite (click to unstar)' : 'Star as favorite'}
      >
        {asset.favorite ? '★' : '☆'}
      </button>
    </form>
  );
}

/**
 * The star in a list row. The rows sit inside the bulk-action form (forms cannot nest), so without
 * JavaScript this button posts that form to the star route, which comes back to the list.
 */
export function RowStar({ asset }: { asset: Pick<Asset, 'id' | 'name' | 'favorite'> }) {
  return (
    <button
      type="submit"
      formaction={`/assets/${asset.id}/favorite`}
      name="favorite"
      value={asset.favorite ? '0' : '1'}
      hx-post={`/assets/${asset.id}/favorite`}
      hx-vals='{"star_style":"row"}'
      hx-swap="outerHTML"
      class="btn btn-link p-0 text-warning text-decoration-none"
      aria-pressed={asset.favorite ? 'true' : 'false'}
      aria-label={asset.favorite ? `Unstar ${asset.name}` : `Star ${asset.name}`}
    >
      {asset.favorite ? '★' : '☆'}
    </button>
  );
}

/** The asset's quick notes, with an in-place editor when JavaScript is on (the edit page otherwise). */
export function QuickNotes({ asset, canWrite }: { asset: Pick<Asset, 'id' | 'notes'>; canWrite: boolean }) {
  return (
    <div id="quick-notes">
      <p class="mb-1 text-pre-wrap">{asset.notes ?? <span class="text-body-secondary">No quick notes.</span>}</p>
      {canWrite ? (
        <a
          class="btn btn-link btn-sm p-0"
          href={`/assets/${asset.id}/edit#f-notes`}
          hx-get={`/assets/${asset.id}/quick-notes/edit`}
          hx-target="#quick-notes"
          hx-swap="outerHTML"
        >
          edit quick notes
        </a>
      ) : null}
    </div>
  );
}

function QuickNotesEditor({ asset, csrf, error }: { asset: Pick<Asset, 'id' | 'notes'>; csrf: string; error?: string }) {
  return (
    <form id="quick-notes" method="post" action={`/assets/${asset.id}/quick-notes`} hx-post={`/assets/${asset.id}/quick-notes`} hx-swap="outerHTML">
      <CsrfField token={csrf} />
      <label class="visually-hidden" for="quick-notes-text">
        Quick notes
      </label>
      <textarea id="quick-notes-text" class={`form-control form-control-sm${error ? ' is-invalid' : ''}`} name="notes" rows={4} autofocus>
        {asset.notes ?? ''}
      </textarea>
      {error ? <div class="invalid-feedback">{error}</div> : null}
      <button class="btn btn-sm btn-primary mt-1" type="submit">
        Save quick notes
      </button>
      <a class="btn btn-sm btn-link mt-1" href={`/assets/${asset.id}`} hx-get={`/assets/${asset.id}/quick-notes`} hx-target="#quick-notes" hx-swap="outerHTML">
        Cancel
      </a>
    </form>
  );
}

/** How the fields of notes, tags and links read in a message. */
const RELATED_LABELS: Record<string, string> = { body: 'Note', type: 'Note type', tags: 'Tags', loginId: 'Login', serviceId: 'Service', ticketId: 'Ticket' };

export function registerAssetRelatedPages(app: FastifyInstance, store: Store, secretBox: () => SecretBox): void {
  /** Runs a change on the asset and returns to its page with the outcome as a message. */
  const act =
    (level: 1 | 2, run: (ctx: Ctx, asset: Asset, form: Record<string, string>, rid: number | null) => Promise<string>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const session = signedInSession(request);
      const ctx = baseCtx(store, request);
      const params = request.params as Params;
      const asset = await assetAt(ctx, session, params, level);
      try {
        setFlash(reply, { kind: 'success', text: await run(ctx, asset, formFields(request.body), idOf(params.rid)) });
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError)) throw error;
        const text =
          error instanceof ValidationError ? error.issues.map((i) => `${RELATED_LABELS[i.field] ?? i.field}: ${i.message}`).join('; ') : error.message;
        setFlash(reply, { kind: 'danger', text: `Nothing was changed. ${text}` });
      }
      return reply.redirect(`/assets/${asset.id}`, 303);
    };

  app.post('/assets/:id/favorite', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const asset = await assetAt(ctx, session, request.params as Params, 2);
    const form = formFields(request.body);
    const { asset: saved } = await updateAsset(ctx, asset.id, { favorite: form.favorite === '1' });
    if (request.headers['hx-request']) {
      return sendFragment(reply, form.star_style === 'row' ? <RowStar asset={saved} /> : <FavoriteButton asset={saved} csrf={session.csrfToken} />);
    }
    const back = safeRedirect(form.return_to, `/assets/${asset.id}`);
    return reply.redirect(back, 303);
  });

  app.get('/assets/:id/quick-notes', async (request, reply) => {
    const session = signedInSession(request);
    const asset = await assetAt(baseCtx(store, request), session, request.params as Params, 1);
    return sendFragment(reply, <QuickNotes asset={asset} canWrite={session.principal.levels.support >= 2} />);
  });

  app.get('/assets/:id/quick-notes/edit', async (request, reply) => {
    const session = signedInSession(request);
    const asset = await assetAt(baseCtx(store, request), session, request.params as Params, 2);
    return sendFragment(reply, <QuickNotesEditor asset={asset} csrf={session.csrfToken} />);
  });

  app.post('/assets/:id/quick-notes', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const asset = await assetAt(ctx, session, request.params as Params, 2);
    const htmx = Boolean(request.headers['hx-request']);
    try {
      const { asset: saved } = await updateAsset(ctx, asset.id, { notes: formFields(request.body).notes ?? '' });
      if (htmx) return sendFragment(reply, <QuickNotes asset={saved} canWrite />);
      setFlash(reply, { kind: 'success', text: 'Quick notes saved.' });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const message = error.issues.map((i) => i.message).join('; ');
      // htmx swaps only successful answers, so the editor with its message comes back as a 200.
      if (htmx)
        return sendFragment(
          reply,
          <QuickNotesEditor asset={{ id: asset.id, notes: formFields(request.body).notes ?? '' }} csrf={session.csrfToken} error={message} />,
        );
      setFlash(reply, { kind: 'danger', text: `Quick notes not saved: ${message}` });
    }
    return reply.redirect(`/assets/${asset.id}`, 303);
  });

  app.post(
    '/assets/:id/notes',
    act(2, async (ctx, asset, form) => {
      await addAssetNote(ctx, asset.id, { type: form.type || 'Note', body: form.body });
      return 'Note added.';
    }),
  );
  app.post(
    '/assets/:id/notes/:rid/edit',
    act(2, async (ctx, asset, form, rid) => {
      await requireNoteOfAsset(ctx, asset.id, rid);
      await updateAssetNote(ctx, rid!, { body: form.body, ...(form.type ? { type: form.type } : {}) });
      return 'Note saved.';
    }),
  );
  app.post(
    '/assets/:id/notes/:rid/archive',
    act(2, async (ctx, asset, _form, rid) => {
      await requireNoteOfAsset(ctx, asset.id, rid);
      await archiveAssetNote(ctx, rid!);
      return 'Note archived.';
    }),
  );

  app.post(
    '/assets/:id/tags',
    act(2, async (ctx, asset, form) => {
      const tags = (form.tags ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      return (await changeAssetTags(ctx, asset.id, tags, 'replace', { createMissing: true })) ? 'Tags saved.' : 'Tags unchanged.';
    }),
  );

  const links = { login: [linkLogin, unlinkLogin], service: [linkService, unlinkService], ticket: [linkTicket, unlinkTicket] } as const;
  for (const [kind, [link, unlink]] of Object.entries(links)) {
    app.post(
      `/assets/:id/${kind}s`,
      act(2, async (ctx, asset, form) => {
        const id = idOf(form[`${kind}_id`]);
        if (!id) throw new ValidationError([{ field: kind, code: 'required', message: `choose a ${kind} to link` }]);
        return (await link(ctx, asset.id, id)) ? `The ${kind} is linked.` : `The ${kind} was already linked.`;
      }),
    );
    app.post(
      `/assets/:id/${kind}s/:rid/unlink`,
      act(2, async (ctx, asset, _form, rid) => {
        return (await unlink(ctx, asset.id, rid!)) ? `The ${kind} is unlinked.` : `The ${kind} was not linked.`;
      }),
    );
  }

  // The link pickers' search: matching records of the asset's client not linked yet. A fragment for
  // htmx (the list under the search box), a page of its own without JavaScript.
  for (const kind of ['login', 'service', 'ticket'] as const satisfies readonly LinkKind[]) {
    app.get(`/assets/:id/${kind}s/search`, async (request, reply) => {
      const session = signedInSession(request);
      const ctx = baseCtx(store, request);
      const asset = await assetAt(ctx, session, request.params as Params, 2);
      const q = typeof (request.query as { q?: unknown }).q === 'string' ? (request.query as { q: string }).q.slice(0, 200) : '';
      const found = await linkableMatching(ctx, kind, asset, q);
      const choices = <LinkChoices assetId={asset.id} kind={kind} q={q} choices={found.choices} more={found.more} csrf={session.csrfToken} />;
      if (request.headers['hx-request']) return sendFragment(reply, choices);
      const shell = await loadShell(ctx, session, request, reply, asset.clientId);
      return sendPage(
        reply,
        <AppPage title={`Link a ${kind} to ${asset.name}`} shell={shell}>
          <div class="bare-page">
            <h1 class="h5">{`Link a ${kind} to ${asset.name}`}</h1>
            <LinkPicker assetId={asset.id} kind={kind} q={q} results={choices} />
            <a class="d-block mt-3" href={`/assets/${asset.id}`}>
              Back to {asset.name}
            </a>
          </div>
        </AppPage>,
      );
    });
  }

  app.post('/assets/:id/logins/:rid/reveal', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const params = request.params as Params;
    const asset = await assetAt(ctx, session, params, 1);
    const login = await requireLinkedLoginFor(ctx, asset, idOf(params.rid), params.rid ?? '');
    const stored = await revealLoginSecrets(ctx, secretBox(), login.id);
    // The current TOTP code (refreshing itself, as on the login's page), never the key it comes from.
    const secrets: Revealed = { username: stored.username, password: stored.password, code: stored.otpSecret ? totpCodeNow(stored.otpSecret) : null };
    reply.header('cache-control', 'no-store');
    if (request.headers['hx-request']) return sendFragment(reply, <LoginSecrets loginId={login.id} name={login.name} secrets={secrets} />);
    return sendPage(
      reply,
      <BarePage title={`Login ${login.name}`}>
        <h1 class="h5">{login.name}</h1>
        <LoginSecrets loginId={login.id} name={login.name} secrets={secrets} />
        <a class="d-block mt-3" href={`/assets/${asset.id}`}>
          Back to {asset.name}
        </a>
      </BarePage>,
    );
  });
}
