// What the interface pages read besides the asset and the interface themselves: the other end of a
// cable as a person names it (an asset of the same client, and its port), and the networks the edit
// form offers. Handlers call these and render; they hold no queries of their own.
import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';

/** The client's assets with this name, ignoring case: two at most, enough to tell "one" from "several". */
export function clientAssetsNamed(ctx: Ctx, clientId: number, name: string): Promise<Array<{ id: number; name: string }>> {
  return ctx.db
    .selectFrom('assets')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .limit(2)
    .execute();
}

/** The asset's interface with this name, ignoring case, if it has one. */
export function interfaceNamed(ctx: Ctx, assetId: number, name: string): Promise<{ id: number } | undefined> {
  return ctx.db.selectFrom('asset_interfaces').select('id').where('asset_id', '=', assetId).where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

/** Every network of the client by name, archived ones too (an interface may still point at one): the edit form's choices. */
export async function clientNetworkChoices(ctx: Ctx, clientId: number): Promise<Array<{ value: string; label: string }>> {
  const rows = await ctx.db.selectFrom('networks').select(['id', 'name']).where('client_id', '=', clientId).orderBy('name').execute();
  return rows.map((r) => ({ value: String(r.id), label: r.name }));
}
