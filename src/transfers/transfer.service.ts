// Moving assets to another client without losing anything. As in ITFlow, the original is archived
// under its client (its tickets, logins and services keep pointing at it) and a new asset is made
// under the target client; unlike ITFlow, the copy gets every field of the device, every interface
// with all its addresses, the tags, typed notes and photo, the two records point at each other, the
// client's own references are mapped (or cleared), and it all happens in one transaction. The copies
// are new assets like any other, written together by the assets' own writer.
import { authorize, canSeeClient, type Principal } from '../access/access.ts';
import type { NewAssetEvent } from '../history/history.repository.ts';
import { LOGIN_NAME_HIDDEN } from '../history/history.ts';
import { foldText } from '../platform/fields.ts';
import { inTransaction, newCorrelationId, nowIso, withCorrelation, type Ctx } from '../platform/context.ts';
import { ConflictError, ValidationError, type FieldIssue } from '../platform/errors.ts';
import { EDITABLE_FIELDS, type Asset } from '../assets/asset.ts';
import { findAssetById, listInterfaces } from '../assets/asset.service.ts';
import { insertAssets, type NewAsset } from '../assets/asset-writer.ts';
import { archiveAsTransferred, reverseTransfer } from '../assets/asset.service.ts';
import { requireAssetFor } from '../assets/asset-access.ts';
import { restoreRefusal, transferUndoBlocker } from '../assets/transfer-state.ts';
import { appendAssetEvents } from '../history/history.repository.ts';
import { tagNamesOfAsset } from '../tags/tag.service.ts';

export const REF_KINDS = ['location', 'contact', 'vendor', 'network'] as const;
export type RefKind = (typeof REF_KINDS)[number];
const TABLE: Record<RefKind, 'locations' | 'contacts' | 'vendors' | 'networks'> = {
  location: 'locations',
  contact: 'contacts',
  vendor: 'vendors',
  network: 'networks',
};

/** For each kind, a source record id → the target client's record id (null: clear it). */
export type TransferMappings = Partial<Record<RefKind, Record<number, number | null>>>;

export interface TransferRequest {
  assetIds: number[];
  toClientId: number;
  mappings?: TransferMappings;
  reason?: string | null;
}

export interface Named {
  id: number;
  name: string;
}

export interface RefMapping {
  kind: RefKind;
  from: Named;
  to: Named | null;
  /** Chosen by name match, not by the user. */
  automatic: boolean;
}

export interface AssetTransferPlan {
  asset: Asset;
  fromClient: Named;
  copied: { fields: string[]; interfaces: string[]; tags: string[]; notes: number; photo: boolean };
  mappings: RefMapping[];
  staysBehind: { logins: string[]; services: string[]; tickets: string[]; connections: string[] };
}

export interface TransferPlan {
  toClient: Named;
  assets: AssetTransferPlan[];
  /** The target client's records, for choosing mappings. */
  choices: Record<RefKind, Named[]>;
}

export interface TransferResult {
  correlationId: string;
  transfers: Array<{ fromAssetId: number; toAssetId: number; name: string }>;
}

export const MAX_ASSETS_PER_TRANSFER = 5_000;

/**
 * What a transfer would do, checked as the real one is; nothing is written. The logins that stay
 * behind are named only to a user who may see logins.
 */
export async function planTransfer(ctx: Ctx, principal: Principal, request: TransferRequest): Promise<TransferPlan> {
  return planWith(ctx, principal, request, principal.levels.credential >= 1);
}

