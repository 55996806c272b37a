import { checkActingUserOnRecord } from '../access/record-access.ts';
import { mayCreateInClient } from '../access/access.ts';
import type { Updateable } from 'kysely';
import { linkTable } from '../assets/asset-linkage.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalDate, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient } from '../platform/record-rules.ts';
import { createdWithEvent, emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import type { ServiceTable } from './service.table.ts';

export const SERVICE_IMPORTANCE = ['Low', 'Medium', 'High'] as const;
const IMPORTANCE: readonly string[] = SERVICE_IMPORTANCE;

export interface ServiceInput {
  name?: Raw;
  description?: Raw;
  category?: Raw;
  importance?: Raw;
  backup?: Raw;
  reviewDue?: Raw;
  notes?: Raw;
}

export async function createService(ctx: Ctx, input: ServiceInput & { clientId: Raw; name: Raw }): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = mayCreateInClient(ctx, issues, 'support', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
  const values = parseServiceFields(issues, input, 'create');
  issues.throwIfAny();
  return createdWithEvent(ctx, 'services', (ctx) =>
    ctx.db
      .insertInto('services')
      .values({ ...values, name: values.name!, client_id: clientId!, created_at: nowIso(ctx) })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow(),
  );
}

/** One set of rules for create and update: on create every field is read, on update only those given. */
function parseServiceFields(issues: IssueList, input: ServiceInput, mode: 'create' | 'update'): Updateable<ServiceTable> {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<ServiceTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.description)) values.description = optionalText(issues, 'description', input.description, 200);
  if (wanted(input.category)) values.category = optionalText(issues, 'category', input.category, 50);
  if (wanted(input.importance)) {
    const importance = optionalText(issues, 'importance', input.importance, 20);
    const known = importance ? IMPORTANCE.find((v) => v.toLowerCase() === importance.toLowerCase()) : undefined;
    if (importance && !known) issues.add('importance', 'unknown_value', `"${importance}" is not one of ${IMPORTANCE.join(', ')}`);
    values.importance = known ?? null;
  }
  if (wanted(input.backup)) values.backup = optionalText(issues, 'backup', input.backup, 200);
  if (wanted(input.reviewDue)) values.review_due = optionalDate(issues, 'reviewDue', input.reviewDue);
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  return values;
}

/** Changes the fields given; the rest keep their values. */
export async function updateService(ctx: Ctx, id: number, input: ServiceInput): Promise<void> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'services', 'service', id);
  const issues = new IssueList();
  const values = parseServiceFields(issues, input, 'update');
  issues.throwIfAny();
  await inTransaction(ctx, async (ctx) => {
    const current = await ctx.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
    const result = await ctx.db
      .updateTable('services')
      .set({ ...values, updated_at: nowIso(ctx) })
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current || Number(result.numUpdatedRows) === 0) throw new NotFoundError('service', id);
    await emitRecordUpdate(ctx, 'services', id, current, values);
  });
}

export async function archiveService(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'services', 'service', id);
  return setArchivedWithEvent(ctx, 'services', 'service', id, true);
}

export async function restoreService(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'services', 'service', id);
  return setArchivedWithEvent(ctx, 'services', 'service', id, false);
}

/** Deletes a service; each of its assets records the unlink in its history first. */
export async function deleteService(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'support', 3, 'services', 'service', id);
    const service = await ctx.db.selectFrom('services').select('name').where('id', '=', id).executeTakeFirst();
    if (!service) throw new NotFoundError('service', id);
    await linkTable('service').clear(ctx, id, `service "${service.name}" (${id}) was deleted`);
    await emitRecordEvent(ctx, 'services', 'deleted', id);
    await ctx.db.deleteFrom('services').where('id', '=', id).execute();
  });
}
