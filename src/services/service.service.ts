import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalDate, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient } from '../platform/record-rules.ts';

const IMPORTANCE = ['Low', 'Medium', 'High'];

export async function createService(
  ctx: Ctx,
  input: { clientId: Raw; name: Raw; description?: Raw; category?: Raw; importance?: Raw; backup?: Raw; reviewDue?: Raw; notes?: Raw },
): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = await requireActiveClient(ctx, issues, input.clientId);
  let importance = optionalText(issues, 'importance', input.importance, 20);
  if (importance) {
    const known = IMPORTANCE.find((v) => v.toLowerCase() === importance!.toLowerCase());
    if (!known) issues.add('importance', 'unknown_value', `"${importance}" is not one of ${IMPORTANCE.join(', ')}`);
    importance = known ?? null;
  }
  const values = {
    name: requiredText(issues, 'name', input.name, 200),
    description: optionalText(issues, 'description', input.description, 200),
    category: optionalText(issues, 'category', input.category, 50),
    importance,
    backup: optionalText(issues, 'backup', input.backup, 200),
    review_due: optionalDate(issues, 'reviewDue', input.reviewDue),
    notes: optionalText(issues, 'notes', input.notes, 65_535),
  };
  issues.throwIfAny();
  return ctx.db.insertInto('services').values({ ...values, client_id: clientId!, created_at: nowIso(ctx) }).returning(['id', 'name']).executeTakeFirstOrThrow();
}
