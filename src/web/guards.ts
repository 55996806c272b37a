// Who may reach a web page or form, decided by two hooks for every route instead of by each handler, so a
// new page cannot forget it:
// - onRequest, before any body is read: a route is for signed-in users unless its `access` says
//   otherwise; anyone else is sent to the sign-in page, and an administrators' route answers 403 to
//   everyone who is not one; a user whose password an administrator reset is sent to choose a new one
//   (CHOOSE_PASSWORD_PATH) from every page but that one and signing out;
// - preHandler, once the form is parsed: every POST/PUT/PATCH/DELETE must carry the CSRF token of the
//   session it acts in (form field `_csrf` or header `x-csrf-token`), or, on the forms shown before
//   anyone is signed in, the token of the same-site form cookie (double submit).
// An upload form is multipart and its fields are read by the handler as they stream in: the route says
// `csrfInUpload`, and readUploadToken() refuses the upload before any file is stored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebSession } from '../auth/session.service.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { cookieOptions } from './site.ts';

/**
 * - `user` (the default): a signed-in user;
 * - `admin`: a signed-in administrator;
 * - `pending`: a sign-in that may still wait for its second factor (the code step, signing out);
 * - `public`: anyone (the landing redirect, first-run setup, the sign-in form).
 */
export type Access = 'user' | 'admin' | 'pending' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A multipart upload form: its token is a field, checked by readUploadToken() before the file. */
    csrfInUpload?: boolean;
    /** Reachable by a user who must choose a new password (after a reset), when every other page is not. */
    choosesPassword?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_COOKIE = 'steward_form';

/** Marks every route registered in `scope` (a plugin of its own) as one for administrators. */
export function administratorsOnly(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), access: 'admin' };
  });
}

/**
 * Adds the guards. `isWebRoute` tells the requests they apply to (not the APIs, static files or
 * probes, which have guards of their own or need none).
 */
export function registerGuards(app: FastifyInstance, isWebRoute: (request: FastifyRequest) => boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.url || !isWebRoute(request)) return;
    const access = request.routeOptions.config.access ?? 'user';
    if (access === 'public' || access === 'pending') return;
    if (!request.session) return sendToSignIn(request, reply);
    if (request.session.mustChangePassword && !request.routeOptions.config.choosesPassword) return sendToChoosePassword(request, reply);
    if (access === 'admin' && !request.session.principal.isAdmin) {
      throw new ForbiddenError(`${request.session.principal.name} is not an administrator`);
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || !request.routeOptions.url || !isWebRoute(request)) return;
    const config = request.routeOptions.config;
    if (
      String(request.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('multipart/')
    ) {
      if (config.csrfInUpload) return;
      refuseForm(reply);
      return reply;
    }
    const access = config.access ?? 'user';
    if (access === 'public') {
      const cookieToken = request.cookies[FORM_COOKIE];
      if (!cookieToken) {
        reply.code(403).type('text/plain; charset=utf-8').send('This form has expired. Go back, reload the page and try again (cookies must be allowed).');
        return reply;
      }
      if (!csrfMatches(sentToken(request), cookieToken)) return refuseForm(reply);
      return;
    }
    const session = request.session ?? (access === 'pending' ? request.pendingSession : null);
    // A pending-access form without any session has nothing to protect: its handler sends the user on.
    if (!session) return;
    if (!csrfMatches(sentToken(request), session.csrfToken)) return refuseForm(reply);
  });
}

/** The session of a route the guards let through only signed in (every route but `public`/`pending` ones). */
export function signedInSession(request: FastifyRequest): WebSession {
  if (!request.session) throw new Error(`${request.method} ${request.routeOptions.url} reached its handler without a session`);
  return request.session;
}

function sendToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  if (request.headers['hx-request']) return reply.header('hx-redirect', `/sign-in${next}`).code(401).send('');
  return reply.redirect(`/sign-in${next}`);
}

/** Where a user whose password an administrator reset chooses a new one; nothing else opens until then. */
export const CHOOSE_PASSWORD_PATH = '/account/password';

function sendToChoosePassword(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.headers['hx-request']) return reply.header('hx-redirect', CHOOSE_PASSWORD_PATH).code(403).send('');
  return reply.redirect(CHOOSE_PASSWORD_PATH, 303);
}

function sentToken(request: FastifyRequest): unknown {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return typeof body._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
}

/** Compares a sent token with the expected one in constant time. */
export function csrfMatches(sent: unknown, expected: string): boolean {
  const a = Buffer.from(typeof sent === 'string' ? sent : '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** For an upload form's handler: whether the token field read so far is the session's. */
export function uploadTokenMatches(request: FastifyRequest, fields: Record<string, string>): boolean {
  const session = request.session;
  return !!session && csrfMatches(fields._csrf ?? request.headers['x-csrf-token'], session.csrfToken);
}

export function refuseForm(reply: FastifyReply): FastifyReply {
  return reply.code(403).type('text/plain; charset=utf-8').send('This form has expired or did not come from Steward. Go back, reload the page and try again.');
}

/**
 * For forms shown before anyone is signed in (setup, sign-in): a random token in a same-site cookie
 * that the form must echo (double submit), so another site cannot post them in the user's name.
 */
export function preSessionCsrf(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[FORM_COOKIE];
  if (existing && /^[\w-]{32}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(FORM_COOKIE, token, cookieOptions(reply, { httpOnly: true, sameSite: 'strict' }));
  return token;
}
