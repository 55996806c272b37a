import { checkActingUserOnRecord } from '../access/record-access.ts';
import { mayCreateInClient } from '../access/access.ts';
import { sql, type Updateable } from 'kysely';
import { assetField } from '../assets/asset-linkage.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { changedColumns, guardedByUniqueIndex, requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import { createdWithEvent, emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import type { ContactTable } from './contact.table.ts';

export interface ContactInput {
  name?: Raw;
  title?: Raw;
  email?: Raw;
  phone?: Raw;
  extension?: Raw;
  mobile?: Raw;
  department?: Raw;
  locationId?: Raw;
  notes?: Raw;
}

/**
 * One set of rules for create and update: on create every field is read, on update only those given.
 * An email must be unique within the client, ignoring case (`self` is the contact being updated; keeping
 * its own e-mail is never a clash, even where older contacts already share it).
 */
async function parseContactFields(
  ctx: Ctx,
  issues: IssueList,
  input: ContactInput,
  clientId: number | null,
  mode: 'create' | 'update',
  self?: { id: number; email: string | null },
): Promise<Updateable<ContactTable>> {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<ContactTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.title)) values.title = optionalText(issues, 'title', input.title, 200);
  if (wanted(input.email)) {
    const email = optionalText(issues, 'email', input.email, 200);
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) issues.add('email', 'email_invalid', `"${email}" is not an email address`);
    else if (email && clientId && email.toLowerCase() !== self?.email?.toLowerCase()) {
      let q = ctx.db.selectFrom('contacts').select('id').where('client_id', '=', clientId).where(sql`lower(email)`, '=', email.toLowerCase());
      if (self) q = q.where('id', '!=', self.id);
      if (await q.executeTakeFirst()) issues.add('email', 'taken', emailTaken(email));
    }
    values.email = email;
  }
  if (wanted(input.phone)) values.phone = optionalText(issues, 'phone', input.phone, 200);
  if (wanted(input.extension)) values.extension = optionalText(issues, 'extension', input.extension, 200);
  if (wanted(input.mobile)) values.mobile = optionalText(issues, 'mobile', input.mobile, 200);
  if (wanted(input.department)) values.department = optionalText(issues, 'department', input.department, 200);
  if (wanted(input.locationId)) values.location_id = await sameClientRef(ctx, issues, 'locationId', input.locationId, 'locations', 'location', clientId);
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  return values;
}

const emailTaken = (email: unknown) => `another contact of this client already has the email ${String(email)}`;

/** A write that may give a contact an e-mail: the unique index (client, lower(email)) backs the check. */
const guardEmail = <T>(email: unknown, write: () => Promise<T>) =>
  guardedByUniqueIndex('contacts_email', { field: 'email', code: 'taken', message: emailTaken(email) }, write);

/** The create's rules: who may, the client, the fields (an e-mail unique in the client). */
async function validNewContact(ctx: Ctx, input: ContactInput & { clientId: Raw; name: Raw }) {
  const issues = new IssueList();
  const clientId = mayCreateInClient(ctx, issues, 'client', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
  const values = await parseContactFields(ctx, issues, input, clientId, 'create');
  issues.throwIfAny();
  return { clientId: clientId!, values };
}

/** Checks a create as createContact would, writing nothing (an import's preview). */
export async function checkNewContact(ctx: Ctx, input: ContactInput & { clientId: Raw; name: Raw }): Promise<void> {
  await validNewContact(ctx, input);
}

export async function createContact(ctx: Ctx, input: ContactInput & { clientId: Raw; name: Raw }): Promise<{ id: number; name: string }> {
  const { clientId, values } = await validNewContact(ctx, input);
  return createdWithEvent(ctx, 'contacts', (ctx) =>
    guardEmail(values.email, () =>
      ctx.db
        .insertInto('contacts')
        .values({ ...values, name: values.name!, client_id: clientId, created_at: nowIso(ctx) })
        .returning(['id', 'name'])
        .executeTakeFirstOrThrow(),
    ),
  );
}

async function requireContact(ctx: Ctx, id: number) {
  const row = await ctx.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('contact', id);
  return row;
}

/** The update's rules: who may, the record, the fields. */
async function validContactUpdate(ctx: Ctx, id: number, input: ContactInput) {
  await checkActingUserOnRecord(ctx, 'client', 2, 'contacts', 'contact', id);
  const current = await requireContact(ctx, id);
  const issues = new IssueList();
  const values = await parseContactFields(ctx, issues, input, current.client_id, 'update', current);
  issues.throwIfAny();
  return { current, values, changed: changedColumns(current, values) };
}

/** Checks an update as updateContact would, writing nothing; the columns it would change. */
export async function checkContactUpdate(ctx: Ctx, id: number, input: ContactInput): Promise<string[]> {
  return Object.keys((await validContactUpdate(ctx, id, input)).changed);
}

/** Changes the fields given (the rest keep their values); writes nothing when nothing differs. */
export async function updateContact(ctx: Ctx, id: number, input: ContactInput): Promise<{ id: number; name: string }> {
  return inTransaction(ctx, async (ctx) => {
    const { current, values, changed } = await validContactUpdate(ctx, id, input);
    if (Object.keys(changed).length)
      await guardEmail(values.email, () =>
        ctx.db
          .updateTable('contacts')
          .set({ ...changed, updated_at: nowIso(ctx) })
          .where('id', '=', id)
          .execute(),
      );
    await emitRecordUpdate(ctx, 'contacts', id, current, changed);
    return { id, name: changed.name ?? current.name };
  });
}

/** Archives a contact; false (nothing written) if it already was. Assets keep pointing at it. */
export async function archiveContact(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'contacts', 'contact', id);
  return setArchivedWithEvent(ctx, 'contacts', 'contact', id, true);
}

export async function restoreContact(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'contacts', 'contact', id);
  return setArchivedWithEvent(ctx, 'contacts', 'contact', id, false);
}

/**
 * Deletes a contact for good, in one transaction. Each asset that named it as its contact loses it
 * through the asset rules, so the asset's history records the change (all those events share one
 * correlation id); logins and tickets are unlinked by their foreign keys.
 */
export async function deleteContact(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'client', 3, 'contacts', 'contact', id);
    const contact = await requireContact(ctx, id);
    await assetField('contactId').clear(ctx, id, `contact "${contact.name}" (${id}) was deleted`);
    await emitRecordEvent(ctx, 'contacts', 'deleted', id);
    await ctx.db.deleteFrom('contacts').where('id', '=', id).execute();
  });
}
