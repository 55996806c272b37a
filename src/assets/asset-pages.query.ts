// What the asset pages read besides the asset list (asset-list.query.ts): the detail page's read model,
// the transfer links, the records an asset links to or could link to, the choices of the asset form
// and the list's filters. Handlers call these and render; they hold no queries of their own.
import type { Principal } from '../access/access.ts';
import { canSeeClient } from '../access/access.ts';
import { readAssetHistory } from '../history/history.read.ts';
import { listValues } from '../lists/list.service.ts';
import type { Ctx } from '../platform/context.ts';
import { tagNamesOfAsset } from '../tags/tag.service.ts';
import type { AssetWithPrimary } from './asset.ts';
import { listInterfaces } from './asset.repository.ts';

type ClientRecord = 'locations' | 'contacts' | 'vendors' | 'networks';

/** A client's active locations, contacts, vendors or networks by name: the choices of a form or filter. */
export function activeChoices(ctx: Ctx, table: ClientRecord, clientId: number): Promise<Array<{ id: number; name: string }>> {
  return ctx.db.selectFrom(table).select(['id', 'name']).where('client_id', '=', clientId).where('archived_at', 'is', null).orderBy('name').execute();
}

export function activeTags(ctx: Ctx): Promise<Array<{ id: number; name: string }>> {
  return ctx.db.selectFrom('tags').select(['id', 'name']).where('archived_at', 'is', null).orderBy('name').execute();
}

export function findClient(ctx: Ctx, id: number) {
  return ctx.db.selectFrom('clients').select(['id', 'name', 'archived_at']).where('id', '=', id).executeTakeFirst();
}

/** Everything the asset page shows about the asset itself, its interfaces, notes and history. */
export async function assetDetail(ctx: Ctx, principal: Principal, asset: AssetWithPrimary) {
  const name = async (table: 'locations' | 'contacts' | 'vendors', id: number | null) =>
    id ? ((await ctx.db.selectFrom(table).select('name').where('id', '=', id).executeTakeFirst())?.name ?? null) : null;
  const [client, location, contact, vendor, interfaces, notes, history, connections, interfaceTypes, networks] = await Promise.all([
    ctx.db.selectFrom('clients').select('name').where('id', '=', asset.clientId).executeTakeFirstOrThrow(),
    name('locations', asset.locationId),
    name('contacts', asset.contactId),
    name('vendors', asset.vendorId),
    listInterfaces(ctx, asset.id),
    ctx.db
      .selectFrom('asset_notes')
      .select(['id', 'type', 'body', 'created_at', 'created_by_name'])
      .where('asset_id', '=', asset.id)
      .where('archived_at', 'is', null)
      .orderBy('id', 'desc')
      .execute(),
    readAssetHistory(ctx, principal, asset.id, { includeLineage: true, limit: 200 }),
    ctx.db
      .selectFrom('asset_interfaces as i')
      .innerJoin('interface_connections as c', 'c.interface_id', 'i.id')
      .innerJoin('asset_interfaces as p', 'p.id', 'c.peer_interface_id')
      .innerJoin('assets as pa', 'pa.id', 'p.asset_id')
      .select(['i.id', 'pa.id as asset_id', 'pa.name as asset_name', 'p.name as port_name'])
      .where('i.asset_id', '=', asset.id)
      .execute(),
    listValues(ctx, 'interface_type').then((vs) => vs.map((v) => v.name)),
    activeChoices(ctx, 'networks', asset.clientId),
  ]);
  return {
    clientName: client.name,
    names: { location, contact, vendor },
    interfaces,
    connections: new Map(connections.map((c) => [c.id, { assetId: c.asset_id, assetName: c.asset_name, portName: c.port_name }])),
    interfaceTypes,
    networks,
    notes: notes.map((n) => ({ id: n.id, type: n.type, body: n.body, createdAt: n.created_at, createdBy: n.created_by_name })),
    events: history.events,
  };
}

/** Where this asset came from or went to, as far as the user may see those clients. */
export async function transferLinks(ctx: Ctx, principal: Principal, asset: AssetWithPrimary) {
  const describe = async (id: number | null) => {
    if (id === null) return null;
    const row = await ctx.db
      .selectFrom('assets as a')
      .innerJoin('clients as c', 'c.id', 'a.client_id')
      .select(['a.id', 'a.client_id', 'c.name as client_name'])
      .where('a.id', '=', id)
      .executeTakeFirst();
    if (!row || !canSeeClient(principal, row.client_id)) return { id: null, clientName: null };
    return { id: row.id, clientName: row.client_name };
  };
  return { from: await describe(asset.transferredFromId), to: await describe(asset.transferredToId) };
}

/** Tags, note types, linked logins (if the user may see them)/services/tickets, and what could be linked (the client's, 200 at most). */
export async function assetRelated(ctx: Ctx, assetId: number, clientId: number, withLogins: boolean) {
  const [tags, noteTypes, logins, services, tickets, freeLogins, freeServices, openTickets] = await Promise.all([
    tagNamesOfAsset(ctx, assetId),
    listValues(ctx, 'note_type').then((vs) => vs.map((v) => v.name)),
    withLogins ? ctx.db.selectFrom('logins').select(['id', 'name', 'uri']).where('asset_id', '=', assetId).orderBy('name').execute() : [],
    ctx.db
      .selectFrom('services as s')
      .innerJoin('service_assets as sa', 'sa.service_id', 's.id')
      .select(['s.id', 's.name'])
      .where('sa.asset_id', '=', assetId)
      .orderBy('s.name')
      .execute(),
    ctx.db
      .selectFrom('tickets as t')
      .innerJoin('ticket_assets as ta', 'ta.ticket_id', 't.id')
      .select(['t.id', 't.number', 't.subject', 't.status'])
      .where('ta.asset_id', '=', assetId)
      .orderBy('t.number', 'desc')
      .execute(),
    withLogins
      ? ctx.db
          .selectFrom('logins')
          .select(['id', 'name'])
          .where('client_id', '=', clientId)
          .where('archived_at', 'is', null)
          .where((eb) => eb.or([eb('asset_id', 'is', null), eb('asset_id', '!=', assetId)]))
          .orderBy('name')
          .limit(200)
          .execute()
      : [],
    ctx.db
      .selectFrom('services')
      .select(['id', 'name'])
      .where('client_id', '=', clientId)
      .where('archived_at', 'is', null)
      .where('id', 'not in', (eb) => eb.selectFrom('service_assets').select('service_id').where('asset_id', '=', assetId))
      .orderBy('name')
      .limit(200)
      .execute(),
    ctx.db
      .selectFrom('tickets')
      .select(['id', 'number', 'subject'])
      .where('client_id', '=', clientId)
      .where('closed_at', 'is', null)
      .where('id', 'not in', (eb) => eb.selectFrom('ticket_assets').select('ticket_id').where('asset_id', '=', assetId))
      .orderBy('number', 'desc')
      .limit(200)
      .execute(),
  ]);
  return {
    tags,
    noteTypes,
    related: { logins, services, tickets },
    linkable: {
      logins: freeLogins.map((l) => ({ id: l.id, label: l.name })),
      services: freeServices.map((x) => ({ id: x.id, label: x.name })),
      tickets: openTickets.map((x) => ({ id: x.id, label: `#${x.number} ${x.subject}` })),
    },
  };
}
