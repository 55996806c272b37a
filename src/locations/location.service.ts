import { checkActingUserOnRecord } from '../access/record-access.ts';
import { mayCreateInClient } from '../access/access.ts';
import type { Updateable } from 'kysely';
import { assetField } from '../assets/asset-linkage.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalBool, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { changedColumns, requireActiveClient } from '../platform/record-rules.ts';
import { createdWithEvent, emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import type { LocationTable } from './location.table.ts';

export interface LocationInput {
  name?: Raw;
  description?: Raw;
  address?: Raw;
  city?: Raw;
  state?: Raw;
  zip?: Raw;
  country?: Raw;
  phone?: Raw;
  hours?: Raw;
  notes?: Raw;
  primary?: Raw;
}

const TEXT = { address: 200, city: 200, state: 200, zip: 200, country: 200, phone: 200, hours: 200 } as const;

/** One set of rules for create and update: on create every field is read, on update only those given. */
function parseLocationFields(issues: IssueList, input: LocationInput, mode: 'create' | 'update'): Updateable<LocationTable> {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<LocationTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.description)) values.description = optionalText(issues, 'description', input.description, 65_535);
  for (const [field, max] of Object.entries(TEXT) as Array<[keyof typeof TEXT, number]>) {
    if (wanted(input[field])) values[field] = optionalText(issues, field, input[field], max);
  }
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  if (wanted(input.primary)) values.is_primary = optionalBool(issues, 'primary', input.primary) ? 1 : 0;
  return values;
}

/** The create's rules: who may, the client, the fields. */
async function validNewLocation(ctx: Ctx, input: LocationInput & { clientId: Raw; name: Raw }) {
  const issues = new IssueList();
  const clientId = mayCreateInClient(ctx, issues, 'client', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
  const values = parseLocationFields(issues, input, 'create');
  issues.throwIfAny();
  return { clientId: clientId!, values };
}

/** Checks a create as createLocation would, writing nothing (an import's preview). */
export async function checkNewLocation(ctx: Ctx, input: LocationInput & { clientId: Raw; name: Raw }): Promise<void> {
  await validNewLocation(ctx, input);
}

export async function createLocation(ctx: Ctx, input: LocationInput & { clientId: Raw; name: Raw }): Promise<{ id: number; name: string }> {
  const { clientId, values } = await validNewLocation(ctx, input);
  return createdWithEvent(ctx, 'locations', (ctx) =>
    ctx.db
      .insertInto('locations')
      .values({ ...values, name: values.name!, client_id: clientId, created_at: nowIso(ctx) })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow(),
  );
}

async function requireLocation(ctx: Ctx, id: number) {
  const row = await ctx.db.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('location', id);
  return row;
}

/** The update's rules: who may, the record, the fields. */
async function validLocationUpdate(ctx: Ctx, id: number, input: LocationInput) {
  await checkActingUserOnRecord(ctx, 'client', 2, 'locations', 'location', id);
  const current = await requireLocation(ctx, id);
  const issues = new IssueList();
  const values = parseLocationFields(issues, input, 'update');
  issues.throwIfAny();
  return { current, changed: changedColumns(current, values) };
}

/** Checks an update as updateLocation would, writing nothing; the columns it would change. */
export async function checkLocationUpdate(ctx: Ctx, id: number, input: LocationInput): Promise<string[]> {
  return Object.keys((await validLocationUpdate(ctx, id, input)).changed);
}

/** Changes the fields given (the rest keep their values); writes nothing when nothing differs. */
export async function updateLocation(ctx: Ctx, id: number, input: LocationInput): Promise<{ id: number; name: string }> {
  return inTransaction(ctx, async (ctx) => {
    const { current, changed } = await validLocationUpdate(ctx, id, input);
    if (Object.keys(changed).length)
      await ctx.db
        .updateTable('locations')
        .set({ ...changed, updated_at: nowIso(ctx) })
        .where('id', '=', id)
        .execute();
    await emitRecordUpdate(ctx, 'locations', id, current, changed);
    return { id, name: changed.name ?? current.name };
  });
}

/** Archives a location; false (nothing written) if it already was. Assets keep pointing at it. */
export async function archiveLocation(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'locations', 'location', id);
  return setArchivedWithEvent(ctx, 'locations', 'location', id, true);
}

export async function restoreLocation(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'locations', 'location', id);
  return setArchivedWithEvent(ctx, 'locations', 'location', id, false);
}

/** Deletes a location for good; each asset at it loses it through the asset rules (in its history). */
export async function deleteLocation(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'client', 3, 'locations', 'location', id);
    const location = await requireLocation(ctx, id);
    await assetField('locationId').clear(ctx, id, `location "${location.name}" (${id}) was deleted`);
    // Contacts and networks at the location only lose the pointer: they have no history of their own.
    await ctx.db.updateTable('contacts').set({ location_id: null }).where('location_id', '=', id).execute();
    await ctx.db.updateTable('networks').set({ location_id: null }).where('location_id', '=', id).execute();
    await emitRecordEvent(ctx, 'locations', 'deleted', id);
    await ctx.db.deleteFrom('locations').where('id', '=', id).execute();
  });
}
