// What the pages of an asset's notes and linked logins read to check that the record in the URL hangs
// off the asset in the URL. Each is "not found" otherwise, in the words a missing record gets.
import { checkActingUser } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';

/** The note, if it is one of this asset's; NotFoundError otherwise. */
export async function requireNoteOfAsset(ctx: Ctx, assetId: number, noteId: number | null): Promise<void> {
  const note = noteId ? await ctx.db.selectFrom('asset_notes').select('id').where('id', '=', noteId).where('asset_id', '=', assetId).executeTakeFirst() : null;
  if (!note) throw new NotFoundError('note', noteId ?? '');
}

/**
 * A login linked to this asset, once the acting user may read the logins of the asset's client
 * (ForbiddenError without the credential module). `shownId` is the id as the URL gave it, for the
 * message; a login of another asset, or none, is NotFoundError.
 */
export async function requireLinkedLoginFor(
  ctx: Ctx,
  asset: { id: number; clientId: number },
  loginId: number | null,
  shownId: string,
): Promise<{ id: number; name: string }> {
  checkActingUser(ctx, 'credential', 1, { clientId: asset.clientId, entity: 'login', id: shownId });
  const login = await ctx.db
    .selectFrom('logins')
    .select(['id', 'name'])
    .where('id', '=', loginId ?? 0)
    .where('asset_id', '=', asset.id)
    .executeTakeFirst();
  if (!login) throw new NotFoundError('login', shownId);
  return login;
}
