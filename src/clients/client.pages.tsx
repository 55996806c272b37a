// Adding a client from the web UI, so a newcomer can go from setup to a first asset. (The full client
// pages arrive with "Web UI, part 2".)
import type { FastifyInstance } from 'fastify';
import { authorize } from '../access/access.ts';
import { ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { setFlash } from '../web/flash.ts';
import { CsrfField, errorsByField, formFields, TextArea, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx, checkCsrf, requireSession } from '../web/web.tsx';
import { createClient } from './client.service.ts';

function NewClientPage({ shell, values, errors }: { shell: Shell; values: Record<string, string>; errors: FieldErrors }) {
  return (
    <AppPage title="Add a client" shell={shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">Add a client</h1>
        <form method="post" action="/clients/new" novalidate>
          <CsrfField token={shell.session.csrfToken} />
          <TextField name="name" label="Client name" value={values.name} error={errors.name} required autofocus />
          <TextField name="website" label="Website" value={values.website} error={errors.website} />
          <TextArea name="notes" label="Notes" value={values.notes} error={errors.notes} />
          <button class="btn btn-primary" type="submit">Add client</button>
        </form>
      </div>
    </AppPage>
  );
}

export function registerClientPages(app: FastifyInstance, store: Store): void {
  app.get('/clients/new', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    authorize(session.principal, 'client', 2);
    const ctx = baseCtx(store, request);
    return sendPage(reply, <NewClientPage shell={await loadShell(ctx, session, request, reply)} values={{}} errors={{}} />);
  });

  app.post('/clients/new', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session || !checkCsrf(request, reply, session.csrfToken)) return reply;
    authorize(session.principal, 'client', 2);
    const ctx = baseCtx(store, request);
    const values = formFields(request.body);
    if (!session.principal.isAdmin && session.principal.allow !== null) {
      setFlash(reply, { kind: 'danger', text: 'A user limited to some clients cannot add clients.' });
      return reply.redirect('/assets', 303);
    }
    try {
      const client = await createClient(ctx, { name: values.name, website: values.website, notes: values.notes });
      setFlash(reply, { kind: 'success', text: `${client.name} added. Now add its first asset.` });
      return reply.redirect(`/clients/${client.id}/assets`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(reply, <NewClientPage shell={await loadShell(ctx, session, request, reply)} values={values} errors={errorsByField(error.issues)} />, 422);
    }
  });
}
