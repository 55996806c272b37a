// The reads of an asset's parts for /api/v2 (v2.asset-parts.ts): its interfaces with their cable, its
// notes, tags, and the logins, services and tickets linked to it. Plain reads by id: the routes check
// the asset (loadAssetFor) before they answer any of them. A login is read without its secrets.
import type { Ctx } from '../platform/context.ts';

export interface InterfaceRow {
  id: number;
  asset_id: number;
  asset_name: string;
  name: string;
  description: string | null;
  type: string | null;
  mac: string | null;
  ip: string | null;
  nat_ip: string | null;
  ipv6: string | null;
  network_id: number | null;
  notes: string | null;
  is_primary: number | boolean;
  peer_interface_id: number | null;
  created_at: string;
  updated_at: string | null;
}

function interfaces(ctx: Ctx) {
  return ctx.db
    .selectFrom('asset_interfaces as i')
    .innerJoin('assets as a', 'a.id', 'i.asset_id')
    .leftJoin('interface_connections as c', 'c.interface_id', 'i.id')
    .select([
      'i.id',
      'i.asset_id',
      'a.name as asset_name',
      'i.name',
      'i.description',
      'i.type',
      'i.mac',
      'i.ip',
      'i.nat_ip',
      'i.ipv6',
      'i.network_id',
      'i.notes',
      'i.is_primary',
      'c.peer_interface_id',
      'i.created_at',
      'i.updated_at',
    ]);
}

/** The asset's interfaces, the primary first, then by name. */
export async function interfacesOfAsset(ctx: Ctx, assetId: number): Promise<InterfaceRow[]> {
  return interfaces(ctx).where('i.asset_id', '=', assetId).orderBy('i.is_primary', 'desc').orderBy('i.name').orderBy('i.id').execute();
}

export async function interfaceById(ctx: Ctx, id: number): Promise<InterfaceRow | null> {
  return (await interfaces(ctx).where('i.id', '=', id).executeTakeFirst()) ?? null;
}

export interface NoteRow {
  id: number;
  asset_id: number;
  type: string;
  body: string;
  created_by_name: string | null;
  created_at: string;
  updated_at: string | null;
  archived_at: string | null;
}

export async function noteById(ctx: Ctx, id: number): Promise<NoteRow | null> {
  return (
    (await ctx.db
      .selectFrom('asset_notes')
      .select(['id', 'asset_id', 'type', 'body', 'created_by_name', 'created_at', 'updated_at', 'archived_at'])
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

/** The asset's tags with their ids, by name. */
export async function tagsOfAsset(ctx: Ctx, assetId: number): Promise<Array<{ id: number; name: string; color: string | null }>> {
  const rows = await ctx.db
    .selectFrom('asset_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .select(['t.id', 't.name', 't.color'])
    .where('at.asset_id', '=', assetId)
    .execute();
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The logins linked to the asset: id, name and address only, never a secret. */
export async function loginsOfAsset(ctx: Ctx, assetId: number): Promise<Array<{ id: number; name: string; uri: string | null }>> {
  return ctx.db.selectFrom('logins').select(['id', 'name', 'uri']).where('asset_id', '=', assetId).orderBy('name').orderBy('id').execute();
}

export async function servicesOfAsset(ctx: Ctx, assetId: number): Promise<Array<{ id: number; name: string }>> {
  return ctx.db
    .selectFrom('services as s')
    .innerJoin('service_assets as sa', 'sa.service_id', 's.id')
    .select(['s.id', 's.name'])
    .where('sa.asset_id', '=', assetId)
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
}

export async function ticketsOfAsset(ctx: Ctx, assetId: number): Promise<Array<{ id: number; number: number; subject: string; status: string }>> {
  return ctx.db
    .selectFrom('tickets as t')
    .innerJoin('ticket_assets as ta', 'ta.ticket_id', 't.id')
    .select(['t.id', 't.number', 't.subject', 't.status'])
    .where('ta.asset_id', '=', assetId)
    .orderBy('t.number', 'desc')
    .orderBy('t.id')
    .execute();
}
