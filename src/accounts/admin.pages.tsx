// Administration in the web UI (administrators only): users with their roles, status, client limits
// two-factor and password resets, and API keys (created with the secret shown once, listed, revoked).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { setFlash } from '../web/flash.ts';
import { errorsByField, formFields, formList } from '../web/forms.tsx';
import { positiveInt } from '../web/params.ts';
import { sendPage } from '../web/render.ts';
import { adminGate } from './admin-guard.ts';
import { allClientChoices } from './admin.query.ts';
import { loadShell } from '../web/shell.ts';
import { ApiKeysView, EditUserView, NewUserView, UserListView } from './admin.views.tsx';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key.service.ts';
import { listRoles, listUsers, resetTwoFactor, setClientAccess, updateUser } from './user-admin.service.ts';
import { createUser } from './user.service.ts';
import { resetPassword } from './password.service.ts';

export function registerAdminPages(app: FastifyInstance, store: Store): void {
  const admin = adminGate(store);
  const userFor = async (ctx: Ctx, request: FastifyRequest) => {
    const id = positiveInt((request.params as { id: string }).id);
    const user = (await listUsers(ctx)).find((u) => u.id === id);
    if (!user) throw new NotFoundError('user', id ?? '');
    return user;
  };

  app.get('/admin', async (_request, reply) => reply.redirect('/admin/users'));

  app.get('/admin/users', async (request, reply) => {
    const s = admin(request);
    const [users, clients, shell] = await Promise.all([listUsers(s.ctx), allClientChoices(s.ctx), loadShell(s.ctx, s.session, request, reply)]);
    return sendPage(reply, <UserListView shell={shell} users={users} clients={clients} />);
  });

  app.get('/admin/users/new', async (request, reply) => {
    const s = admin(request);
    return sendPage(reply, <NewUserView shell={await loadShell(s.ctx, s.session, request, reply)} roles={await listRoles(s.ctx)} values={{}} errors={{}} />);
  });

  app.post('/admin/users/new', async (request, reply) => {
    const s = admin(request);
    const form = formFields(request.body);
    const roles = await listRoles(s.ctx);
    try {
      const role = roles.find((r) => String(r.id) === form.role);
      const user = await createUser(s.ctx, { name: form.name, email: form.email, password: form.password, role: role?.name ?? '' });
      setFlash(reply, { kind: 'success', text: `${user.name} added. Set the clients they may see below.` });
      return reply.redirect(`/admin/users/${user.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(
        reply,
        <NewUserView
          shell={await loadShell(s.ctx, s.session, request, reply)}
          roles={roles}
          values={{ ...form, password: '' }}
          errors={errorsByField(error.issues)}
        />,
        422,
      );
    }
  });

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const user = await userFor(s.ctx, request);
    const [roles, clients, shell] = await Promise.all([listRoles(s.ctx), allClientChoices(s.ctx), loadShell(s.ctx, s.session, request, reply)]);
    return sendPage(
      reply,
      <EditUserView shell={shell} user={user} roles={roles} clients={clients} values={{ name: user.name, ...values }} errors={errors} />,
      status,
    );
  };

  app.get('/admin/users/:id', async (request, reply) => {
    const s = admin(request);
    return editPage(request, reply, s, {}, {});
  });

  app.post('/admin/users/:id', async (request, reply) => {
    const s = admin(request);
    const user = await userFor(s.ctx, request);
    const form = formFields(request.body);
    try {
      await updateUser(s.ctx, user.id, { name: form.name, roleId: form.role, status: form.status });
      setFlash(reply, { kind: 'success', text: `${form.name} saved.` });
      return reply.redirect(`/admin/users/${user.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return editPage(request, reply, s, form, errorsByField(error.issues), 422);
    }
  });

  app.post('/admin/users/:id/clients', async (request, reply) => {
    const s = admin(request);
    const user = await userFor(s.ctx, request);
    const form = formFields(request.body);
    const pick = (mode: string) =>
      Object.entries(form)
        .filter(([k, v]) => /^client_\d+$/.test(k) && v === mode)
        .map(([k]) => Number(k.slice(7)));
    await setClientAccess(s.ctx, user.id, { allow: pick('allow'), deny: pick('deny') });
    setFlash(reply, { kind: 'success', text: `Client access of ${user.name} saved.` });
    return reply.redirect(`/admin/users/${user.id}`, 303);
  });

  app.post('/admin/users/:id/reset-two-factor', async (request, reply) => {
    const s = admin(request);
    const user = await userFor(s.ctx, request);
    await resetTwoFactor(s.ctx, user.id);
    setFlash(reply, { kind: 'success', text: `Two-factor sign-in of ${user.name} is off.` });
    return reply.redirect(`/admin/users/${user.id}`, 303);
  });

  app.post('/admin/users/:id/password', async (request, reply) => {
    const s = admin(request);
    const user = await userFor(s.ctx, request);
    const form = formFields(request.body);
    try {
      await resetPassword(s.ctx, user.id, { password: form.password ?? '', confirm: form.password_confirm ?? '' });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return editPage(request, reply, s, {}, errorsByField(error.issues), 422);
    }
    setFlash(reply, {
      kind: 'success',
      text: `Password of ${user.name} reset and their sessions ended. Give them the new password: they must choose their own when they sign in.`,
    });
    return reply.redirect(`/admin/users/${user.id}`, 303);
  });

  const keysPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    extra: {
      created?: { name: string; secret: string };
      values?: Record<string, string>;
      chosen?: { modules: string[]; clients: string[] };
      errors?: Record<string, string>;
    },
    status = 200,
  ) => {
    const [keys, users, clients, shell] = await Promise.all([
      listApiKeys(s.ctx),
      listUsers(s.ctx),
      allClientChoices(s.ctx),
      loadShell(s.ctx, s.session, request, reply),
    ]);
    // A page showing a secret is never cached.
    if (extra.created) reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <ApiKeysView
        shell={shell}
        keys={keys}
        users={users.filter((u) => u.status === 'active')}
        clients={clients}
        created={extra.created}
        values={extra.values ?? {}}
        chosen={extra.chosen ?? { modules: [], clients: [] }}
        errors={extra.errors ?? {}}
      />,
      status,
    );
  };

  app.get('/admin/api-keys', async (request, reply) => {
    const s = admin(request);
    return keysPage(request, reply, s, {});
  });

  app.post('/admin/api-keys', async (request, reply) => {
    const s = admin(request);
    const form = formFields(request.body);
    // Nothing ticked means "not limited"; the service refuses only a list it is given empty.
    const chosen = { modules: formList(request.body, 'modules'), clients: formList(request.body, 'clients') };
    try {
      const { secret } = await createApiKey(s.ctx, {
        userEmail: form.user,
        name: form.name,
        expiresOn: form.expires || null,
        readOnly: form.read_only === 'yes',
        modules: chosen.modules.length ? chosen.modules : null,
        clientIds: chosen.clients.length ? chosen.clients : null,
      });
      return keysPage(request, reply, s, { created: { name: form.name ?? '', secret } });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return keysPage(request, reply, s, { values: form, chosen, errors: errorsByField(error.issues) }, 422);
    }
  });

  app.post('/admin/api-keys/:id/revoke', async (request, reply) => {
    const s = admin(request);
    const id = positiveInt((request.params as { id: string }).id);
    if (!id) throw new NotFoundError('API key', '');
    await revokeApiKey(s.ctx, id);
    setFlash(reply, { kind: 'success', text: 'Key revoked.' });
    return reply.redirect('/admin/api-keys', 303);
  });
}
