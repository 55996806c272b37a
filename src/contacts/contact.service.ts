import { sql } from 'kysely';
import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';

export async function createContact(
  ctx: Ctx,
  input: { clientId: Raw; name: Raw; title?: Raw; email?: Raw; phone?: Raw; extension?: Raw; mobile?: Raw; department?: Raw; locationId?: Raw; notes?: Raw },
): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = await requireActiveClient(ctx, issues, input.clientId);
  const email = optionalText(issues, 'email', input.email, 200);
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) issues.add('email', 'email_invalid', `"${email}" is not an email address`);
  if (email && clientId) {
    const taken = await ctx.db.selectFrom('contacts').select('id').where('client_id', '=', clientId).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
    if (taken) issues.add('email', 'taken', `another contact of this client already has the email ${email}`);
  }
  const values = {
    name: requiredText(issues, 'name', input.name, 200),
    title: optionalText(issues, 'title', input.title, 200),
    email,
    phone: optionalText(issues, 'phone', input.phone, 200),
    extension: optionalText(issues, 'extension', input.extension, 200),
    mobile: optionalText(issues, 'mobile', input.mobile, 200),
    department: optionalText(issues, 'department', input.department, 200),
    location_id: await sameClientRef(ctx, issues, 'locationId', input.locationId, 'locations', 'location', clientId),
    notes: optionalText(issues, 'notes', input.notes, 65_535),
  };
  issues.throwIfAny();
  return ctx.db.insertInto('contacts').values({ ...values, client_id: clientId!, created_at: nowIso(ctx) }).returning(['id', 'name']).executeTakeFirstOrThrow();
}
