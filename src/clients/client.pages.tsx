// The client pages: the list of the clients a user may see, each client's overview, and add, edit,
// archive and restore. A client the user may not see is "not found"; adding clients is for users
// not limited to some clients.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../access/access.ts';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import { todayOf } from '../platform/dates.ts';
import type { Store } from '../platform/db/store.ts';
import { ValidationError } from '../platform/errors.ts';
import { setFlash } from '../web/flash.ts';
import { errorsByField, formFields } from '../web/forms.tsx';
import { positiveInt } from '../web/params.ts';
import { ConfirmPage } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { clientOverview } from './client-overview.ts';
import { listClients } from './client-list.query.ts';
import { archiveClient, countAssetsOf, createClient, deleteClient, getClientFor, restoreClient, updateClient, type Client } from './client.service.ts';
import { ClientFormView, ClientListView, ClientOverviewView } from './client.views.tsx';
import { plural } from '../web/plural.ts';

const PAGE_SIZE = 50;
const mayAddClients = (session: WebSession) => session.principal.levels.client >= 2 && (session.principal.isAdmin || session.principal.allow === null);

export function registerClientPages(app: FastifyInstance, store: Store): void {
  const signedIn = (request: FastifyRequest) => signedInRequest(store, request);

  const clientFor = (ctx: Ctx, request: FastifyRequest, level: 1 | 2 | 3): Promise<Client> =>
    getClientFor(ctx, positiveInt((request.params as { clientId?: string }).clientId) ?? null, level);

  app.get('/clients', async (request, reply) => {
    const s = signedIn(request);
    const query = request.query as Record<string, string | undefined>;
    const q = (query.q ?? '').trim().slice(0, 200);
    const archived = query.archived === '1';
    const page = Math.max(1, positiveInt(query.page) ?? 1);
    const { rows, total } = await listClients(s.ctx, { q, archived, page, pageSize: PAGE_SIZE });
    const shell = await loadShell(s.ctx, s.session, request, reply);
    return sendPage(
      reply,
      <ClientListView shell={shell} q={q} archived={archived} canAdd={mayAddClients(s.session)} page={page} pageSize={PAGE_SIZE} total={total} rows={rows} />,
    );
  });

  app.get('/clients/new', async (request, reply) => {
    const s = signedIn(request);
    authorize(s.session.principal, 'client', 2);
    return sendPage(reply, <ClientFormView shell={await loadShell(s.ctx, s.session, request, reply)} client={null} values={{}} errors={{}} />);
  });

  app.post('/clients/new', async (request, reply) => {
    const s = signedIn(request);
    authorize(s.session.principal, 'client', 2);
    const values = formFields(request.body);
    if (!mayAddClients(s.session)) {
      setFlash(reply, { kind: 'danger', text: 'A user limited to some clients cannot add clients.' });
      return reply.redirect('/assets', 303);
    }
    try {
      const client = await createClient(s.ctx, { name: values.name, type: values.type, website: values.website, notes: values.notes });
      setFlash(reply, { kind: 'success', text: `${client.name} added. Now add its first asset.` });
      return reply.redirect(`/clients/${client.id}/assets`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(
        reply,
        <ClientFormView shell={await loadShell(s.ctx, s.session, request, reply)} client={null} values={values} errors={errorsByField(error.issues)} />,
        422,
      );
    }
  });

  app.get('/clients/:clientId', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, request, 1);
    authorize(s.session.principal, 'support', 1);
    const [overview, shell] = await Promise.all([clientOverview(s.ctx, client.id, todayOf(s.ctx)), loadShell(s.ctx, s.session, request, reply, client.id)]);
    return sendPage(
      reply,
      <ClientOverviewView
        shell={shell}
        client={client}
        overview={overview}
        canEdit={s.session.principal.levels.client >= 2}
        canDelete={s.session.principal.levels.client >= 3 && overview.counts.assets + overview.counts.archivedAssets === 0}
      />,
    );
  });

  app.get('/clients/:clientId/edit', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, request, 2);
    const values = { name: client.name, type: client.type ?? '', website: client.website ?? '', notes: client.notes ?? '' };
    return sendPage(reply, <ClientFormView shell={await loadShell(s.ctx, s.session, request, reply, client.id)} client={client} values={values} errors={{}} />);
  });

  app.post('/clients/:clientId/edit', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, request, 2);
    const values = formFields(request.body);
    try {
      // Only the fields the form sent change; one a post leaves out keeps its value.
      await updateClient(s.ctx, client.id, { name: values.name, type: values.type, website: values.website, notes: values.notes });
      setFlash(reply, { kind: 'success', text: 'Client saved.' });
      return reply.redirect(`/clients/${client.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(
        reply,
        <ClientFormView
          shell={await loadShell(s.ctx, s.session, request, reply, client.id)}
          client={client}
          values={values}
          errors={errorsByField(error.issues)}
        />,
        422,
      );
    }
  });

  const state = (archive: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, request, 2);
    if (archive) await archiveClient(s.ctx, client.id);
    else await restoreClient(s.ctx, client.id);
    setFlash(reply, { kind: 'success', text: `${client.name} ${archive ? 'archived' : 'restored'}.` });
    return reply.redirect(`/clients/${client.id}`, 303);
  };
  app.post('/clients/:clientId/delete', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, request, 3);
    const assets = await countAssetsOf(s.ctx, client.id);
    if (assets > 0) {
      setFlash(reply, {
        kind: 'danger',
        text: `${client.name} still has ${plural(assets, 'asset')}, archived ones included. Transfer or delete them first, or archive the client to keep everything.`,
      });
      return reply.redirect(`/clients/${client.id}`, 303);
    }
    if (formFields(request.body).confirmed !== '1') {
      const shell = await loadShell(s.ctx, s.session, request, reply, client.id);
      return sendPage(
        reply,
        <ConfirmPage
          shell={shell}
          title={`Delete ${client.name}?`}
          message="The client is deleted for good, with its locations, contacts, vendors, networks, logins, services and tickets. It has no assets."
          action={`/clients/${client.id}/delete`}
          fields={[]}
          cancelHref={`/clients/${client.id}`}
        />,
      );
    }
    await deleteClient(s.ctx, client.id);
    setFlash(reply, { kind: 'success', text: `${client.name} deleted.` });
    return reply.redirect('/clients', 303);
  });
  app.post('/clients/:clientId/archive', state(true));
  app.post('/clients/:clientId/restore', state(false));
}
