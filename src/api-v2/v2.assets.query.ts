// What /api/v2/assets reads before an asset's history: whose history it is. The events are read and
// redacted by history/history.read.ts.
import { checkActingUser } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';

/**
 * The client an asset's history belongs to, once the acting user may read it: the asset's client, or,
 * for a deleted asset, the client its last event names. An id with neither, or of a client the user
 * may not see, is "not found" (`shownId` is the id as the caller wrote it).
 */
export async function requireHistoryClientFor(ctx: Ctx, assetId: number, shownId: string): Promise<number> {
  const row =
    (await ctx.db.selectFrom('assets').select('client_id').where('id', '=', assetId).executeTakeFirst()) ??
    (await ctx.db.selectFrom('asset_events').select('client_id').where('asset_id', '=', assetId).orderBy('id', 'desc').executeTakeFirst());
  if (!row) throw new NotFoundError('asset', shownId);
  checkActingUser(ctx, 'support', 1, { clientId: row.client_id, entity: 'asset', id: shownId });
  return row.client_id;
}
