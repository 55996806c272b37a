// The audit log: sign-ins, key use, exports, secret reveals, permission failures. Separate from the
// asset history, and purged by retention; the purge never touches asset history.
import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { getSetting, setSetting } from '../settings/setting.service.ts';

export interface AuditEntryInput {
  action: string;
  outcome?: 'success' | 'failure';
  clientId?: number | null;
  entityType?: string | null;
  entityId?: number | null;
  userAgent?: string | null;
  details?: Record<string, unknown> | null;
}

const RETENTION_KEY = 'audit.retention_days';

export async function recordAudit(ctx: Ctx, entry: AuditEntryInput): Promise<void> {
  const actor = ctx.actor;
  await ctx.db
    .insertInto('audit_log')
    .values({
      created_at: nowIso(ctx),
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      actor_user_id: actor.type === 'system' ? null : actor.userId,
      actor_api_key_id: actor.type === 'api_key' ? actor.apiKeyId : null,
      actor_name: actor.name,
      client_id: entry.clientId ?? null,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      ip: ctx.ip ?? null,
      user_agent: entry.userAgent?.slice(0, 255) ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}

export async function auditRetentionDays(ctx: Ctx): Promise<number> {
  return getSetting(ctx, RETENTION_KEY, 90);
}

export async function setAuditRetentionDays(ctx: Ctx, days: unknown): Promise<void> {
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) {
    const issues = new IssueList();
    issues.add('retentionDays', 'invalid', `"${String(days)}" is not a number of days from 1 to 36500`);
    issues.throwIfAny();
  }
  await setSetting(ctx, RETENTION_KEY, n);
}

/** Deletes audit entries older than the retention period; returns how many. */
export async function purgeAuditLog(ctx: Ctx): Promise<number> {
  const days = await auditRetentionDays(ctx);
  const now = ctx.now ? ctx.now() : new Date();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const result = await ctx.db.deleteFrom('audit_log').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
