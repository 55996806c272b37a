import { checkActingUserOnRecord } from '../access/record-access.ts';
import { mayCreateInClient } from '../access/access.ts';
import type { Updateable } from 'kysely';
import { canSeeClient, loadPrincipal } from '../access/access.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { nextCounterValue } from '../platform/db/counters.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalId, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import { emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import { linkTable } from '../assets/asset-linkage.ts';
import { linkTicket } from '../assets/asset-links.service.ts';
import type { TicketTable } from './ticket.table.ts';

export const TICKET_PRIORITIES = ['Low', 'Medium', 'High', 'Urgent'];
export const TICKET_STATUSES = ['New', 'Open', 'On Hold', 'Resolved', 'Closed'];
const PRIORITIES = TICKET_PRIORITIES;
const STATUSES = TICKET_STATUSES;

/** Statuses after which a ticket counts as resolved (ITFlow stamps ticket_resolved_at on both). */
const RESOLVED_STATUSES = ['Resolved', 'Closed'];

export interface NewTicket {
  clientId: Raw;
  subject: Raw;
  details?: Raw;
  priority?: Raw;
  status?: Raw;
  contactId?: Raw;
  /** A user of Steward who may see the ticket's client; blank or 0 for nobody. */
  assigneeUserId?: Raw;
  /** Assets of the same client to link the ticket to, each recorded in the asset's history. */
  assetIds?: Raw[];
}

export async function createTicket(ctx: Ctx, input: NewTicket): Promise<{ id: number; number: number }> {
  return inTransaction(ctx, async (ctx) => {
    const issues = new IssueList();
    const clientId = mayCreateInClient(ctx, issues, 'support', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
    const priority = pick(issues, 'priority', optionalText(issues, 'priority', input.priority, 20) ?? 'Low', PRIORITIES);
    const status = pick(issues, 'status', optionalText(issues, 'status', input.status, 50) ?? 'New', STATUSES);
    const values = {
      subject: requiredText(issues, 'subject', input.subject, 500),
      details: optionalText(issues, 'details', input.details, 1_000_000),
      contact_id: await sameClientRef(ctx, issues, 'contactId', input.contactId, 'contacts', 'contact', clientId),
      assignee_user_id: await assignee(ctx, issues, input.assigneeUserId, clientId),
    };
    const assetIds = new Set<number>();
    for (const raw of input.assetIds ?? []) {
      const assetId = await sameClientRef(ctx, issues, 'assetIds', raw, 'assets', 'asset', clientId);
      if (assetId !== null) assetIds.add(assetId);
    }
    issues.throwIfAny();
    const number = await nextCounterValue(ctx.db, 'ticket_number');
    const at = nowIso(ctx);
    const { id } = await ctx.db
      .insertInto('tickets')
      .values({
        ...values,
        client_id: clientId!,
        number,
        priority,
        status,
        created_at: at,
        closed_at: status === 'Closed' ? at : null,
        resolved_at: RESOLVED_STATUSES.includes(status) ? at : null,
        created_by_user_id: ctx.actor.type === 'system' ? null : ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const assetId of assetIds) await linkTicket(ctx, assetId, id);
    await emitRecordEvent(ctx, 'tickets', 'created', id);
    return { id, number };
  });
}

/** The user a ticket is assigned to: one who may sign in and see the ticket's client. */
async function assignee(ctx: Ctx, issues: IssueList, raw: Raw, clientId: number | null): Promise<number | null> {
  const userId = optionalId(issues, 'assigneeUserId', raw);
  if (userId === null || clientId === null) return null;
  const principal = await loadPrincipal(ctx, userId);
  if (!principal) issues.add('assigneeUserId', 'not_found', `user ${userId} does not exist`);
  else if (!canSeeClient(principal, clientId)) issues.add('assigneeUserId', 'not_allowed', `user ${userId} may not see this client`);
  return userId;
}

/**
 * Marks a ticket Resolved and stamps when; false, with nothing written, when it already was resolved
 * or closed. The check and the write are one statement, so two resolves at once cannot both succeed.
 */
export async function resolveTicket(ctx: Ctx, id: number): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'support', 2, 'tickets', 'ticket', id);
    const current = await ctx.db.selectFrom('tickets').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
    if (!current) throw new NotFoundError('ticket', id);
    const at = nowIso(ctx);
    const result = await ctx.db
      .updateTable('tickets')
      .set({ status: 'Resolved', resolved_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', 'not in', RESOLVED_STATUSES)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) await emitRecordEvent(ctx, 'tickets', 'updated', id, [{ field: 'status', old: current.status, new: 'Resolved' }]);
    return Number(result.numUpdatedRows) > 0;
  });
}

function pick(issues: IssueList, field: string, value: string, allowed: string[]): string {
  const found = allowed.find((v) => v.toLowerCase() === value.toLowerCase());
  if (!found) issues.add(field, 'unknown_value', `"${value}" is not one of ${allowed.join(', ')}`);
  return found ?? value;
}

export interface TicketInput {
  subject?: Raw;
  details?: Raw;
  priority?: Raw;
  status?: Raw;
  contactId?: Raw;
  /** A user of Steward who may see the ticket's client; blank or 0 for nobody. */
  assigneeUserId?: Raw;
}

/**
 * Changes the fields given (subject, details, priority, status, contact, assignee); the rest keep their values.
 * Closing stamps closed_at, resolving or closing stamps resolved_at; reopening clears them.
 */
export async function updateTicket(ctx: Ctx, id: number, input: TicketInput): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'support', 2, 'tickets', 'ticket', id);
    const current = await ctx.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new NotFoundError('ticket', id);
    const issues = new IssueList();
    const values: Updateable<TicketTable> = {};
    if (input.priority !== undefined) values.priority = pick(issues, 'priority', requiredText(issues, 'priority', input.priority, 20), PRIORITIES);
    if (input.status !== undefined) values.status = pick(issues, 'status', requiredText(issues, 'status', input.status, 50), STATUSES);
    if (input.subject !== undefined) values.subject = requiredText(issues, 'subject', input.subject, 500);
    if (input.details !== undefined) values.details = optionalText(issues, 'details', input.details, 1_000_000);
    if (input.contactId !== undefined)
      values.contact_id = await sameClientRef(ctx, issues, 'contactId', input.contactId, 'contacts', 'contact', current.client_id);
    if (input.assigneeUserId !== undefined) values.assignee_user_id = await assignee(ctx, issues, input.assigneeUserId, current.client_id);
    issues.throwIfAny();
    const at = nowIso(ctx);
    const status = values.status ?? current.status;
    const closedAt = status === 'Closed' ? (current.closed_at ?? at) : null;
    const resolvedAt = RESOLVED_STATUSES.includes(status) ? (current.resolved_at ?? at) : null;
    await ctx.db
      .updateTable('tickets')
      .set({ ...values, closed_at: closedAt, resolved_at: resolvedAt, updated_at: at })
      .where('id', '=', id)
      .execute();
    await emitRecordUpdate(ctx, 'tickets', id, current, { ...values, closed_at: closedAt, resolved_at: resolvedAt });
  });
}

export async function archiveTicket(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'tickets', 'ticket', id);
  return setArchivedWithEvent(ctx, 'tickets', 'ticket', id, true);
}

export async function restoreTicket(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'tickets', 'ticket', id);
  return setArchivedWithEvent(ctx, 'tickets', 'ticket', id, false);
}

/** Deletes a ticket; each of its assets records the unlink in its history first. */
export async function deleteTicket(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'support', 3, 'tickets', 'ticket', id);
    const ticket = await ctx.db.selectFrom('tickets').select(['number', 'subject']).where('id', '=', id).executeTakeFirst();
    if (!ticket) throw new NotFoundError('ticket', id);
    await linkTable('ticket').clear(ctx, id, `ticket #${ticket.number} "${ticket.subject}" was deleted`);
    await emitRecordEvent(ctx, 'tickets', 'deleted', id);
    await ctx.db.deleteFrom('tickets').where('id', '=', id).execute();
  });
}
