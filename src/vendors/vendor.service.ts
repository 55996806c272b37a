import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient } from '../platform/record-rules.ts';

export async function createVendor(
  ctx: Ctx,
  input: { clientId: Raw; name: Raw; description?: Raw; contactName?: Raw; phone?: Raw; email?: Raw; website?: Raw; accountNumber?: Raw; notes?: Raw },
): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = await requireActiveClient(ctx, issues, input.clientId);
  const values = {
    name: requiredText(issues, 'name', input.name, 200),
    description: optionalText(issues, 'description', input.description, 200),
    contact_name: optionalText(issues, 'contactName', input.contactName, 200),
    phone: optionalText(issues, 'phone', input.phone, 200),
    email: optionalText(issues, 'email', input.email, 200),
    website: optionalText(issues, 'website', input.website, 200),
    account_number: optionalText(issues, 'accountNumber', input.accountNumber, 200),
    notes: optionalText(issues, 'notes', input.notes, 65_535),
  };
  issues.throwIfAny();
  return ctx.db.insertInto('vendors').values({ ...values, client_id: clientId!, created_at: nowIso(ctx) }).returning(['id', 'name']).executeTakeFirstOrThrow();
}
