// The code step of signing in, and each user's own two-factor setup.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { FailureThrottle } from '../access/failure-throttle.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { setFlash } from '../web/flash.ts';
import { formFields } from '../web/forms.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx, safeNext } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import { afterWrongCode, codeAttempt, codeStepLockedForMs } from './second-factor-guard.service.ts';
import { completeSecondFactor } from './session.service.ts';
import { describeWait, rememberSignInAddress } from './sign-in-guard.service.ts';
import { checkSecondFactor, disableTwoFactor, enableTwoFactor, newTotpSecret, passwordConfirms, totpUri, twoFactorStatus } from './two-factor.service.ts';
import { CodePage, TwoFactorPage } from './two-factor.views.tsx';

export function registerTwoFactorRoutes(app: FastifyInstance, store: Store, secretBox: () => SecretBox): void {
  // Six digits are guessable with enough tries: five wrong codes per session, then sign in again; and
  // ten per user across sessions lock the code step (see second-factor-guard.service.ts).
  const wrongCodes = new FailureThrottle('second_factor_session', 5, 15 * 60_000);

  const pending = (request: FastifyRequest) => request.pendingSession;

  app.get('/sign-in/code', { config: { access: 'pending' } }, async (request, reply) => {
    const session = pending(request);
    if (!session) return reply.redirect(request.session ? '/assets' : '/sign-in');
    const next = (request.query as { next?: string }).next;
    return sendPage(reply, <CodePage csrf={session.csrfToken} next={next ? safeNext(next) : undefined} />);
  });

  app.post('/sign-in/code', { config: { access: 'pending' } }, async (request, reply) => {
    const session = pending(request);
    if (!session) return reply.redirect('/sign-in');
    const form = formFields(request.body);
    const next = form.next ? safeNext(form.next) : undefined;
    const page = (error: string, status: number) => sendPage(reply, <CodePage csrf={session.csrfToken} next={next} error={error} />, status);
    const attempt = await wrongCodes.attempt(store.db, session.id);
    if (attempt.refusedForMs > 0) return page('Too many wrong codes. Cancel, then sign in again.', 429);
    const ctx = { ...baseCtx(store, request), actor: { type: 'user' as const, userId: session.userId, name: session.userName } };
    const locked = async (ms: number) => {
      reply.header('retry-after', Math.ceil(ms / 1000));
      return page(`Too many wrong codes for this account: signing in is paused for ${describeWait(ms)}. Try again later.`, 429);
    };
    const lockedFor = await codeStepLockedForMs(ctx, session.userId);
    const forUser = lockedFor > 0 ? null : await codeAttempt(ctx, session.userId);
    if (!forUser || forUser.refusedForMs > 0) {
      // A refused code is not judged, so it counts as no wrong code in this session either.
      await attempt.succeeded();
      return locked(lockedFor || forUser!.refusedForMs);
    }
    const used = await checkSecondFactor(ctx, secretBox(), session.userId, form.code ?? '');
    if (!used || used === 'used') {
      await recordAudit(ctx, {
        action: 'user.second_factor_failed',
        outcome: 'failure',
        entityType: 'user',
        entityId: session.userId,
        userAgent: request.headers['user-agent'] ?? null,
        details: used ? { reason: 'code already used' } : null,
      });
      const lock = await afterWrongCode(ctx, session.userId, forUser);
      if (lock > 0) return locked(lock);
      return page(used ? 'That code was already used. Wait for the next code in your app.' : 'That code is not right.', 401);
    }
    await attempt.succeeded();
    await forUser.succeeded();
    await completeSecondFactor(ctx, session);
    await rememberSignInAddress(ctx, session.userId, request.ip);
    if (used === 'recovery')
      setFlash(reply, { kind: 'info', text: 'You signed in with a recovery code; it cannot be used again. Set up your app again if your phone is lost.' });
    return reply.redirect(next ?? '/assets', 303);
  });

  const page = async (request: FastifyRequest, extra: { codes?: string[]; error?: string; secret?: string }) => {
    const session = request.session!;
    const ctx = baseCtx(store, request);
    const status = await twoFactorStatus(ctx, session.userId);
    const secret = status.enabled ? undefined : (extra.secret ?? newTotpSecret());
    const setup = secret ? { secret, qrDataUrl: await QRCode.toDataURL(totpUri(secret, session.email), { margin: 1, width: 200 }) } : undefined;
    return { status, setup };
  };

  app.get('/account/two-factor', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const { status, setup } = await page(request, {});
    return sendPage(
      reply,
      <TwoFactorPage
        shell={await loadShell(ctx, session, request, reply)}
        enabled={status.enabled}
        recoveryCodesLeft={status.recoveryCodesLeft}
        setup={setup}
      />,
    );
  });

  app.post('/account/two-factor/enable', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const form = formFields(request.body);
    try {
      const codes = await enableTwoFactor(ctx, secretBox(), session.userId, form.secret ?? '', form.code ?? '');
      return sendPage(reply, <TwoFactorPage shell={await loadShell(ctx, session, request, reply)} enabled recoveryCodesLeft={codes.length} codes={codes} />);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const { status, setup } = await page(request, { secret: /^[A-Z2-7]{32}$/.test(form.secret ?? '') ? form.secret : undefined });
      return sendPage(
        reply,
        <TwoFactorPage
          shell={await loadShell(ctx, session, request, reply)}
          enabled={status.enabled}
          recoveryCodesLeft={status.recoveryCodesLeft}
          setup={setup}
          error={`Not turned on: ${error.issues.map((i) => i.message).join('; ')}.`}
        />,
        422,
      );
    }
  });

  app.post('/account/two-factor/disable', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    if (!(await passwordConfirms(ctx, session.userId, formFields(request.body).password ?? ''))) {
      const { status, setup } = await page(request, {});
      return sendPage(
        reply,
        <TwoFactorPage
          shell={await loadShell(ctx, session, request, reply)}
          enabled={status.enabled}
          recoveryCodesLeft={status.recoveryCodesLeft}
          setup={setup}
          error="That password is not right; two-factor sign-in stays on."
        />,
        401,
      );
    }
    await disableTwoFactor(ctx, session.userId);
    setFlash(reply, { kind: 'info', text: 'Two-factor sign-in is off.' });
    return reply.redirect('/account/two-factor', 303);
  });
}
