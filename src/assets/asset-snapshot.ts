import type { Ctx } from '../platform/context.ts';
import { tagNamesOfAsset } from '../tags/tag.service.ts';
import type { Asset } from './asset.ts';
import { listInterfaces } from './asset.repository.ts';

/** Everything about an asset at one moment: kept in its "deleted" event so nothing is lost. */
export async function assetSnapshot(ctx: Ctx, asset: Asset): Promise<Record<string, unknown>> {
  const [interfaces, tags, notes, logins, services, tickets] = await Promise.all([
    listInterfaces(ctx, asset.id),
    tagNamesOfAsset(ctx, asset.id),
    ctx.db
      .selectFrom('asset_notes')
      .select(['id', 'type', 'body', 'created_by_name', 'created_at', 'archived_at'])
      .where('asset_id', '=', asset.id)
      .orderBy('id')
      .execute(),
    ctx.db.selectFrom('logins').select(['id', 'name']).where('asset_id', '=', asset.id).orderBy('id').execute(),
    ctx.db
      .selectFrom('service_assets')
      .innerJoin('services', 'services.id', 'service_assets.service_id')
      .select(['services.id', 'services.name'])
      .where('service_assets.asset_id', '=', asset.id)
      .execute(),
    ctx.db
      .selectFrom('ticket_assets')
      .innerJoin('tickets', 'tickets.id', 'ticket_assets.ticket_id')
      .select(['tickets.id', 'tickets.number', 'tickets.subject'])
      .where('ticket_assets.asset_id', '=', asset.id)
      .execute(),
  ]);
  return { asset, interfaces, tags, notes, logins, services, tickets };
}
