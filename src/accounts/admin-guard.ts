// The administration pages' request: the signed-in administrator and a context acting as them. The
// guards (web/guards.ts) already turned away everyone else before the handler; the check here stays as
// a second line, so a page moved out of the administrators' scope by mistake still refuses.
import type { FastifyRequest } from 'fastify';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { signedInSession } from '../web/guards.ts';
import { baseCtx } from '../web/web.tsx';

export type AdminRequest = { session: WebSession; ctx: Ctx };

export function adminGate(store: Store) {
  return (request: FastifyRequest): AdminRequest => {
    const session = signedInSession(request);
    if (!session.principal.isAdmin) throw new ForbiddenError(`${session.principal.name} is not an administrator`);
    return { session, ctx: baseCtx(store, request) };
  };
}
