// What a transfer leaves each of its two records allowed to do: a transferred original and a copy
// withdrawn by "undo transfer" stay archived, and a transfer can be undone only while its copy is
// untouched. Asked by the asset rules (restore) and by the transfer service and pages (undo).
import type { Ctx } from '../platform/context.ts';
import { ConflictError } from '../platform/errors.ts';
import type { Asset } from './asset.ts';
import { findAssetById } from './asset.repository.ts';

/**
 * Why this archived asset may not be restored, or null. A transferred original stays archived (its
 * copy is the device now), and so does a copy withdrawn by "undo transfer" (its original is the device
 * again): restoring either would make two active records of one device. Undo transfer is the way back.
 */
export async function restoreRefusal(ctx: Ctx, asset: Asset): Promise<string | null> {
  if (asset.transferredToId !== null) {
    return `${asset.name} was transferred to another client (asset ${asset.transferredToId}) and stays archived here; use "Undo transfer" to bring it back`;
  }
  if (asset.transferredFromId === null || asset.archivedAt === null) return null;
  const last = await ctx.db
    .selectFrom('asset_events')
    .select('action')
    .where('asset_id', '=', asset.id)
    .where('action', 'in', ['archived', 'transfer_undone'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.action === 'transfer_undone'
    ? `${asset.name} was withdrawn when its transfer was undone; the original record (asset ${asset.transferredFromId}) is the active one`
    : null;
}

export async function refuseRestoringOneSideOfATransfer(ctx: Ctx, asset: Asset): Promise<void> {
  const refusal = await restoreRefusal(ctx, asset);
  if (refusal) throw new ConflictError(refusal);
}

/**
 * Whether the transfer of this original can still be undone: its copy exists and nothing has happened
 * to the copy since it arrived (no edit, note, interface, link, archive). The reason when it cannot.
 */
export async function transferUndoBlocker(ctx: Ctx, original: Asset): Promise<string | null> {
  if (original.transferredToId === null) return `${original.name} was not transferred`;
  const copy = await findAssetById(ctx, original.transferredToId);
  if (!copy) return `the copy of ${original.name} under the other client was deleted`;
  const since = await ctx.db
    .selectFrom('asset_events')
    .select(['action', 'created_at'])
    .where('asset_id', '=', copy.id)
    .where('action', '!=', 'transferred_in')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (since)
    return `the copy of ${original.name} under the other client has changed since the transfer (${since.action.replaceAll('_', ' ')} on ${since.created_at.slice(0, 10)})`;
  return null;
}
