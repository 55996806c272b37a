import { nowIso, type Ctx } from '../platform/context.ts';
import { ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { foldText, requiredText } from '../platform/fields.ts';
import { guardedByUniqueIndex } from '../platform/record-rules.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ListName } from './list.table.ts';

export type { ListName };

export interface ListValue {
  id: number;
  name: string;
  description: string | null;
  icon: string | null;
  archived: boolean;
}

export async function listValues(ctx: Ctx, list: ListName, includeArchived = false): Promise<ListValue[]> {
  let q = ctx.db
    .selectFrom('list_values')
    .select(['id', 'name', 'description', 'icon', 'archived_at'])
    .where('list', '=', list)
    .orderBy('sort_order')
    .orderBy('name');
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, icon: r.icon, archived: r.archived_at !== null }));
}

/** What to do with a value that is not in the list: refuse it (the UI, v2, imports) or keep it as given (v1). */
export type UnlistedValues = 'refuse' | 'keep';

const LABELS: Record<ListName, string> = {
  asset_type: 'asset type',
  asset_status: 'asset status',
  note_type: 'note type',
  interface_type: 'interface type',
};

/**
 * Finds the canonical spelling of a value of an admin-edited list (`server` → `Server`), ignoring case
 * and accents. Unknown values are an issue on the field, listing the known ones, unless `unlisted` is
 * 'keep' (ITFlow's API keeps any text; v1 scripts rely on it), when they are kept as given. `keep` is
 * the record's current value: it stays acceptable even if an admin has since archived it.
 */
export async function canonicalListValue(
  ctx: Ctx,
  issues: IssueList,
  field: string,
  list: ListName,
  value: string | null,
  keep: string | null = null,
  unlisted: UnlistedValues = 'refuse',
): Promise<string | null> {
  if (value === null) return null;
  const wanted = foldText(value);
  if (keep !== null && foldText(keep) === wanted) return keep;
  const values = await listValues(ctx, list);
  const found = values.find((v) => foldText(v.name) === wanted);
  if (found) return found.name;
  if (unlisted === 'keep') return value;
  issues.add(field, 'unknown_value', `"${value}" is not a known ${LABELS[list]}; known: ${values.map((v) => v.name).join(', ')}`);
  return null;
}

/** The lists are edited by administrators (the settings page); the system may. */
function requireListEditor(ctx: Ctx): void {
  if (ctx.principal && !ctx.principal.isAdmin) throw new ForbiddenError(`${ctx.principal.name} is not an administrator; only administrators edit the lists`);
}

/** Adds a value to an admin-edited list; a name the list already has (ignoring case and accents) is refused. Returns its id. */
export async function addListValue(ctx: Ctx, list: ListName, raw: unknown): Promise<number> {
  requireListEditor(ctx);
  const issues = new IssueList();
  const name = requiredText(issues, 'name', raw, 200);
  const taken = { field: 'name', code: 'taken', message: `"${name}" is already in the list` };
  if (name && (await listValues(ctx, list, true)).some((v) => foldText(v.name) === foldText(name))) issues.add(taken.field, taken.code, taken.message);
  issues.throwIfAny();
  const last = await ctx.db
    .selectFrom('list_values')
    .select((eb) => eb.fn.max('sort_order').as('n'))
    .where('list', '=', list)
    .executeTakeFirst();
  const row = await guardedByUniqueIndex('list_values_name', taken, () =>
    ctx.db
      .insertInto('list_values')
      .values({ list, name, description: null, icon: null, sort_order: Number(last?.n ?? 0) + 1, created_at: nowIso(ctx) })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await recordAudit(ctx, { action: 'list.value_added', entityType: 'list', entityId: row.id, details: { list, name } });
  return row.id;
}

/**
 * Archives a value (no longer offered, while records holding it keep it) or restores it. Values are not
 * renamed or deleted: assets hold the text, and their history would no longer match the list.
 */
export async function setListValueArchived(ctx: Ctx, id: number, archived: boolean): Promise<void> {
  requireListEditor(ctx);
  const result = await ctx.db
    .updateTable('list_values')
    .set({ archived_at: archived ? nowIso(ctx) : null, updated_at: nowIso(ctx) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError('list value', id);
  await recordAudit(ctx, { action: archived ? 'list.value_archived' : 'list.value_restored', entityType: 'list', entityId: id });
}
