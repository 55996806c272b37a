// What happens to assets when a record they point at goes away: each asset (or interface, for a
// network) loses the reference through the asset rules, so its history says so, all under one
// correlation id, before the record is deleted. Nothing is left pointing at a missing record.
import { withCorrelation, type Ctx } from '../platform/context.ts';
import { updateAsset } from './asset.service.ts';
import { updateInterface } from './interface.service.ts';

export type AssetReference = 'locationId' | 'contactId' | 'vendorId';
const COLUMN = { locationId: 'location_id', contactId: 'contact_id', vendorId: 'vendor_id' } as const;

/** How many assets point at the record (or interfaces, for a network): what a delete will touch. */
export async function countReferences(ctx: Ctx, reference: AssetReference | 'networkId', id: number): Promise<number> {
  const row = reference === 'networkId'
    ? await ctx.db.selectFrom('asset_interfaces').where('network_id', '=', id).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    : await ctx.db.selectFrom('assets').where(COLUMN[reference], '=', id).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Clears the reference everywhere, in the caller's transaction; `reason` goes into each history event. */
export async function clearReferences(ctx: Ctx, reference: AssetReference | 'networkId', id: number, reason: string): Promise<void> {
  const bulk = withCorrelation({ ...ctx, reason: ctx.reason ?? reason }, ctx.correlationId ?? undefined);
  if (reference === 'networkId') {
    const interfaces = await ctx.db.selectFrom('asset_interfaces').select('id').where('network_id', '=', id).orderBy('id').execute();
    for (const i of interfaces) await updateInterface(bulk, i.id, { networkId: null });
    return;
  }
  const assets = await ctx.db.selectFrom('assets').select('id').where(COLUMN[reference], '=', id).orderBy('id').execute();
  for (const asset of assets) await updateAsset(bulk, asset.id, { [reference]: null });
}
