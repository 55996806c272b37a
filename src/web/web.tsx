// What every web page shares: cookies, static files served from npm packages (no CDN: Steward runs on
// closed networks), security headers, the signed-in session on each request, and CSRF checks on
// every form. Feature folders add their pages with `webRoutes`.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { findSession, type WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { answerFor } from '../platform/http/error-policy.ts';
import { safeRedirect } from './safe-redirect.ts';
import { noteActor } from '../platform/http/observability.ts';
import { sendPage } from './render.ts';
import { cookieOptions } from './site.ts';
import { ErrorPage } from './layout.tsx';

export const SESSION_COOKIE = 'steward_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session (password and, where set up, second factor done). */
    session: WebSession | null;
    /** A session still waiting for its second factor. */
    pendingSession: WebSession | null;
  }
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * How every failure outside the APIs' own handlers is answered: an HTML page, or JSON under /api/. Set
 * before any route is registered, since a route keeps the handler in force when it was added.
 */
export function registerErrorPages(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const answer = answerFor(error, request);
    if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
    reply.code(answer.status);
    if (request.url.startsWith('/api/') || PROBES.has(request.url.split('?')[0]!)) {
      return reply.type('application/json; charset=utf-8').send({ message: answer.message, request_id: request.id });
    }
    const message =
      answer.status === 403 ? `You do not have permission for this: ${answer.message}.`
      : answer.status === 404 ? 'There is no such page or record, or it belongs to a client you do not have access to.'
      : answer.message;
    return sendPage(reply, <ErrorPage status={answer.status} message={message} />, answer.status);
  });
}

/** The operators' probes: no session is looked up for them, so they never depend on it. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export async function registerWeb(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // Served over plain HTTP on closed networks as often as behind TLS: HSTS only when the public
    // address (STEWARD_PUBLIC_URL) is https.
    strictTransportSecurity: app.site.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  const here = dirname(fileURLToPath(import.meta.url));
  await app.register(fastifyStatic, { root: join(here, 'public'), prefix: '/static/app/', maxAge: '1h' });
  await app.register(fastifyStatic, { root: join(packageDir('bootstrap'), 'dist'), prefix: '/static/bootstrap/', decorateReply: false, maxAge: '7d' });
  await app.register(fastifyStatic, { root: join(packageDir('htmx.org'), 'dist'), prefix: '/static/htmx/', decorateReply: false, maxAge: '7d' });

  // Pages and API answers carry a user's data (and the sign-in page a CSRF token): never kept by a
  // browser or proxy cache. Only the static files above are cacheable.
  app.addHook('onSend', async (request, reply) => {
    if (!reply.hasHeader('cache-control') && !request.url.startsWith('/static/')) reply.header('cache-control', 'no-store');
  });
  app.decorateRequest('session', null);
  app.decorateRequest('pendingSession', null);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/static/') || request.url.startsWith('/api/') || PROBES.has(request.url.split('?')[0]!)) return;
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await findSession(baseCtx(store, request), token) : null;
    if (session?.secondFactorDone) request.session = session;
    else if (session) request.pendingSession = session;
    if (session) noteActor(request, { user: session.userId });
  });
}

/** A context for a web request, acting as the signed-in user (or as the system before sign-in). */
export function baseCtx(store: Store, request: FastifyRequest): Ctx {
  const session = request.session;
  return {
    db: store.db,
    dialect: store.dialect,
    actor: session ? { type: 'user', userId: session.userId, name: session.userName } : { type: 'system', name: 'web' },
    source: 'web',
    ip: request.ip,
  };
}

/** The signed-in session, or a redirect to the sign-in page (which comes back here afterwards). */
export function requireSession(request: FastifyRequest, reply: FastifyReply): WebSession | null {
  if (request.session) return request.session;
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  if (request.headers['hx-request']) reply.header('hx-redirect', `/sign-in${next}`).code(401).send('');
  else reply.redirect(`/sign-in${next}`);
  return null;
}

/**
 * Refuses a state-changing request whose CSRF token (form field `_csrf` or header `x-csrf-token`)
 * does not match the session's. Answers 403 itself and returns false then.
 */
export function checkCsrf(request: FastifyRequest, reply: FastifyReply, expected: string): boolean {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const sent = typeof body._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
  if (csrfMatches(sent, expected)) return true;
  refuseForm(reply);
  return false;
}

/** For forms read by hand (file uploads): compares a sent token with the expected one in constant time. */
export function csrfMatches(sent: unknown, expected: string): boolean {
  const a = Buffer.from(typeof sent === 'string' ? sent : '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function refuseForm(reply: FastifyReply): void {
  reply.code(403).type('text/plain; charset=utf-8').send('This form has expired or did not come from Steward. Go back, reload the page and try again.');
}

const FORM_COOKIE = 'steward_form';

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

export function checkPreSessionCsrf(request: FastifyRequest, reply: FastifyReply): boolean {
  const cookieToken = request.cookies[FORM_COOKIE];
  if (!cookieToken) {
    reply.code(403).type('text/plain; charset=utf-8').send('This form has expired. Go back, reload the page and try again (cookies must be allowed).');
    return false;
  }
  return checkCsrf(request, reply, cookieToken);
}

/** A local path to return to after signing in; anything else (other sites) becomes the asset list. */
export function safeNext(next: unknown): string {
  return safeRedirect(next, '/assets');
}
