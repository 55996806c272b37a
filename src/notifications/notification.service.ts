// A user's notifications: listed newest first, only for clients the user may (still) see; read and
// dismissed one by one or all at once.
import { clientScope, clientScopeFilter, type Principal } from '../access/access.ts';
import { nowIso, type Ctx } from '../platform/context.ts';

export interface Notification {
  id: number;
  title: string;
  assetId: number | null;
  clientId: number | null;
  createdAt: string;
  read: boolean;
}

// A notice about the user's own account has no client, and is always theirs to see.
const mine = (ctx: Ctx, principal: Principal) =>
  ctx.db
    .selectFrom('notifications')
    .where('user_id', '=', principal.userId)
    .where('dismissed_at', 'is', null)
    .where((eb) => eb.or([eb('client_id', 'is', null), clientScopeFilter(clientScope(principal), 'client_id')]));

export async function listNotifications(ctx: Ctx, principal: Principal, limit = 100): Promise<Notification[]> {
  const rows = await mine(ctx, principal)
    .select(['id', 'title', 'asset_id', 'client_id', 'created_at', 'read_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, assetId: r.asset_id, clientId: r.client_id, createdAt: r.created_at, read: r.read_at !== null }));
}

export async function unreadCount(ctx: Ctx, principal: Principal): Promise<number> {
  const row = await mine(ctx, principal)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one notification (or, without an id, all of them) read or dismissed; only the user's own. */
export async function markNotifications(ctx: Ctx, principal: Principal, action: 'read' | 'dismiss', id: number | null): Promise<number> {
  let q = ctx.db
    .updateTable('notifications')
    .set(action === 'read' ? { read_at: nowIso(ctx) } : { dismissed_at: nowIso(ctx) })
    .where('user_id', '=', principal.userId)
    .where('dismissed_at', 'is', null);
  if (action === 'read') q = q.where('read_at', 'is', null);
  if (id !== null) q = q.where('id', '=', id);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Notices about the user's own account rather than a client's asset. */
export type AccountNoticeKind = 'second_factor_locked';

/**
 * Tells a user something about their own account (a security event): a notification that belongs
 * to no client or asset, so it carries no alert days or due date either.
 */
export async function notifyAccountHolder(ctx: Ctx, userId: number, kind: AccountNoticeKind, title: string): Promise<void> {
  await ctx.db
    .insertInto('notifications')
    .values({ user_id: userId, client_id: null, asset_id: null, kind, days_before: null, due_date: null, title: title.slice(0, 300), created_at: nowIso(ctx) })
    .execute();
}
