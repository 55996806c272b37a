// The user's own password: changed from the user menu, or chosen after an administrator's reset (the
// guards send such a user here from every other page: the route says `choosesPassword`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeOwnPassword } from '../accounts/password.service.ts';
import { ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { errorsByField, formFields, type FieldErrors } from '../web/forms.tsx';
import { CHOOSE_PASSWORD_PATH } from '../web/guards.ts';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { ChangePasswordPage, ChoosePasswordPage } from './password.views.tsx';

const CHOOSES_PASSWORD = { config: { choosesPassword: true } };

export function registerPasswordRoutes(app: FastifyInstance, store: Store): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors, status = 200) => {
    const { session, ctx } = signedInRequest(store, request);
    if (session.mustChangePassword)
      return sendPage(reply, <ChoosePasswordPage csrf={session.csrfToken} name={session.userName} errors={errors} flash={takeFlash(request, reply)} />, status);
    return sendPage(reply, <ChangePasswordPage shell={await loadShell(ctx, session, request, reply)} errors={errors} />, status);
  };

  app.get(CHOOSE_PASSWORD_PATH, CHOOSES_PASSWORD, async (request, reply) => page(request, reply, {}));

  app.post(CHOOSE_PASSWORD_PATH, CHOOSES_PASSWORD, async (request, reply) => {
    const { session, ctx } = signedInRequest(store, request);
    const form = formFields(request.body);
    try {
      const { forced } = await changeOwnPassword(
        ctx,
        {
          current: session.mustChangePassword ? undefined : (form.current_password ?? ''),
          password: form.password ?? '',
          confirm: form.password_confirm ?? '',
        },
        session.id,
      );
      if (forced) {
        setFlash(reply, { kind: 'success', text: 'Your new password is saved. Welcome back.' });
        return reply.redirect('/assets', 303);
      }
      setFlash(reply, { kind: 'success', text: 'Your password is changed. Your other sessions are signed out.' });
      return reply.redirect(CHOOSE_PASSWORD_PATH, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return page(request, reply, errorsByField(error.issues), 422);
    }
  });
}
