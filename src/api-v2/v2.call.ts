// What a v2 route gets once the plugin's hook has authenticated the request: the acting principal and
// its context. Apart from the plugin so routes can read it without importing the plugin that registers them.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';

export interface V2Call {
  ctx: Ctx;
  principal: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    v2: V2Call | null;
  }
}

/** The authenticated call; routes run only after the hook has set it. */
export function v2Call(request: FastifyRequest): V2Call {
  return request.v2!;
}
