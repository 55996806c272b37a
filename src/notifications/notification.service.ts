// A user's notifications: listed newest first, only for clients the user may (still) see; read and
// dismissed one by one or all at once.
import { clientScope, clientScopeFilter, type Principal } from '../access/access.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { EXPIRED_WARRANTIES_HREF } from './warranty-alerts.ts';

export interface Notification {
  id: number;
  title: string;
  assetId: number | null;
  clientId: number | null;
  /** Where it leads: its asset, or for a warranty digest the list of expired warranties; null for none. */
  href: string | null;
  createdAt: string;
  read: boolean;
}

/** A page of the notifications list. */
export interface NotificationPage {
  items: Notification[];
  page: number;
  pageSize: number;
  total: number;
  unread: number;
}

export const NOTIFICATIONS_PER_PAGE = 50;

// A notice about the user's own account has no client, and is always theirs to see.
const mine = (ctx: Ctx, principal: Principal) =>
  ctx.db
    .selectFrom('notifications')
    .where('user_id', '=', principal.userId)
    .where('dismissed_at', 'is', null)
    .where((eb) => eb.or([eb('client_id', 'is', null), clientScopeFilter(clientScope(principal), 'client_id')]));

export async function listNotifications(ctx: Ctx, principal: Principal, limit = 100, offset = 0): Promise<Notification[]> {
  const rows = await mine(ctx, principal)
    .select(['id', 'title', 'kind', 'asset_id', 'client_id', 'created_at', 'read_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    assetId: r.asset_id,
    clientId: r.client_id,
    href:
      r.asset_id !== null
        ? `/assets/${r.asset_id}`
        : r.kind === 'warranty_digest'
          ? EXPIRED_WARRANTIES_HREF
          : r.kind === 'webhook_disabled'
            ? '/admin/webhooks'
            : null,
    createdAt: r.created_at,
    read: r.read_at !== null,
  }));
}

/** Page `page` (from 1; past the last, the last) of the user's notifications, newest first. */
export async function notificationPage(ctx: Ctx, principal: Principal, page: number, pageSize = NOTIFICATIONS_PER_PAGE): Promise<NotificationPage> {
  const counts = await mine(ctx, principal)
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('read_at').as('read')])
    .executeTakeFirstOrThrow();
  const total = Number(counts.total);
  const shown = Math.min(Math.max(1, page), Math.max(1, Math.ceil(total / pageSize)));
  const items = total === 0 ? [] : await listNotifications(ctx, principal, pageSize, (shown - 1) * pageSize);
  return { items, page: shown, pageSize, total, unread: total - Number(counts.read) };
}

export async function unreadCount(ctx: Ctx, principal: Principal): Promise<number> {
  const row = await mine(ctx, principal)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Marks one notification (or, without an id, all of them) read or dismissed; only the user's own. All
 * of them is one statement, however many there are.
 */
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
export type AccountNoticeKind = 'second_factor_locked' | 'webhook_disabled';

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
