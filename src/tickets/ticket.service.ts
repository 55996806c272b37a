import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import { linkTicket } from '../assets/asset-links.service.ts';

const PRIORITIES = ['Low', 'Medium', 'High', 'Urgent'];
const STATUSES = ['New', 'Open', 'On Hold', 'Resolved', 'Closed'];

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
    const last = await ctx.db.selectFrom('tickets').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
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