async function planWith(ctx: Ctx, principal: Principal, request: TransferRequest, nameLogins: boolean): Promise<TransferPlan> {
  authorize(principal, 'support', 2);
  const issues: FieldIssue[] = [];
  const ids = [...new Set(request.assetIds)];
  if (ids.length === 0) issues.push({ field: 'asset_ids', code: 'required', message: 'name at least one asset' });
  if (ids.length > MAX_ASSETS_PER_TRANSFER) issues.push({ field: 'asset_ids', code: 'too_many', message: `at most ${MAX_ASSETS_PER_TRANSFER} assets at once` });
  const target = await ctx.db.selectFrom('clients').select(['id', 'name', 'archived_at']).where('id', '=', request.toClientId).executeTakeFirst();
  if (!target || !canSeeClient(principal, target.id))
    issues.push({ field: 'to_client_id', code: 'not_found', message: `client ${request.toClientId} does not exist` });
  else if (target.archived_at) issues.push({ field: 'to_client_id', code: 'archived', message: `client ${target.name} is archived` });
  if (issues.length) throw new ValidationError(issues);
  authorize(principal, 'support', 2, { clientId: target!.id, entity: 'client', id: target!.id });

  const choices = Object.fromEntries(
    await Promise.all(
      REF_KINDS.map(async (kind) => [
        kind,
        await ctx.db
          .selectFrom(TABLE[kind])
          .select(['id', 'name'])
          .where('client_id', '=', target!.id)
          .where('archived_at', 'is', null)
          .orderBy('name')
          .execute(),
      ]),
    ),
  ) as Record<RefKind, Named[]>;
  for (const kind of REF_KINDS) {
    for (const [from, to] of Object.entries(request.mappings?.[kind] ?? {})) {
      if (to !== null && !choices[kind].some((c) => c.id === to)) {
        issues.push({ field: `mappings.${kind}.${from}`, code: 'not_found', message: `${kind} ${to} is not one of ${target!.name}'s` });
      }
    }
  }

  const clientNames = new Map<number, string>();
  const plans: AssetTransferPlan[] = [];
  for (const id of ids) {
    const asset = await findAssetById(ctx, id);
    if (!asset || !canSeeClient(principal, asset.clientId)) {
      issues.push({ field: 'asset_ids', code: 'not_found', message: `asset ${id} does not exist` });
      continue;
    }
    authorize(principal, 'support', 2, { clientId: asset.clientId, entity: 'asset', id: asset.id });
    if (asset.transferredToId !== null) {
      throw new ConflictError(`asset ${asset.name} (${id}) was already transferred (to asset ${asset.transferredToId}); nothing was transferred`);
    }
    // A copy withdrawn by "undo transfer" is not the device any more: its original is.
    const withdrawn = await restoreRefusal(ctx, asset);
    if (withdrawn) throw new ConflictError(`${withdrawn}; nothing was transferred`);
    if (asset.clientId === target!.id) {
      issues.push({ field: 'asset_ids', code: 'same_client', message: `asset ${asset.name} (${id}) already belongs to ${target!.name}` });
      continue;
    }
    if (!clientNames.has(asset.clientId)) {
      clientNames.set(asset.clientId, (await ctx.db.selectFrom('clients').select('name').where('id', '=', asset.clientId).executeTakeFirstOrThrow()).name);
    }
    plans.push(await planOne(ctx, asset, { id: asset.clientId, name: clientNames.get(asset.clientId)! }, choices, request.mappings ?? {}, nameLogins));
  }
  if (issues.length) throw new ValidationError(issues);
  return { toClient: { id: target!.id, name: target!.name }, assets: plans, choices };
}

