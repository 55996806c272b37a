// What every web page shares: cookies, static files served from npm packages (no CDN: Steward runs on
// closed networks), security headers, the signed-in session on each request, and the guards (sign-in,
// administrators, CSRF on every form: guards.ts) on every route.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSession, type WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { answerFor } from '../platform/http/error-policy.ts';
import { safeRedirect } from './safe-redirect.ts';
import { noteActor } from '../platform/http/observability.ts';
import { sendPage } from './render.ts';
import { ErrorPage } from './layout.tsx';
import { registerGuards, signedInSession } from './guards.ts';

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
      answer.status === 403
        ? `You do not have permission for this: ${answer.message}.`
        : answer.status === 404
          ? 'There is no such page or record, or it belongs to a client you do not have access to.'
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
    if (!isWebRequest(request)) return;
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await findSession(baseCtx(store, request), token) : null;
    if (session?.secondFactorDone) request.session = session;
    else if (session) request.pendingSession = session;
    if (session) noteActor(request, { user: session.userId });
  });
  registerGuards(app, isWebRequest);
}

/** Pages and forms: not the APIs (which have their own keys), static files or the probes. */
function isWebRequest(request: FastifyRequest): boolean {
  return !(request.url.startsWith('/static/') || request.url.startsWith('/api/') || PROBES.has(request.url.split('?')[0]!));
}

/** A context for a web request, acting as the signed-in user (or as the system before sign-in). */
export function baseCtx(store: Store, request: FastifyRequest): Ctx {
  const session = request.session;
  return {
    db: store.db,
    dialect: store.dialect,
    actor: session ? { type: 'user', userId: session.userId, name: session.userName } : { type: 'system', name: 'web' },
    principal: session?.principal ?? null,
    source: 'web',
    ip: request.ip,
  };
}

/** A local path to return to after signing in; anything else (other sites) becomes the asset list. */
export function safeNext(next: unknown): string {
  return safeRedirect(next, '/assets');
}

/** A signed-in request's session and a context acting as its user (the guards let no one else through). */
export function signedInRequest(store: Store, request: FastifyRequest): { session: WebSession; ctx: Ctx } {
  return { session: signedInSession(request), ctx: baseCtx(store, request) };
}
