// The audit log as the viewer shows it: newest first, filtered by action, outcome, actor and dates.
import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { escapeLike, likePattern } from '../platform/db/like.ts';
import { addDays, isCalendarDay } from '../platform/dates.ts';

export interface AuditFilters {
  action: string;
  outcome: 'success' | 'failure' | '';
  actor: string;
  from: string;
  to: string;
  page: number;
}

export interface AuditEntry {
  id: number;
  createdAt: string;
  action: string;
  outcome: string;
  actorName: string | null;
  ip: string | null;
  entity: string | null;
  details: string | null;
}

export const AUDIT_PAGE = 100;

export async function readAuditLog(ctx: Ctx, f: AuditFilters): Promise<{ entries: AuditEntry[]; more: boolean; actions: string[] }> {
  let q = ctx.db.selectFrom('audit_log').select(['id', 'created_at', 'action', 'outcome', 'actor_name', 'ip', 'entity_type', 'entity_id', 'details']);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.actor) q = q.where(likePattern(sql`lower(coalesce(actor_name, ''))`, `%${escapeLike(f.actor.toLowerCase())}%`));
  if (isCalendarDay(f.from)) q = q.where('created_at', '>=', f.from);
  if (isCalendarDay(f.to)) q = q.where('created_at', '<', addDays(f.to, 1));
  const [rows, actions] = await Promise.all([
    q
      .orderBy('id', 'desc')
      .limit(AUDIT_PAGE + 1)
      .offset((f.page - 1) * AUDIT_PAGE)
      .execute(),
    ctx.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
  ]);
  return {
    more: rows.length > AUDIT_PAGE,
    actions: actions.map((a) => a.action),
    entries: rows.slice(0, AUDIT_PAGE).map((r) => ({
      id: r.id,
      createdAt: String(r.created_at),
      action: r.action,
      outcome: r.outcome,
      actorName: r.actor_name,
      ip: r.ip,
      entity: r.entity_type ? `${r.entity_type} ${r.entity_id ?? ''}`.trim() : null,
      details: r.details === null ? null : typeof r.details === 'string' ? r.details : JSON.stringify(r.details),
    })),
  };
}
