// The gate of every administration page: a signed-in administrator (others get a 403), and on a form
// post a valid CSRF token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { baseCtx, checkCsrf, requireSession } from '../web/web.tsx';

export type AdminRequest = { session: WebSession; ctx: Ctx };

export function adminGate(store: Store) {
  return (request: FastifyRequest, reply: FastifyReply, post = false): AdminRequest | null => {
    const session = requireSession(request, reply);
    if (!session) return null;
    if (!session.principal.isAdmin) throw new ForbiddenError(`${session.principal.name} is not an administrator`);
    if (post && !checkCsrf(request, reply, session.csrfToken)) return null;
    return { session, ctx: baseCtx(store, request) };
  };
}
