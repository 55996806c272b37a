import type { Updateable } from 'kysely';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { nextCounterValue } from '../platform/db/counters.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef, setRecordArchived } from '../platform/record-rules.ts';
import { linkTable } from '../assets/asset-linkage.ts';
import { linkTicket } from '../assets/asset-links.service.ts';
import type { TicketTable } from './ticket.table.ts';

export const TICKET_PRIORITIES = ['Low', 'Medium', 'High', 'Urgent'];
export const TICKET_STATUSES = ['New', 'Open', 'On Hold', 'Resolved', 'Closed'];
const PRIORITIES = TICKET_PRIORITIES;
const STATUSES = TICKET_STATUSES;

export async function createTicket(
  ctx: Ctx,
  input: { clientId: Raw; subject: Raw; details?: Raw; priority?: Raw; status?: Raw; contactId?: Raw; assetIds?: number[] },
): Promise<{ id: number; number: number }> {
  return inTransaction(ctx, async (ctx) => {
    const issues = new IssueList();
    const clientId = await requireActiveClient(ctx, issues, input.clientId);
    const priority = pick(issues, 'priority', optionalText(issues, 'priority', input.priority, 20) ?? 'Low', PRIORITIES);
    const status = pick(issues, 'status', optionalText(issues, 'status', input.status, 50) ?? 'New', STATUSES);
    const values = {
      subject: requiredText(issues, 'subject', input.subject, 500),
      details: optionalText(issues, 'details', input.details, 1_000_000),
      contact_id: await sameClientRef(ctx, issues, 'contactId', input.contactId, 'contacts', 'contact', clientId),
    };
    issues.throwIfAny();
    const number = await nextCounterValue(ctx.db, 'ticket_number');
    const at = nowIso(ctx);
    const { id } = await ctx.db
      .insertInto('tickets')
      .values({
        ...values, client_id: clientId!, number, priority, status, created_at: at,
        closed_at: status === 'Closed' ? at : null,
        created_by_user_id: ctx.actor.type === 'system' ? null : ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const assetId of input.assetIds ?? []) await linkTicket(ctx, assetId, id);
    return { id, number };
  });
}

function pick(issues: IssueList, field: string, value: string, allowed: string[]): string {
  const found = allowed.find((v) => v.toLowerCase() === value.toLowerCase());
  if (!found) issues.add(field, 'unknown_value', `"${value}" is not one of ${allowed.join(', ')}`);
  return found ?? value;
}

export interface TicketInput { subject?: Raw; details?: Raw; priority?: Raw; status?: Raw; contactId?: Raw }

/**
 * Changes the fields given (subject, details, priority, status, contact); the rest keep their values.
 * Closing stamps closed_at, reopening clears it.
 */
export async function updateTicket(ctx: Ctx, id: number, input: TicketInput): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const current = await ctx.db.selectFrom('tickets').select(['id', 'client_id', 'status', 'closed_at']).where('id', '=', id).executeTakeFirst();
    if (!current) throw new NotFoundError('ticket', id);
    const issues = new IssueList();
    const values: Updateable<TicketTable> = {};
    if (input.priority !== undefined) values.priority = pick(issues, 'priority', requiredText(issues, 'priority', input.priority, 20), PRIORITIES);
    if (input.status !== undefined) values.status = pick(issues, 'status', requiredText(issues, 'status', input.status, 50), STATUSES);
    if (input.subject !== undefined) values.subject = requiredText(issues, 'subject', input.subject, 500);
    if (input.details !== undefined) values.details = optionalText(issues, 'details', input.details, 1_000_000);
    if (input.contactId !== undefined) values.contact_id = await sameClientRef(ctx, issues, 'contactId', input.contactId, 'contacts', 'contact', current.client_id);
    issues.throwIfAny();
    const at = nowIso(ctx);
    const status = values.status ?? current.status;
    const closedAt = status === 'Closed' ? (current.closed_at ?? at) : null;
    await ctx.db.updateTable('tickets').set({ ...values, closed_at: closedAt, updated_at: at }).where('id', '=', id).execute();
  });
}

export async function archiveTicket(ctx: Ctx, id: number): Promise<boolean> {
  return setRecordArchived(ctx, 'tickets', 'ticket', id, true);
}

export async function restoreTicket(ctx: Ctx, id: number): Promise<boolean> {
  return setRecordArchived(ctx, 'tickets', 'ticket', id, false);
}

/** Deletes a ticket; each of its assets records the unlink in its history first. */
export async function deleteTicket(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const ticket = await ctx.db.selectFrom('tickets').select(['number', 'subject']).where('id', '=', id).executeTakeFirst();
    if (!ticket) throw new NotFoundError('ticket', id);
    await linkTable('ticket').clear(ctx, id, `ticket #${ticket.number} "${ticket.subject}" was deleted`);
    await ctx.db.deleteFrom('tickets').where('id', '=', id).execute();
  });
}
