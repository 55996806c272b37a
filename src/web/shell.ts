// Loads what the app shell shows on every page: the company name and the clients the user may see.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientScope, clientScopeFilter } from '../access/access.ts';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import { getSetting } from '../settings/setting.service.ts';
import { takeFlash } from './flash.ts';
import { unreadCount } from '../notifications/notification.service.ts';
import type { Shell } from './layout.tsx';

export async function loadShell(
  ctx: Ctx,
  session: WebSession,
  request: FastifyRequest,
  reply: FastifyReply,
  currentClientId: number | null = null,
): Promise<Shell> {
  const [companyName, clients, unread] = await Promise.all([
    getSetting(ctx, 'company.name', ''),
    visibleClients(ctx, session),
    unreadCount(ctx, session.principal),
  ]);
  return { session, companyName, clients, currentClientId, flash: takeFlash(request, reply), unread };
}

/** Active clients the user may see, by name. */
export async function visibleClients(ctx: Ctx, session: WebSession): Promise<Array<{ id: number; name: string }>> {
  return ctx.db
    .selectFrom('clients')
    .select(['id', 'name'])
    .where('archived_at', 'is', null)
    .where(clientScopeFilter(clientScope(session.principal), 'id'))
    .orderBy('name')
    .execute();
}
