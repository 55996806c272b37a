// The reads of /api/v2/tags: a page of tags with the list's filters and sort, and one tag, each with
// the number of assets carrying it. Tags are shared by every client; reading them needs the assets
// (support) module, as the tag boxes on the asset pages do.
import { sql, type SqlBool } from 'kysely';
import { authorize } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { V2Call } from './v2.call.ts';
import { applyPage, filterConditions, pageRows, type ListFields } from './v2.list.ts';
import type { ListRequest } from './v2.resource.ts';

export interface TagRow {
  id: number;
  name: string;
  color: string | null;
  description: string | null;
  asset_count: number | string;
  created_at: string;
  updated_at: string | null;
}

export const tagFields: ListFields = {
  id: { column: 'tags.id', type: 'integer' },
  name: { column: 'tags.name', type: 'text' },
  color: { column: 'tags.color', type: 'text', nullable: true },
  description: { column: 'tags.description', type: 'text', nullable: true, sort: false },
  asset_count: { column: sql`(select count(*) from asset_tags where asset_tags.tag_id = tags.id)`, type: 'integer', description: 'assets carrying the tag' },
  created_at: { column: 'tags.created_at', type: 'time' },
  updated_at: { column: 'tags.updated_at', type: 'time', nullable: true },
};

function tagQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('tags')
    .select(['tags.id', 'tags.name', 'tags.color', 'tags.description', 'tags.created_at', 'tags.updated_at'])
    .select(sql<number>`(select count(*) from asset_tags where asset_tags.tag_id = tags.id)`.as('asset_count'));
}

export async function listTagRows({ call, query, page }: ListRequest): Promise<{ rows: TagRow[]; cursor: string | null }> {
  const { ctx, principal } = call;
  authorize(principal, 'support', 1);
  let q = tagQuery(ctx);
  for (const condition of filterConditions(ctx.dialect, tagFields, query)) q = q.where(condition);
  if (typeof query.updated_since === 'string') q = q.where(sql<SqlBool>`coalesce(tags.updated_at, tags.created_at) >= ${query.updated_since}`);
  if (typeof query.q === 'string' && query.q.trim()) {
    const term = query.q.trim();
    q = q.where(
      sql<SqlBool>`(${foldedContains(ctx.dialect, sql.ref('tags.name'), term)} or ${foldedContains(ctx.dialect, sql.ref('tags.description'), term)})`,
    );
  }
  const rows = (await applyPage(q, page, 'tags.id').execute()) as unknown as TagRow[];
  return pageRows(rows as unknown as Array<TagRow & Record<string, unknown>>, page, (r) => r.id);
}

export async function readTagRow(call: V2Call, ctx: Ctx, id: number): Promise<TagRow> {
  authorize(call.principal, 'support', 1);
  const row = await tagQuery(ctx).where('tags.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('tag', id);
  return row as TagRow;
}
