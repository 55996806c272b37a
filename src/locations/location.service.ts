import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalBool, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient } from '../platform/record-rules.ts';

export async function createLocation(
  ctx: Ctx,
  input: { clientId: Raw; name: Raw; description?: Raw; address?: Raw; city?: Raw; state?: Raw; zip?: Raw; country?: Raw; phone?: Raw; hours?: Raw; notes?: Raw; primary?: Raw },
): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = await requireActiveClient(ctx, issues, input.clientId);
  const values = {
    name: requiredText(issues, 'name', input.name, 200),
    description: optionalText(issues, 'description', input.description, 65_535),
    address: optionalText(issues, 'address', input.address, 200),
    city: optionalText(issues, 'city', input.city, 200),
    state: optionalText(issues, 'state', input.state, 200),
    zip: optionalText(issues, 'zip', input.zip, 200),
    country: optionalText(issues, 'country', input.country, 200),
    phone: optionalText(issues, 'phone', input.phone, 200),
    hours: optionalText(issues, 'hours', input.hours, 200),
    notes: optionalText(issues, 'notes', input.notes, 65_535),
    is_primary: optionalBool(issues, 'primary', input.primary) ? 1 : 0,
  };
  issues.throwIfAny();
  return ctx.db.insertInto('locations').values({ ...values, client_id: clientId!, created_at: nowIso(ctx) }).returning(['id', 'name']).executeTakeFirstOrThrow();
}
