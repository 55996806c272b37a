// Typed notes on an asset (Maintenance, Repair, …): add, edit, archive, restore, delete, all in history.
import { appendAssetEvents } from '../history/history.repository.ts';
import { canonicalListValue } from '../lists/list.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { requireAssetFor } from './asset-access.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalText, requiredText } from '../platform/fields.ts';
import type { Asset } from './asset.ts';

export interface AssetNote {
  id: number;
  assetId: number;
  type: string;
  body: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string | null;
  archivedAt: string | null;
}

export async function listAssetNotes(ctx: Ctx, assetId: number, includeArchived = false): Promise<AssetNote[]> {
  let q = ctx.db.selectFrom('asset_notes').selectAll().where('asset_id', '=', assetId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    assetId: r.asset_id,
    type: r.type,
    body: r.body,
    createdBy: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    archivedAt: r.archived_at,
  }));
}

export async function addAssetNote(ctx: Ctx, assetId: number, input: { type?: unknown; body: unknown }): Promise<AssetNote> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const issues = new IssueList();
    const typeText = optionalText(issues, 'type', input.type ?? 'Note', 200);
    const type = await canonicalListValue(ctx, issues, 'type', 'note_type', typeText ?? 'Note');
    const body = requiredText(issues, 'body', input.body, 65_535);
    issues.throwIfAny();
    const at = nowIso(ctx);
    const { id } = await ctx.db
      .insertInto('asset_notes')
      .values({
        asset_id: assetId,
        type: type!,
        body,
        created_at: at,
        created_by_user_id: ctx.actor.type === 'system' ? null : ctx.actor.userId,
        created_by_name: ctx.actor.name,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAssetEvents(ctx, [
      noteEvent(asset, 'note_added', id, [
        { field: 'type', old: null, new: type },
        { field: 'body', old: null, new: body },
      ]),
    ]);
    return (await findNote(ctx, id))!;
  });
}

export async function updateAssetNote(ctx: Ctx, noteId: number, input: { type?: unknown; body?: unknown }): Promise<AssetNote> {
  return inTransaction(ctx, async (ctx) => {
    const note = await loadNote(ctx, noteId);
    const asset = await requireAssetFor(ctx, note.assetId, 2);
    const issues = new IssueList();
    const next = { type: note.type, body: note.body };
    if (input.type !== undefined)
      next.type = (await canonicalListValue(ctx, issues, 'type', 'note_type', optionalText(issues, 'type', input.type, 200), note.type)) ?? note.type;
    if (input.body !== undefined) next.body = requiredText(issues, 'body', input.body, 65_535);
    issues.throwIfAny();
    const changes = (['type', 'body'] as const).filter((f) => next[f] !== note[f]).map((f) => ({ field: f, old: note[f], new: next[f] }));
    if (changes.length === 0) return note;
    await ctx.db
      .updateTable('asset_notes')
      .set({ ...next, updated_at: nowIso(ctx) })
      .where('id', '=', noteId)
      .execute();
    await appendAssetEvents(ctx, [noteEvent(asset, 'note_updated', noteId, changes)]);
    return (await findNote(ctx, noteId))!;
  });
}

export async function archiveAssetNote(ctx: Ctx, noteId: number): Promise<void> {
  await setNoteArchived(ctx, noteId, true);
}

export async function restoreAssetNote(ctx: Ctx, noteId: number): Promise<void> {
  await setNoteArchived(ctx, noteId, false);
}

async function setNoteArchived(ctx: Ctx, noteId: number, archive: boolean): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const note = await loadNote(ctx, noteId);
    if ((note.archivedAt !== null) === archive) return;
    const asset = await requireAssetFor(ctx, note.assetId, 2);
    await ctx.db
      .updateTable('asset_notes')
      .set({ archived_at: archive ? nowIso(ctx) : null })
      .where('id', '=', noteId)
      .execute();
    await appendAssetEvents(ctx, [noteEvent(asset, archive ? 'note_archived' : 'note_restored', noteId)]);
  });
}

export async function deleteAssetNote(ctx: Ctx, noteId: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const note = await loadNote(ctx, noteId);
    const asset = await requireAssetFor(ctx, note.assetId, 2);
    await ctx.db.deleteFrom('asset_notes').where('id', '=', noteId).execute();
    await appendAssetEvents(ctx, [
      noteEvent(asset, 'note_deleted', noteId, [
        { field: 'type', old: note.type, new: null },
        { field: 'body', old: note.body, new: null },
      ]),
    ]);
  });
}

async function findNote(ctx: Ctx, id: number): Promise<AssetNote | null> {
  const row = await ctx.db.selectFrom('asset_notes').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? {
        id: row.id,
        assetId: row.asset_id,
        type: row.type,
        body: row.body,
        createdBy: row.created_by_name,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        archivedAt: row.archived_at,
      }
    : null;
}

async function loadNote(ctx: Ctx, id: number): Promise<AssetNote> {
  const note = await findNote(ctx, id);
  if (!note) throw new NotFoundError('note', id);
  return note;
}

function noteEvent(
  asset: Asset,
  action: 'note_added' | 'note_updated' | 'note_archived' | 'note_restored' | 'note_deleted',
  noteId: number,
  changes: { field: string; old: unknown; new: unknown }[] = [],
) {
  return { assetId: asset.id, clientId: asset.clientId, assetName: asset.name, action, details: { noteId }, changes };
}
