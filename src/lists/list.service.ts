import type { Ctx } from '../platform/context.ts';
import type { IssueList } from '../platform/errors.ts';
import { foldText } from '../platform/fields.ts';
import type { ListName } from './list.table.ts';

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

const LABELS: Record<ListName, string> = {
  asset_type: 'asset type',
  asset_status: 'asset status',
  note_type: 'note type',
  interface_type: 'interface type',
};

/**
 * Finds the canonical spelling of a value of an admin-edited list (`server` → `Server`), ignoring case
 * and accents. Unknown values are an issue on the field, listing the known ones. `keep` is the
 * record's current value: it stays acceptable even if an admin has since archived it.
 */
export async function canonicalListValue(
  ctx: Ctx,
  issues: IssueList,
  field: string,
  list: ListName,
  value: string | null,
  keep: string | null = null,
): Promise<string | null> {
  if (value === null) return null;
  const wanted = foldText(value);
  if (keep !== null && foldText(keep) === wanted) return keep;
  const values = await listValues(ctx, list);
  const found = values.find((v) => foldText(v.name) === wanted);
  if (found) return found.name;
  issues.add(field, 'unknown_value', `"${value}" is not a known ${LABELS[list]}; known: ${values.map((v) => v.name).join(', ')}`);
  return null;
}
