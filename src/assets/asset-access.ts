// The rule of loadAssetFor, applied inside the asset services to the user a call acts for
// (ctx.principal), so that no entry point can skip it: an asset of a client they may not see is "not
// found", too low a level of the support module is "forbidden". The system acting for itself (no
// principal: CLI commands, jobs) may do anything.
import { checkActingUser } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import type { Asset } from './asset.ts';
import { requireAsset } from './asset.repository.ts';

export function checkActingUserOnAsset(ctx: Ctx, asset: { id: number; clientId: number }, level: 1 | 2 | 3): void {
  checkActingUser(ctx, 'support', level, { clientId: asset.clientId, entity: 'asset', id: asset.id });
}

/** The asset (or "not found"), once the acting user may act on it at this level. */
export async function requireAssetFor(ctx: Ctx, id: number, level: 1 | 2 | 3): Promise<Asset> {
  const asset = await requireAsset(ctx, id);
  checkActingUserOnAsset(ctx, asset, level);
  return asset;
}
