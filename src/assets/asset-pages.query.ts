// What the asset pages read besides the asset list (asset-list.query.ts): the detail page's read model,
// the transfer links, the records an asset links to or could link to, the choices of the asset form
// and the list's filters. Handlers call these and render; they hold no queries of their own.
import { restoreRefusal, transferUndoBlocker } from './transfer-state.ts';
import type { Principal } from '../access/access.ts';
import { canSeeClient, checkActingUser } from '../access/access.ts';
import { sql } from 'kysely';
import { foldedContains } from '../platform/db/fold.ts';
import { readAssetHistory } from '../history/history.read.ts';
import { listValues } from '../lists/list.service.ts';
import type { Ctx } from '../platform/context.ts';
import { tagChoices, tagsOfAsset } from '../tags/tag.service.ts';
import type { AssetWithPrimary } from './asset.ts';
import { listInterfaces } from './asset.repository.ts';
import { loadStoryReferences } from './asset-history.query.ts';

type ClientRecord = 'locations' | 'contacts' | 'vendors' | 'networks';

/** A client's active locations, contacts, vendors or networks by name: the choices of a form or filter. */
export function activeChoices(ctx: Ctx, table: ClientRecord, clientId: number): Promise<Array<{ id: number; name: string }>> {
  return ctx.db.selectFrom(table).select(['id', 'name']).where('client_id', '=', clientId).where('archived_at', 'is', null).orderBy('name').execute();
}

export function activeTags(ctx: Ctx): Promise<Array<{ id: number; name: string; color: string | null }>> {
  return ctx.db.selectFrom('tags').select(['id', 'name', 'color']).where('archived_at', 'is', null).orderBy('name').execute();
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
    storyRefs: await loadStoryReferences(ctx, principal, history.events),
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
  // A transferred original is restored only by undoing its transfer, while its copy is untouched.
  const undoBlocker = asset.transferredToId === null ? null : await transferUndoBlocker(ctx, asset);
  const restoreBlocker = asset.archivedAt === null ? null : await restoreRefusal(ctx, asset);
  return { from: await describe(asset.transferredFromId), to: await describe(asset.transferredToId), undoBlocker, restoreBlocker };
}

/**
 * Tags, note types and the logins (if the user may see them), services and tickets linked to the asset.
 * What could be linked is not loaded here: the pickers start empty and search (`linkableMatching`).
 */
export async function assetRelated(ctx: Ctx, assetId: number, _clientId: number, withLogins: boolean) {
  const [tags, allTags, noteTypes, logins, services, tickets] = await Promise.all([
    tagsOfAsset(ctx, assetId),
    tagChoices(ctx),
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
  ]);
  return { tags, tagChoices: allTags.map((t) => ({ name: t.name })), noteTypes, related: { logins, services, tickets } };
}

export type LinkKind = 'login' | 'service' | 'ticket';

/** How many choices a picker search shows; one more is read to tell the user to type more. */
export const PICKER_LIMIT = 20;

/**
 * The picker's search: the client's records of this kind not yet linked to the asset whose name (a
 * ticket: its subject or number) contains the term, case and accents ignored. `more` says that more
 * than PICKER_LIMIT match. Logins are named only to someone who may read the client's logins.
 */
export async function linkableMatching(
  ctx: Ctx,
  kind: LinkKind,
  asset: { id: number; clientId: number },
  term: string,
): Promise<{ choices: Array<{ id: number; label: string }>; more: boolean }> {
  const q = term.trim();
  if (!q) return { choices: [], more: false };
  const limit = PICKER_LIMIT + 1;
  let rows: Array<{ id: number; label: string }>;
  if (kind === 'login') {
    checkActingUser(ctx, 'credential', 1, { clientId: asset.clientId, entity: 'login', id: '' });
    rows = await ctx.db
      .selectFrom('logins')
      .select(['id', 'name as label'])
      .where('client_id', '=', asset.clientId)
      .where('archived_at', 'is', null)
      .where((eb) => eb.or([eb('asset_id', 'is', null), eb('asset_id', '!=', asset.id)]))
      .where(foldedContains(ctx.dialect, sql`name`, q))
      .orderBy('name')
      .limit(limit)
      .execute();
  } else if (kind === 'service') {
    rows = await ctx.db
      .selectFrom('services')
      .select(['id', 'name as label'])
      .where('client_id', '=', asset.clientId)
      .where('archived_at', 'is', null)
      .where('id', 'not in', (eb) => eb.selectFrom('service_assets').select('service_id').where('asset_id', '=', asset.id))
      .where(foldedContains(ctx.dialect, sql`name`, q))
      .orderBy('name')
      .limit(limit)
      .execute();
  } else {
    const number = /^#?(\d{1,9})$/.exec(q)?.[1];
    const found = await ctx.db
      .selectFrom('tickets')
      .select(['id', 'number', 'subject'])
      .where('client_id', '=', asset.clientId)
      .where('closed_at', 'is', null)
      .where('id', 'not in', (eb) => eb.selectFrom('ticket_assets').select('ticket_id').where('asset_id', '=', asset.id))
      .where((eb) => {
        const bySubject = foldedContains(ctx.dialect, sql`subject`, q);
        return number ? eb.or([bySubject, eb('number', '=', Number(number))]) : bySubject;
      })
      .orderBy('number', 'desc')
      .limit(limit)
      .execute();
    rows = found.map((t) => ({ id: t.id, label: `#${t.number} ${t.subject}` }));
  }
  return { choices: rows.slice(0, PICKER_LIMIT), more: rows.length > PICKER_LIMIT };
}
