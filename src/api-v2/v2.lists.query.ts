// The reads of /api/v2/lists/{kind}: the values of one of the administrators' lists (asset types,
// statuses, note types, interface types) in their order, and one value of a list. Reading them needs
// the assets (support) module, whose forms offer them.
import { authorize } from '../access/access.ts';
import type { ListName } from '../lists/list.service.ts';
import type { Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { V2Call } from './v2.call.ts';

export interface ListValueRow {
  id: number;
  list: ListName;
  name: string;
  description: string | null;
  icon: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string | null;
  archived_at: string | null;
}

function valueQuery(ctx: Ctx, kind: ListName) {
  return ctx.db
    .selectFrom('list_values')
    .select(['id', 'list', 'name', 'description', 'icon', 'sort_order', 'created_at', 'updated_at', 'archived_at'])
    .where('list', '=', kind);
}

/** The list's values in its order; `archived`: false (default) the offered ones, true the archived, all both. */
export async function listValueRows(call: V2Call, kind: ListName, archived: 'false' | 'true' | 'all' = 'false'): Promise<ListValueRow[]> {
  authorize(call.principal, 'support', 1);
  let q = valueQuery(call.ctx, kind).orderBy('sort_order').orderBy('name').orderBy('id');
  if (archived === 'false') q = q.where('archived_at', 'is', null);
  if (archived === 'true') q = q.where('archived_at', 'is not', null);
  return (await q.execute()) as ListValueRow[];
}

/** One value of the list; a value of another list is not found. */
export async function readListValueRow(call: V2Call, ctx: Ctx, kind: ListName, id: number): Promise<ListValueRow> {
  authorize(call.principal, 'support', 1);
  const row = await valueQuery(ctx, kind).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('list value', id);
  return row as ListValueRow;
}
