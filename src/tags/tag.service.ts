import type { Ctx } from '../platform/context.ts';
import { nowIso } from '../platform/context.ts';
import { ConflictError, ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { foldText, optionalText, requiredText } from '../platform/fields.ts';
import { guardedByUniqueIndex } from '../platform/record-rules.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { TagRef } from './tag-chip.tsx';

export interface Tag {
  id: number;
  name: string;
  color: string | null;
}

/** Tags are managed (created, changed, deleted) by administrators, as on the settings page; the system may. */
function requireTagManager(ctx: Ctx): void {
  if (ctx.principal && !ctx.principal.isAdmin) throw new ForbiddenError(`${ctx.principal.name} is not an administrator; only administrators manage tags`);
}

export async function createTag(ctx: Ctx, input: { name: unknown; color?: unknown; description?: unknown }): Promise<Tag> {
  requireTagManager(ctx);
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

/**
 * Turns tag names (any case) or ids into tag ids; unknown ones are an issue on `tags`. With
 * `createMissing` (the web pages ask for it: a technician types a new name in a tag box), a name no
 * tag has becomes a new tag without colour, audited, provided the acting user may write to the support
 * module; the caller's transaction makes it go with the rest of the write when that is refused.
 * Scripts (APIs, imports) keep the refusal, so a typo there does not become a tag.
 */
export async function resolveTagIds(ctx: Ctx, refs: unknown[], issues: IssueList, options: { createMissing?: boolean } = {}): Promise<number[]> {
  const all = await ctx.db.selectFrom('tags').select(['id', 'name']).execute();
  const ids = new Set<number>();
  const missing: string[] = [];
  for (const ref of refs) {
    const byId = typeof ref === 'number' ? all.find((t) => t.id === ref) : undefined;
    const byName = typeof ref === 'string' ? all.find((t) => foldText(t.name) === foldText(ref.trim())) : undefined;
    const tag = byId ?? byName;
    if (tag) ids.add(tag.id);
    else if (options.createMissing && typeof ref === 'string' && ref.trim() && mayCreateTags(ctx)) {
      if (!missing.some((m) => foldText(m) === foldText(ref.trim()))) missing.push(ref.trim());
    } else issues.add('tags', 'unknown_tag', `"${String(ref)}" is not a known tag`);
  }
  for (const name of missing) {
    const tag = await createTagInline(ctx, name, issues);
    if (tag) ids.add(tag.id);
  }
  return [...ids];
}

/** Creating a tag while tagging needs write access to the support module (the system may). */
function mayCreateTags(ctx: Ctx): boolean {
  return ctx.principal === null || ctx.principal.levels.support >= 2;
}

async function createTagInline(ctx: Ctx, name: string, issues: IssueList): Promise<Tag | null> {
  const own = new IssueList();
  const checked = requiredText(own, 'tags', name, 200);
  if (own.issues.length) {
    for (const issue of own.issues) issues.add('tags', issue.code, `"${name.slice(0, 40)}": ${issue.message}`);
    return null;
  }
  // Two people creating the same new tag at once: the second is told, as on the administrators' page.
  const taken = { field: 'tags', code: 'taken', message: `a tag named "${checked}" was created meanwhile: save again` };
  const tag = await guardedByUniqueIndex('tags_name', taken, () =>
    ctx.db
      .insertInto('tags')
      .values({ name: checked, color: null, description: null, created_at: nowIso(ctx) })
      .returning(['id', 'name', 'color'])
      .executeTakeFirstOrThrow(),
  );
  await recordAudit(ctx, { action: 'tag_created', entityType: 'tag', entityId: tag.id, details: { name: tag.name, inline: true } });
  return tag;
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
  requireTagManager(ctx);
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

/**
 * Changes a tag's colour and description, those given (null clears); the name stays, as assets'
 * history names tags as they were.
 */
export async function updateTag(ctx: Ctx, id: number, input: { color?: unknown; description?: unknown }): Promise<void> {
  requireTagManager(ctx);
  const issues = new IssueList();
  const values: { color?: string | null; description?: string | null } = {};
  if (input.color !== undefined) {
    values.color = optionalText(issues, 'color', input.color, 20);
    if (values.color && !/^#[0-9a-f]{6}$/i.test(values.color)) issues.add('color', 'color_invalid', `"${values.color}" is not a colour like #1e88e5`);
  }
  if (input.description !== undefined) values.description = optionalText(issues, 'description', input.description, 255);
  issues.throwIfAny();
  const result = await ctx.db
    .updateTable('tags')
    .set({ ...values, updated_at: nowIso(ctx) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError('tag', id);
  await recordAudit(ctx, { action: 'tag_updated', entityType: 'tag', entityId: id, details: values });
}

/** Deletes a tag no asset carries (removing it from assets would change them without their history). */
export async function deleteTag(ctx: Ctx, id: number): Promise<void> {
  requireTagManager(ctx);
  const tag = await ctx.db.selectFrom('tags').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  if (!tag) throw new NotFoundError('tag', id);
  const used = await ctx.db.selectFrom('asset_tags').select('asset_id').where('tag_id', '=', id).limit(1).executeTakeFirst();
  if (used) throw new ConflictError(`the tag "${tag.name}" is on assets; take it off them first`);
  await ctx.db.deleteFrom('tags').where('id', '=', id).execute();
  await recordAudit(ctx, { action: 'tag_deleted', entityType: 'tag', entityId: id, details: { name: tag.name } });
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

/** The asset's tags with their colours, by name. */
export async function tagsOfAsset(ctx: Ctx, assetId: number): Promise<TagRef[]> {
  return (await tagsOfAssets(ctx, [assetId])).get(assetId) ?? [];
}

/** Each asset's tags with their colours, by name: for a page of the asset list. */
export async function tagsOfAssets(ctx: Ctx, assetIds: number[]): Promise<Map<number, TagRef[]>> {
  const byAsset = new Map<number, TagRef[]>();
  if (!assetIds.length) return byAsset;
  const rows = await ctx.db
    .selectFrom('asset_tags')
    .innerJoin('tags', 'tags.id', 'asset_tags.tag_id')
    .select(['asset_tags.asset_id', 'tags.name', 'tags.color'])
    .where('asset_tags.asset_id', 'in', assetIds)
    .execute();
  for (const r of rows.sort((a, b) => a.name.localeCompare(b.name))) {
    const list = byAsset.get(r.asset_id) ?? [];
    list.push({ name: r.name, color: r.color });
    byAsset.set(r.asset_id, list);
  }
  return byAsset;
}

/** Every tag's name and colour, by name: the type-ahead of the tag boxes. */
export async function tagChoices(ctx: Ctx): Promise<Array<TagRef & { id: number }>> {
  const rows = await ctx.db.selectFrom('tags').select(['id', 'name', 'color']).where('archived_at', 'is', null).execute();
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** The colours tags have: what /tags/colors.css defines classes for. */
export async function tagColors(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.db.selectFrom('tags').select('color').where('color', 'is not', null).distinct().execute();
  return rows.map((r) => r.color!);
}
