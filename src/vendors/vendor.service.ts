import { checkActingUserOnRecord } from '../access/record-access.ts';
import { mayCreateInClient } from '../access/access.ts';
import type { Updateable } from 'kysely';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { changedColumns, requireActiveClient } from '../platform/record-rules.ts';
import { createdWithEvent, emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import { assetField } from '../assets/asset-linkage.ts';
import type { VendorTable } from './vendor.table.ts';

export interface VendorInput {
  name?: Raw;
  description?: Raw;
  contactName?: Raw;
  phone?: Raw;
  email?: Raw;
  website?: Raw;
  accountNumber?: Raw;
  notes?: Raw;
}

/** One set of rules for create and update: on create every field is read, on update only those given. */
function parseVendorFields(issues: IssueList, input: VendorInput, mode: 'create' | 'update'): Updateable<VendorTable> {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<VendorTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.description)) values.description = optionalText(issues, 'description', input.description, 200);
  if (wanted(input.contactName)) values.contact_name = optionalText(issues, 'contactName', input.contactName, 200);
  if (wanted(input.phone)) values.phone = optionalText(issues, 'phone', input.phone, 200);
  if (wanted(input.email)) values.email = optionalText(issues, 'email', input.email, 200);
  if (wanted(input.website)) values.website = optionalText(issues, 'website', input.website, 200);
  if (wanted(input.accountNumber)) values.account_number = optionalText(issues, 'accountNumber', input.accountNumber, 200);
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  return values;
}

/** The create's rules: who may, the client, the fields. */
async function validNewVendor(ctx: Ctx, input: VendorInput & { clientId: Raw; name: Raw }) {
  const issues = new IssueList();
  const clientId = mayCreateInClient(ctx, issues, 'client', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
  const values = parseVendorFields(issues, input, 'create');
  issues.throwIfAny();
  return { clientId: clientId!, values };
}

/** Checks a create as createVendor would, writing nothing (an import's preview). */
export async function checkNewVendor(ctx: Ctx, input: VendorInput & { clientId: Raw; name: Raw }): Promise<void> {
  await validNewVendor(ctx, input);
}

export async function createVendor(ctx: Ctx, input: VendorInput & { clientId: Raw; name: Raw }): Promise<{ id: number; name: string }> {
  const { clientId, values } = await validNewVendor(ctx, input);
  return createdWithEvent(ctx, 'vendors', (ctx) =>
    ctx.db
      .insertInto('vendors')
      .values({ ...values, name: values.name!, client_id: clientId, created_at: nowIso(ctx) })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow(),
  );
}

/** Changes the fields given (the rest keep their values); writes nothing when nothing differs. */
export async function updateVendor(ctx: Ctx, id: number, input: VendorInput): Promise<{ id: number; name: string }> {
  return inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'client', 2, 'vendors', 'vendor', id);
    const current = await ctx.db.selectFrom('vendors').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new NotFoundError('vendor', id);
    const issues = new IssueList();
    const values = parseVendorFields(issues, input, 'update');
    issues.throwIfAny();
    const changed = changedColumns(current, values);
    if (Object.keys(changed).length)
      await ctx.db
        .updateTable('vendors')
        .set({ ...changed, updated_at: nowIso(ctx) })
        .where('id', '=', id)
        .execute();
    await emitRecordUpdate(ctx, 'vendors', id, current, changed);
    return { id, name: changed.name ?? current.name };
  });
}

/** Archives a vendor; false (nothing written) if it already was. Assets keep pointing at it. */
export async function archiveVendor(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'vendors', 'vendor', id);
  return setArchivedWithEvent(ctx, 'vendors', 'vendor', id, true);
}

export async function restoreVendor(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'vendors', 'vendor', id);
  return setArchivedWithEvent(ctx, 'vendors', 'vendor', id, false);
}

/** Deletes a vendor for good; each asset of it loses it through the asset rules (in its history). */
export async function deleteVendor(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'client', 3, 'vendors', 'vendor', id);
    const vendor = await ctx.db.selectFrom('vendors').select('name').where('id', '=', id).executeTakeFirst();
    if (!vendor) throw new NotFoundError('vendor', id);
    await assetField('vendorId').clear(ctx, id, `vendor "${vendor.name}" (${id}) was deleted`);
    await emitRecordEvent(ctx, 'vendors', 'deleted', id);
    await ctx.db.deleteFrom('vendors').where('id', '=', id).execute();
  });
}
