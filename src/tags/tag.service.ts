import type { Ctx } from '../platform/context.ts';
import { nowIso } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { foldText, optionalText, requiredText } from '../platform/fields.ts';
import { guardedByUniqueIndex } from '../platform/record-rules.ts';

export interface Tag {
  id: number;
  name: string;
  color: string | null;
}

export async function createTag(ctx: Ctx, input: { name: unknown; color?: unknown; description?: unknown }): Promise<Tag> {
  const issues = new IssueList();
  const name = requiredText(issues, 'name', input.name, 200);
  const color = optionalText(issues, 'color', input.color, 20);
  if (color && !/^#[0-9a-f]{6}$/i.test(color)) issues.add('color', 'color_invalid', `"${color}" is not a colour like #1e88e5`);
  const description = optionalText(issues, 'description', input.description, 255);
  const taken = { field: 'name', code: 'taken', message: `a tag named "${name}" already exists` };
  if (name && (await findTagByName(ctx, name))) issues.add(taken.field, taken.code, taken.message);
  issues.throwIfAny();
  return guardedByUniqueIndex('tags_name', taken, () =>
    ctx.db
      .insertInto('tags')
      .values({ name, color, description, created_at: nowIso(ctx) })
      .returning(['id', 'name', 'color'])
      .executeTakeFirstOrThrow(),
  );
}

async function findTagByName(ctx: Ctx, name: string): Promise<Tag | undefined> {
  const all = await ctx.db.selectFrom('tags').select(['id', 'name', 'color']).execute();
  const wanted = foldText(name);
  return all.find((t) => foldText(t.name) === wanted);
}

/** Turns tag names (any case) or ids into tag ids; unknown ones are an issue on `tags`. */
export async function resolveTagIds(ctx: Ctx, refs: unknown[], issues: IssueList): Promise<number[]> {
  const all = await ctx.db.selectFrom('tags').select(['id', 'name']).execute();
  const ids = new Set<number>();
  for (const ref of refs) {
    const byId = typeof ref === 'number' ? all.find((t) => t.id === ref) : undefined;
    const byName = typeof ref === 'string' ? all.find((t) => foldText(t.name) === foldText(ref.trim())) : undefined;
    const tag = byId ?? byName;
    if (tag) ids.add(tag.id);
    else issues.add('tags', 'unknown_tag', `"${String(ref)}" is not a known tag`);
  }
  return [...ids];
}

export async function setTagsOnAsset(ctx: Ctx, assetId: number, tagIds: number[]): Promise<void> {
  await ctx.db.deleteFrom('asset_tags').where('asset_id', '=', assetId).execute();
  if (tagIds.length) {
    await ctx.db
      .insertInto('asset_tags')
      .values(tagIds.map((tag_id) => ({ asset_id: assetId, tag_id })))
      .execute();
  }
}

/** The asset's tag names, sorted: the form history records tag changes in. */
export async function tagNamesOfAsset(ctx: Ctx, assetId: number): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('asset_tags')
    .innerJoin('tags', 'tags.id', 'asset_tags.tag_id')
    .select('tags.name')
    .where('asset_tags.asset_id', '=', assetId)
    .execute();
  return rows.map((r) => r.name).sort((a, b) => a.localeCompare(b));
}

/** Changes a tag's colour (names stay: assets' history names tags as they were). */
export async function setTagColor(ctx: Ctx, id: number, raw: unknown): Promise<void> {
  const issues = new IssueList();
  const color = optionalText(issues, 'color', raw, 20);
  if (color && !/^#[0-9a-f]{6}$/i.test(color)) issues.add('color', 'color_invalid', `"${color}" is not a colour like #1e88e5`);
  issues.throwIfAny();
  await ctx.db
    .updateTable('tags')
    .set({ color, updated_at: nowIso(ctx) })
    .where('id', '=', id)
    .execute();
}

export async function listTags(ctx: Ctx): Promise<Array<Tag & { assets: number }>> {
  const rows = await ctx.db
    .selectFrom('tags as t')
    .select([
      't.id',
      't.name',
      't.color',
      (eb) =>
        eb
          .selectFrom('asset_tags as a')
          .whereRef('a.tag_id', '=', 't.id')
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('assets'),
    ])
    .orderBy('t.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, color: r.color, assets: Number(r.assets ?? 0) }));
}