async function planOne(
  ctx: Ctx,
  asset: Asset,
  fromClient: Named,
  choices: Record<RefKind, Named[]>,
  mappings: TransferMappings,
  nameLogins: boolean,
): Promise<AssetTransferPlan> {
  const interfaces = await listInterfaces(ctx, asset.id);
  const refs: Array<[RefKind, number | null]> = [
    ['location', asset.locationId],
    ['contact', asset.contactId],
    ['vendor', asset.vendorId],
    ...interfaces.map((i): [RefKind, number | null] => ['network', i.networkId]),
  ];
  const seen = new Set<string>();
  const mapped: RefMapping[] = [];
  for (const [kind, id] of refs) {
    if (id === null || seen.has(`${kind}:${id}`)) continue;
    seen.add(`${kind}:${id}`);
    const from = await ctx.db.selectFrom(TABLE[kind]).select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    if (!from) continue;
    const chosen = mappings[kind]?.[id];
    const byName = choices[kind].find((c) => foldText(c.name) === foldText(from.name)) ?? null;
    const to = chosen === undefined ? byName : chosen === null ? null : (choices[kind].find((c) => c.id === chosen) ?? null);
    mapped.push({ kind, from, to, automatic: chosen === undefined && byName !== null });
  }
  const [tags, notes, logins, services, tickets, connections] = await Promise.all([
    tagNamesOfAsset(ctx, asset.id),
    ctx.db
      .selectFrom('asset_notes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('asset_id', '=', asset.id)
      .executeTakeFirstOrThrow(),
    ctx.db.selectFrom('logins').select('name').where('asset_id', '=', asset.id).orderBy('name').execute(),
    ctx.db
      .selectFrom('services as s')
      .innerJoin('service_assets as sa', 'sa.service_id', 's.id')
      .select('s.name')
      .where('sa.asset_id', '=', asset.id)
      .orderBy('s.name')
      .execute(),
    ctx.db
      .selectFrom('tickets as t')
      .innerJoin('ticket_assets as ta', 'ta.ticket_id', 't.id')
      .select(['t.number', 't.subject'])
      .where('ta.asset_id', '=', asset.id)
      .orderBy('t.number')
      .execute(),
    ctx.db
      .selectFrom('interface_connections as c')
      .innerJoin('asset_interfaces as i', 'i.id', 'c.interface_id')
      .innerJoin('asset_interfaces as p', 'p.id', 'c.peer_interface_id')
      .innerJoin('assets as pa', 'pa.id', 'p.asset_id')
      .select(['i.name as port', 'pa.name as peer', 'p.name as peer_port'])
      .where('i.asset_id', '=', asset.id)
      .execute(),
  ]);
  const fields = EDITABLE_FIELDS.filter(
    (f) => !['locationId', 'contactId', 'vendorId'].includes(f) && asset[f] !== null && asset[f] !== false && asset[f] !== '',
  );
  return {
    asset,
    fromClient,
    copied: { fields, interfaces: interfaces.map((i) => i.name), tags, notes: Number(notes.n), photo: asset.photo !== null },
    mappings: mapped,
    staysBehind: {
      logins: logins.map((l) => (nameLogins ? l.name : LOGIN_NAME_HIDDEN)),
      services: services.map((s) => s.name),
      tickets: tickets.map((t) => `#${t.number} ${t.subject}`),
      connections: connections.map((c) => `${c.port} ↔ ${c.peer} ${c.peer_port}`),
    },
  };
}

/** Carries the transfer out: all assets or none. */
export async function transferAssets(ctx: Ctx, principal: Principal, request: TransferRequest): Promise<TransferResult> {
  const correlationId = newCorrelationId();
  const reason = typeof request.reason === 'string' && request.reason.trim() ? request.reason.trim().slice(0, 500) : null;
  const tctx = withCorrelation({ ...ctx, source: 'transfer', reason }, correlationId);
  const transfers = await inTransaction(tctx, async (ctx) => {
    // History keeps the logins' names; it hides them again from readers who may not see logins.
    const plan = await planWith(ctx, principal, request, true);
    const copies: NewAsset[] = [];
    for (const one of plan.assets) copies.push(await copyOf(ctx, one, plan.toClient));
    const newIds = await insertAssets(ctx, copies, {
      precededBy: async (ids) => {
        const at = nowIso(ctx);
        const events: NewAssetEvent[] = [];
        for (const [i, one] of plan.assets.entries()) events.push(await leaveBehind(ctx, one, plan.toClient, ids[i]!, at));
        return events;
      },
    });
    return plan.assets.map((one, i) => ({ fromAssetId: one.asset.id, toAssetId: newIds[i]!, name: one.asset.name }));
  });
  return { correlationId, transfers };
}

/** The new asset under the target client: every field, interface and tag, the client's references mapped. */
async function copyOf(ctx: Ctx, plan: AssetTransferPlan, toClient: Named): Promise<NewAsset> {
  const a = plan.asset;
  const target = (kind: RefKind, id: number | null) => (id === null ? null : (plan.mappings.find((m) => m.kind === kind && m.from.id === id)?.to?.id ?? null));
  const fields = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, a[f]])) as NewAsset['fields'];
  Object.assign(fields, { locationId: target('location', a.locationId), contactId: target('contact', a.contactId), vendorId: target('vendor', a.vendorId) });
  const interfaces = (await listInterfaces(ctx, a.id)).map((i) => ({
    name: i.name,
    description: i.description,
    type: i.type,
    mac: i.mac,
    ip: i.ip,
    natIp: i.natIp,
    ipv6: i.ipv6,
    notes: i.notes,
    networkId: target('network', i.networkId),
    primary: i.primary,
  }));
  const tags = await ctx.db
    .selectFrom('asset_tags as t')
    .innerJoin('tags as g', 'g.id', 't.tag_id')
    .select(['g.id', 'g.name'])
    .where('t.asset_id', '=', a.id)
    .execute();
  return {
    clientId: toClient.id,
    fields,
    interfaces,
    tags,
    photo: a.photo,
    transferredFromId: a.id,
    action: 'transferred_in',
    details: {
      fromClientId: a.clientId,
      fromClientName: plan.fromClient.name,
      fromAssetId: a.id,
      interfaces: plan.copied.interfaces.length,
      tags: plan.copied.tags,
      notes: plan.copied.notes,
      mappings: mappedRefs(plan),
    },
  };
}

