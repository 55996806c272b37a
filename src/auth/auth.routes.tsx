// First-run setup, sign-in and sign-out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countUsers, createUser, hashPassword, verifyPassword } from '../accounts/user.service.ts';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction } from '../platform/context.ts';
import { ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { setSetting } from '../settings/setting.service.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { errorsByField, formFields, type FieldErrors } from '../web/forms.tsx';
import { sendPage } from '../web/render.ts';
import { cookieOptions } from '../web/site.ts';
import { baseCtx, safeNext, SESSION_COOKIE } from '../web/web.tsx';
import { preSessionCsrf } from '../web/guards.ts';
import { SetupPage, SignInPage } from './auth.views.tsx';
import { claimSetup, lostToAnotherSetup } from './setup.service.ts';
import { findSignInUser } from './sign-in.query.ts';
import { usesTwoFactor } from './two-factor.service.ts';
import { endSession, startSession, ABSOLUTE_MS } from './session.service.ts';
import { describeWait, guardPasswordAttempt, rememberSignInAddress } from './sign-in-guard.service.ts';

/** Reached without signing in; their forms carry the form cookie's token (guards.ts). */
const PUBLIC = { config: { access: 'public' as const } };
/** Signing out works for a sign-in still waiting for its second factor too. */
const PENDING = { config: { access: 'pending' as const } };

export function registerAuthRoutes(app: FastifyInstance, store: Store): void {
  app.get('/', PUBLIC, async (request, reply) => {
    if (request.session) return reply.redirect('/assets');
    if ((await countUsers(baseCtx(store, request))) === 0) return reply.redirect('/setup');
    return reply.redirect('/sign-in');
  });

  app.get('/setup', PUBLIC, async (request, reply) => {
    if ((await countUsers(baseCtx(store, request))) > 0) return reply.redirect('/sign-in');
    return sendPage(reply, <SetupPage csrf={preSessionCsrf(request, reply)} values={{}} errors={{}} />);
  });

  app.post('/setup', PUBLIC, async (request, reply) => {
    const form = formFields(request.body);
    const values = { company: form.company, name: form.name, email: form.email };
    const errors: FieldErrors = {};
    const company = (form.company ?? '').trim();
    if (!company) errors.company = 'Required';
    else if (company.length > 200) errors.company = 'Company name must be at most 200 characters.';
    if ((form.password ?? '') !== (form.password_confirm ?? '')) errors.password_confirm = 'The two passwords differ.';
    const ctx = baseCtx(store, request);
    try {
      const user = await inTransaction(ctx, async (trx) => {
        // Only one setup ever gets past this (setup.service.ts).
        await claimSetup(trx);
        const created = await createUser(trx, { email: form.email, name: form.name, password: form.password, role: 'admin', company }).catch((e: unknown) => {
          if (e instanceof ValidationError) Object.assign(errors, { ...errorsByField(e.issues), ...errors });
          throw e;
        });
        if (Object.keys(errors).length) throw new ValidationError([]);
        await setSetting(trx, 'company.name', company);
        await recordAudit(
          { ...trx, actor: { type: 'user', userId: created.id, name: created.name } },
          { action: 'setup.completed', entityType: 'user', entityId: created.id },
        );
        return created;
      });
      await signIn(reply, store, request, user.id);
      setFlash(reply, { kind: 'success', text: `Welcome, ${user.name}. Steward is ready: here is what to do first.` });
      return reply.redirect('/welcome', 303);
    } catch (error) {
      if (lostToAnotherSetup(error)) return reply.redirect('/sign-in');
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(reply, <SetupPage csrf={preSessionCsrf(request, reply)} values={values} errors={errors} />, 422);
    }
  });

  app.get('/sign-in', PUBLIC, async (request, reply) => {
    if (request.session) return reply.redirect(safeNext((request.query as { next?: string }).next));
    const next = (request.query as { next?: string }).next;
    return sendPage(reply, <SignInPage csrf={preSessionCsrf(request, reply)} next={next ? safeNext(next) : undefined} flash={takeFlash(request, reply)} />);
  });

  app.post('/sign-in', PUBLIC, async (request, reply) => {
    const form = formFields(request.body);
    const email = (form.email ?? '').trim().toLowerCase();
    const next = form.next ? safeNext(form.next) : undefined;
    const page = (error: string, status: number) =>
      sendPage(reply, <SignInPage csrf={preSessionCsrf(request, reply)} email={email} next={next} error={error} />, status);
    const ctx = baseCtx(store, request);
    const user = await findSignInUser(ctx, email);
    const attempt = await guardPasswordAttempt(ctx, email, user?.id ?? null, request.ip);
    if (attempt.refusedForMs > 0) {
      reply.header('retry-after', Math.ceil(attempt.refusedForMs / 1000));
      return page(`Too many failed sign-ins. Try again in ${describeWait(attempt.refusedForMs)}.`, 429);
    }
    // The hash is checked even for an unknown email, so the answer takes as long either way.
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), form.password ?? '').catch(() => false);
    if (!user || !ok || user.status !== 'active' || user.archived_at) {
      await recordAudit(ctx, {
        action: 'user.sign_in_failed',
        outcome: 'failure',
        entityType: 'user',
        entityId: user?.id ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        details: { email },
      });
      return page(user && ok ? 'This account is disabled. Ask an administrator.' : 'Wrong email or password.', 401);
    }
    await attempt.succeeded();
    if (await usesTwoFactor(ctx, user.id)) {
      await signIn(reply, store, request, user.id, false);
      return reply.redirect(`/sign-in/code${next ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
    }
    await rememberSignInAddress(ctx, user.id, request.ip);
    await signIn(reply, store, request, user.id);
    return reply.redirect(next ?? '/assets', 303);
  });

  app.post('/sign-out', PENDING, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = request.session ?? request.pendingSession;
    if (session) {
      await endSession(baseCtx(store, request), token!);
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions(reply));
    setFlash(reply, { kind: 'info', text: 'You are signed out.' });
    return reply.redirect('/sign-in');
  });
}

// A hash of a random password, made once, checked against when the email is unknown.
let dummyHash: Promise<string> | null = null;

async function signIn(reply: FastifyReply, store: Store, request: FastifyRequest, userId: number, secondFactorDone = true): Promise<void> {
  const ctx = baseCtx(store, request);
  const token = await startSession(ctx, userId, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null }, secondFactorDone);
  // Secure when users reach Steward over https (STEWARD_PUBLIC_URL), or the request itself came over it.
  const options = cookieOptions(reply, { httpOnly: true, sameSite: 'lax', maxAge: Math.floor(ABSOLUTE_MS / 1000) });
  reply.setCookie(SESSION_COOKIE, token, request.protocol === 'https' ? { ...options, secure: true } : options);
}
