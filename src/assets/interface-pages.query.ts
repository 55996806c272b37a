// What the interface pages read besides the asset and the interface themselves: the other end of a
// cable as a person names it (an asset of the same client, and its port), the connect page's search
// (the client's assets by name, then the chosen one's ports), and the networks the form offers. Handlers call these and render; they hold no queries of their own.
import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';

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

/** How many assets the connect page lists at once; one more is read to say that more match. */
export const CONNECT_CHOICES = 25;

/**
 * The connect page's first step: the client's active assets whose name contains the term (case and
 * accents ignored), by name; all of them (up to the limit) for an empty term.
 */
export async function clientAssetsMatching(
  ctx: Ctx,
  clientId: number,
  term: string,
): Promise<{ assets: Array<{ id: number; name: string; type: string | null }>; more: boolean }> {
  let query = ctx.db.selectFrom('assets').select(['id', 'name', 'type']).where('client_id', '=', clientId).where('archived_at', 'is', null);
  if (term.trim()) query = query.where(foldedContains(ctx.dialect, sql`name`, term.trim()));
  const rows = await query
    .orderBy('name')
    .orderBy('id')
    .limit(CONNECT_CHOICES + 1)
    .execute();
  return { assets: rows.slice(0, CONNECT_CHOICES), more: rows.length > CONNECT_CHOICES };
}

/**
 * The connect page's second step: an asset of this client (undefined for any other) and its ports, each
 * with what it is cabled to already.
 */
export async function assetPortsOfClient(
  ctx: Ctx,
  clientId: number,
  assetId: number,
): Promise<{ id: number; name: string; ports: Array<{ id: number; name: string; type: string | null; cabledTo: string | null }> } | undefined> {
  const asset = await ctx.db.selectFrom('assets').select(['id', 'name']).where('id', '=', assetId).where('client_id', '=', clientId).executeTakeFirst();
  if (!asset) return undefined;
  const ports = await ctx.db
    .selectFrom('asset_interfaces as i')
    .leftJoin('interface_connections as c', 'c.interface_id', 'i.id')
    .leftJoin('asset_interfaces as p', 'p.id', 'c.peer_interface_id')
    .leftJoin('assets as pa', 'pa.id', 'p.asset_id')
    .select(['i.id', 'i.name', 'i.type', 'p.name as peer_port', 'pa.name as peer_asset'])
    .where('i.asset_id', '=', asset.id)
    .orderBy('i.name')
    .orderBy('i.id')
    .execute();
  return {
    id: asset.id,
    name: asset.name,
    ports: ports.map((p) => ({ id: p.id, name: p.name, type: p.type, cabledTo: p.peer_port === null ? null : `${p.peer_asset} ${p.peer_port}` })),
  };
}