/** Archives the original, pointing it at its copy, and copies its notes: returns its "transferred out" event. */
async function leaveBehind(ctx: Ctx, plan: AssetTransferPlan, toClient: Named, newId: number, at: string): Promise<NewAssetEvent> {
  const a = plan.asset;
  if (!(await archiveAsTransferred(ctx, a, newId, at)))
    throw new ConflictError(`asset ${a.name} (${a.id}) changed or was transferred by someone else meanwhile; nothing was transferred`);

  const notes = await ctx.db.selectFrom('asset_notes').selectAll().where('asset_id', '=', a.id).orderBy('id').execute();
  for (const n of notes) {
    await ctx.db
      .insertInto('asset_notes')
      .values({
        asset_id: newId,
        type: n.type,
        body: n.body,
        created_by_user_id: n.created_by_user_id,
        created_by_name: n.created_by_name,
        created_at: n.created_at,
        updated_at: n.updated_at,
        archived_at: n.archived_at,
      })
      .execute();
  }
  return {
    assetId: a.id,
    clientId: a.clientId,
    assetName: a.name,
    action: 'transferred_out',
    changes: a.archivedAt ? [] : [{ field: 'archivedAt', old: null, new: at }],
    details: { toClientId: toClient.id, toClientName: toClient.name, toAssetId: newId, mappings: mappedRefs(plan), staysBehind: plan.staysBehind },
  };
}

function mappedRefs(plan: AssetTransferPlan) {
  return plan.mappings.map((m) => ({ kind: m.kind, from: m.from, to: m.to }));
}

export interface UndoneTransfer {
  correlationId: string;
  originalId: number;
  copyId: number;
  name: string;
}

/**
 * Undoes a transfer while its copy is untouched: the copy is archived, the original comes back as it
 * was before (restored, unless it was archived already), and both histories say so under one
 * correlation id. The acting user needs write access to both clients.
 */
export async function undoTransfer(ctx: Ctx, originalId: number): Promise<UndoneTransfer> {
  const correlationId = newCorrelationId();
  const tctx = withCorrelation({ ...ctx, source: 'transfer' }, correlationId);
  return inTransaction(tctx, async (ctx) => {
    const original = await requireAssetFor(ctx, originalId, 2);
    const blocker = await transferUndoBlocker(ctx, original);
    if (blocker) throw new ConflictError(`The transfer cannot be undone: ${blocker}. Nothing was changed.`);
    const copy = await requireAssetFor(ctx, original.transferredToId!, 2);
    const out = await ctx.db
      .selectFrom('asset_events')
      .select('changes')
      .where('asset_id', '=', original.id)
      .where('action', '=', 'transferred_out')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    // The transfer archived the original only if it was active; otherwise it stays archived.
    const changes = (typeof out?.changes === 'string' ? JSON.parse(out.changes) : (out?.changes ?? [])) as Array<{ field: string }>;
    const restoreOriginal = changes.some((c) => c.field === 'archivedAt');
    const [fromClient, toClient] = await Promise.all([clientName(ctx, original.clientId), clientName(ctx, copy.clientId)]);
    const at = nowIso(ctx);
    await reverseTransfer(ctx, original, copy, at, restoreOriginal);
    await appendAssetEvents(ctx, [
      {
        assetId: copy.id,
        clientId: copy.clientId,
        assetName: copy.name,
        action: 'transfer_undone',
        changes: [{ field: 'archivedAt', old: null, new: at }],
        details: { originalId: original.id, fromClientId: original.clientId, fromClientName: fromClient },
      },
      {
        assetId: original.id,
        clientId: original.clientId,
        assetName: original.name,
        action: 'transfer_undone',
        changes: restoreOriginal ? [{ field: 'archivedAt', old: original.archivedAt, new: null }] : [],
        details: { copyId: copy.id, toClientId: copy.clientId, toClientName: toClient },
      },
    ]);
    return { correlationId, originalId: original.id, copyId: copy.id, name: original.name };
  });
}

async function clientName(ctx: Ctx, id: number): Promise<string> {
  const row = await ctx.db.selectFrom('clients').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? `client ${id}`;
}

/** The earlier records of an asset (transferred from, and from before that), nearest first. */
export async function lineageOf(ctx: Ctx, assetId: number): Promise<Array<{ id: number; clientId: number }>> {
  const chain: Array<{ id: number; clientId: number }> = [];
  let current = await ctx.db.selectFrom('assets').select(['transferred_from_id']).where('id', '=', assetId).executeTakeFirst();
  // Deleted records leave their events behind; follow the pointers the events kept when the row is gone.
  let nextId = current?.transferred_from_id ?? null;
  while (nextId !== null && chain.length < 100 && !chain.some((c) => c.id === nextId)) {
    const row = await ctx.db.selectFrom('assets').select(['id', 'client_id', 'transferred_from_id']).where('id', '=', nextId).executeTakeFirst();
    if (!row) {
      const event = await ctx.db.selectFrom('asset_events').select(['client_id']).where('asset_id', '=', nextId).orderBy('id', 'desc').executeTakeFirst();
      if (event) chain.push({ id: nextId, clientId: event.client_id });
      break;
    }
    chain.push({ id: row.id, clientId: row.client_id });
    current = row;
    nextId = row.transferred_from_id;
  }
  return chain;
}
