// A client's logins in the web UI: list, add, edit, archive, restore, delete, link to an asset, and
// the secrets revealed only on request (audited, never cached) with the TOTP code shown live. Reading
// logins needs the credential module; changing them, write access to it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../access/access.ts';
import { loadClientFor } from '../access/record-access.ts';
import { linkLogin, unlinkLogin } from '../assets/asset-links.service.ts';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { setFlash } from '../web/flash.ts';
import { errorsByField, formFields } from '../web/forms.tsx';
import { ConfirmPage, BarePage } from '../web/layout.tsx';
import { positiveInt } from '../web/params.ts';
import { sendFragment, sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { listLogins, loadLoginFor, loginChoices } from './login.query.ts';
import { archiveLogin, createLogin, currentLoginCode, deleteLogin, restoreLogin, revealLoginSecrets, totpCodeNow, updateLogin } from './login.service.ts';
import { LoginDetailView, LoginFormView, LoginListView, LoginSecrets, TotpCode, type LoginRow, type Revealed } from './login.views.tsx';

const PAGE_SIZE = 50;

export function registerLoginPages(app: FastifyInstance, store: Store, secretBox: () => SecretBox): void {
  const signedIn = (request: FastifyRequest) => signedInRequest(store, request);
  const clientFor = (ctx: Ctx, raw: unknown, level: 1 | 2) => loadClientFor(ctx, 'credential', level, positiveInt(raw) ?? null);
  const loginFor = (ctx: Ctx, request: FastifyRequest, level: 1 | 2 | 3): Promise<LoginRow> =>
    loadLoginFor(ctx, positiveInt((request.params as { id?: string }).id) ?? null, level);

  app.get('/clients/:clientId/logins', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, (request.params as { clientId: string }).clientId, 1);
    const query = request.query as Record<string, string | undefined>;
    const q = (query.q ?? '').trim().slice(0, 200);
    const archived = query.archived === '1';
    const page = Math.max(1, positiveInt(query.page) ?? 1);
    const { rows, total } = await listLogins(s.ctx, client.id, { q, archived, page, pageSize: PAGE_SIZE });
    const shell = await loadShell(s.ctx, s.session, request, reply, client.id);
    return sendPage(
      reply,
      <LoginListView
        shell={shell}
        client={client}
        rows={rows}
        q={q}
        archived={archived}
        page={page}
        pageSize={PAGE_SIZE}
        total={total}
        canWrite={s.session.principal.levels.credential >= 2}
      />,
    );
  });

  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    clientId: number,
    login: LoginRow | null,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const [{ assets, contacts }, shell] = await Promise.all([loginChoices(s.ctx, clientId), loadShell(s.ctx, s.session, request, reply, clientId)]);
    return sendPage(
      reply,
      <LoginFormView shell={shell} clientId={clientId} login={login} values={values} errors={errors} assets={assets} contacts={contacts} />,
      status,
    );
  };
  const withoutSecrets = (f: Record<string, string>) => ({ ...f, username: '', password: '', otpSecret: '' });

  app.get('/clients/:clientId/logins/new', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, (request.params as { clientId: string }).clientId, 2);
    return form(request, reply, s, client.id, null, {}, {});
  });

  app.post('/clients/:clientId/logins/new', async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, (request.params as { clientId: string }).clientId, 2);
    const f = formFields(request.body);
    try {
      const created = await createLogin(s.ctx, secretBox(), {
        clientId: client.id,
        name: f.name,
        description: f.description,
        uri: f.uri,
        username: f.username,
        password: f.password,
        otpSecret: f.otpSecret,
        notes: f.notes,
        assetId: f.assetId || null,
        contactId: f.contactId || null,
      });
      setFlash(reply, { kind: 'success', text: `Login "${created.name}" added.` });
      return reply.redirect(`/logins/${created.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return form(request, reply, s, client.id, null, withoutSecrets(f), errorsByField(error.issues), 422);
    }
  });

  app.get('/logins/:id', async (request, reply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, 1);
    const [{ assets }, shell] = await Promise.all([loginChoices(s.ctx, login.client_id), loadShell(s.ctx, s.session, request, reply, login.client_id)]);
    const level = s.session.principal.levels.credential;
    return sendPage(
      reply,
      <LoginDetailView
        shell={shell}
        login={login}
        assets={assets.filter((a) => a.id !== login.asset_id)}
        canWrite={level >= 2}
        canDelete={level >= 3}
        canLink={level >= 2 && s.session.principal.levels.support >= 2}
      />,
    );
  });

  app.get('/logins/:id/edit', async (request, reply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, 2);
    const values = {
      name: login.name,
      description: login.description ?? '',
      uri: login.uri ?? '',
      notes: login.notes ?? '',
      contactId: login.contact_id ? String(login.contact_id) : '',
    };
    return form(request, reply, s, login.client_id, login, values, {});
  });

  app.post('/logins/:id/edit', async (request, reply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, 2);
    const f = formFields(request.body);
    try {
      await updateLogin(s.ctx, secretBox(), login.id, {
        name: f.name,
        description: f.description,
        uri: f.uri,
        notes: f.notes,
        contactId: f.contactId || null,
        username: f.username,
        password: f.password,
        otpSecret: f.otpSecret,
        clearOtp: f.clearOtp === '1',
      });
      setFlash(reply, { kind: 'success', text: 'Login saved.' });
      return reply.redirect(`/logins/${login.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return form(request, reply, s, login.client_id, login, withoutSecrets(f), errorsByField(error.issues), 422);
    }
  });

  const reveal = async (s: { session: WebSession; ctx: Ctx }, login: LoginRow): Promise<Revealed> => {
    const secrets = await revealLoginSecrets(s.ctx, secretBox(), login.id);
    return { username: secrets.username, password: secrets.password, code: secrets.otpSecret ? totpCodeNow(secrets.otpSecret) : null };
  };

  app.post('/logins/:id/reveal', async (request, reply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, 1);
    const secrets = await reveal(s, login);
    reply.header('cache-control', 'no-store');
    if (request.headers['hx-request']) return sendFragment(reply, <LoginSecrets loginId={login.id} name={login.name} secrets={secrets} />);
    return sendPage(
      reply,
      <BarePage title={`Login ${login.name}`}>
        <h1 class="h5">{login.name}</h1>
        <LoginSecrets loginId={login.id} name={login.name} secrets={secrets} />
        <a href={`/logins/${login.id}`}>Back</a>
      </BarePage>,
    );
  });

  // The next TOTP code for a page that already revealed the login (the reveal itself was audited).
  app.post('/logins/:id/code', async (request, reply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, 1);
    const code = await currentLoginCode(s.ctx, secretBox(), login.id);
    reply.header('cache-control', 'no-store');
    if (!code) return sendFragment(reply, <span class="small text-body-secondary">No TOTP key stored.</span>);
    return sendFragment(reply, <TotpCode loginId={login.id} name={login.name} code={code} />);
  });

  const state = (action: 'archive' | 'restore' | 'delete') => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, action === 'delete' ? 3 : 2);
    if (action === 'delete' && formFields(request.body).confirmed !== '1') {
      const shell = await loadShell(s.ctx, s.session, request, reply, login.client_id);
      return sendPage(
        reply,
        <ConfirmPage
          shell={shell}
          title={`Delete login ${login.name}?`}
          message="The login and its secrets are deleted for good."
          action={`/logins/${login.id}/delete`}
          fields={[]}
          cancelHref={`/logins/${login.id}`}
        />,
      );
    }
    if (action === 'archive') await archiveLogin(s.ctx, login.id);
    if (action === 'restore') await restoreLogin(s.ctx, login.id);
    if (action === 'delete') await deleteLogin(s.ctx, login.id);
    setFlash(reply, { kind: 'success', text: `Login "${login.name}" ${action === 'delete' ? 'deleted' : `${action}d`}.` });
    return reply.redirect(action === 'delete' ? `/clients/${login.client_id}/logins` : `/logins/${login.id}`, 303);
  };
  app.post('/logins/:id/archive', state('archive'));
  app.post('/logins/:id/restore', state('restore'));
  app.post('/logins/:id/delete', state('delete'));

  const link = (linking: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const login = await loginFor(s.ctx, request, 2);
    authorize(s.session.principal, 'support', 2, { clientId: login.client_id, entity: 'login', id: login.id });
    if (linking) {
      const target = positiveInt(formFields(request.body).target);
      if (!target) throw new NotFoundError('asset', '');
      await linkLogin(s.ctx, target, login.id);
    } else if (login.asset_id) {
      await unlinkLogin(s.ctx, login.asset_id, login.id);
    }
    setFlash(reply, { kind: 'success', text: linking ? 'Linked.' : 'Unlinked.' });
    return reply.redirect(`/logins/${login.id}`, 303);
  };
  app.post('/logins/:id/link', link(true));
  app.post('/logins/:id/unlink', link(false));
}
