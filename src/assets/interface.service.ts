// Interfaces (ports, NICs) of an asset: exactly one primary; connections between two ports of the
// same client. Every change is written to the history of the asset(s) it touches.
import { appendAssetEvents, type NewAssetEvent } from '../history/history.repository.ts';
import { diffFields } from '../history/history.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { requireAssetFor } from './asset-access.ts';
import { ConflictError, IssueList, NotFoundError, ValidationError } from '../platform/errors.ts';
import { interfaceFieldsToColumns, INTERFACE_FIELDS, type Asset, type AssetInterface, type InterfaceFields } from './asset.ts';
import { findAssetById, findInterface, listInterfaces, refreshSearchDocument } from './asset.repository.ts';
import { parseInterfaceFields, type InterfaceFieldsInput } from './asset.rules.ts';

export async function getInterfaces(ctx: Ctx, assetId: number): Promise<AssetInterface[]> {
  await requireAssetFor(ctx, assetId, 1);
  return listInterfaces(ctx, assetId);
}

export async function addInterface(ctx: Ctx, assetId: number, input: InterfaceFieldsInput & { primary?: boolean }): Promise<AssetInterface> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const issues = new IssueList();
    const fields = await parseInterfaceFields(ctx, input, asset.clientId, 'create', issues);
    issues.throwIfAny();
    const at = nowIso(ctx);
    const previous = input.primary ? await unsetPrimary(ctx, assetId, at) : null;
    const { id } = await ctx.db
      .insertInto('asset_interfaces')
      .values({ asset_id: assetId, name: fields.name!, ...interfaceFieldsToColumns(fields), is_primary: input.primary ? 1 : 0, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const changes = diffFields<Partial<InterfaceFields>>({}, fields, INTERFACE_FIELDS);
    const events: NewAssetEvent[] = [event(asset, 'interface_added', { interfaceId: id, interfaceName: fields.name }, changes)];
    if (input.primary) {
      events.push(
        event(asset, 'primary_interface_changed', { interfaceId: id }, [{ field: 'primaryInterface', old: previous?.name ?? null, new: fields.name }]),
      );
    }
    await refreshSearchDocument(ctx, assetId);
    await touchAsset(ctx, asset, at);
    await appendAssetEvents(ctx, events);
    return (await findInterface(ctx, id))!;
  });
}

/** "Add several": count interfaces named prefix + two-digit number from start, none primary. */
export async function addInterfaces(
  ctx: Ctx,
  assetId: number,
  input: { start: number; count: number; prefix?: string; type?: unknown; networkId?: unknown; notes?: unknown },
): Promise<AssetInterface[]> {
  const issues = new IssueList();
  if (!Number.isSafeInteger(input.start) || input.start < 0) issues.add('start', 'invalid', 'must be a whole number, 0 or more');
  if (!Number.isSafeInteger(input.count) || input.count < 1 || input.count > 512) issues.add('count', 'invalid', 'must be a whole number from 1 to 512');
  issues.throwIfAny();
  return inTransaction(ctx, async (ctx) => {
    const created: AssetInterface[] = [];
    for (let n = input.start; n < input.start + input.count; n++) {
      const name = `${input.prefix ?? ''}${String(n).padStart(2, '0')}`;
      created.push(await addInterface(ctx, assetId, { name, type: input.type, networkId: input.networkId, notes: input.notes }));
    }
    return created;
  });
}

export async function updateInterface(ctx: Ctx, interfaceId: number, input: InterfaceFieldsInput): Promise<AssetInterface> {
  return inTransaction(ctx, async (ctx) => {
    const current = await loadInterface(ctx, interfaceId);
    const asset = await requireAssetFor(ctx, current.assetId, 2);
    const issues = new IssueList();
    const fields = await parseInterfaceFields(ctx, input, asset.clientId, 'update', issues, current);
    issues.throwIfAny();
    const changes = diffFields<Partial<InterfaceFields>>(current, { ...current, ...fields }, INTERFACE_FIELDS);
    if (changes.length === 0) return current;
    const at = nowIso(ctx);
    const changed = Object.fromEntries(changes.map((c) => [c.field, c.new])) as Partial<InterfaceFields>;
    await ctx.db
      .updateTable('asset_interfaces')
      .set({ ...interfaceFieldsToColumns(changed), updated_at: at })
      .where('id', '=', interfaceId)
      .execute();
    await refreshSearchDocument(ctx, asset.id);
    await touchAsset(ctx, asset, at);
    await appendAssetEvents(ctx, [event(asset, 'interface_updated', { interfaceId, interfaceName: changed.name ?? current.name }, changes)]);
    return (await findInterface(ctx, interfaceId))!;
  });
}

/** Moves the primary flag to this interface; the asset keeps exactly one primary. */
export async function setPrimaryInterface(ctx: Ctx, interfaceId: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const target = await loadInterface(ctx, interfaceId);
    if (target.primary) return;
    const asset = await requireAssetFor(ctx, target.assetId, 2);
    const at = nowIso(ctx);
    const previous = await unsetPrimary(ctx, asset.id, at);
    await ctx.db.updateTable('asset_interfaces').set({ is_primary: 1, updated_at: at }).where('id', '=', interfaceId).execute();
    await refreshSearchDocument(ctx, asset.id);
    await touchAsset(ctx, asset, at);
    await appendAssetEvents(ctx, [
      event(asset, 'primary_interface_changed', { interfaceId }, [{ field: 'primaryInterface', old: previous?.name ?? null, new: target.name }]),
    ]);
  });
}

/** Deletes a non-primary interface (and its connection, recorded on the peer's asset too). */
export async function deleteInterface(ctx: Ctx, interfaceId: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    const current = await loadInterface(ctx, interfaceId);
    if (current.primary) {
      throw new ValidationError([
        {
          field: 'interfaceId',
          code: 'primary',
          message: `interface "${current.name}" is the primary interface; make another interface primary before deleting it`,
        },
      ]);
    }
    const asset = await requireAssetFor(ctx, current.assetId, 2);
    const at = nowIso(ctx);
    const events = await disconnectEvents(ctx, interfaceId);
    await ctx.db.deleteFrom('asset_interfaces').where('id', '=', interfaceId).execute();
    await refreshSearchDocument(ctx, asset.id);
    await touchAsset(ctx, asset, at);
    events.push(event(asset, 'interface_removed', { interfaceId, interface: current }, diffFields<Partial<InterfaceFields>>(current, {}, INTERFACE_FIELDS)));
    await appendAssetEvents(ctx, events);
  });
}

/** Connects two ports (a cable); both must belong to the same client and be free. */
export async function connectInterfaces(ctx: Ctx, interfaceId: number, peerInterfaceId: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    if (interfaceId === peerInterfaceId) {
      throw new ValidationError([{ field: 'peerInterfaceId', code: 'same', message: 'an interface cannot be connected to itself' }]);
    }
    const a = await loadInterface(ctx, interfaceId);
    const b = await loadInterface(ctx, peerInterfaceId);
    const assetA = await requireAssetFor(ctx, a.assetId, 2);
    const assetB = a.assetId === b.assetId ? assetA : await requireAssetFor(ctx, b.assetId, 2);
    if (assetA.clientId !== assetB.clientId) {
      throw new NotFoundError('interface', peerInterfaceId);
    }
    for (const iface of [a, b]) {
      const existing = await ctx.db.selectFrom('interface_connections').select('peer_interface_id').where('interface_id', '=', iface.id).executeTakeFirst();
      if (existing) throw new ConflictError(`interface "${iface.name}" is already connected; disconnect it first`);
    }
    const at = nowIso(ctx);
    await ctx.db
      .insertInto('interface_connections')
      .values([
        { interface_id: a.id, peer_interface_id: b.id, created_at: at },
        { interface_id: b.id, peer_interface_id: a.id, created_at: at },
      ])
      .execute();
    await appendAssetEvents(ctx, [
      event(assetA, 'interface_connected', {
        interfaceId: a.id,
        interfaceName: a.name,
        peerAssetId: assetB.id,
        peerAssetName: assetB.name,
        peerInterfaceId: b.id,
        peerInterfaceName: b.name,
      }),
      ...(assetB.id === assetA.id
        ? []
        : [
            event(assetB, 'interface_connected', {
              interfaceId: b.id,
              interfaceName: b.name,
              peerAssetId: assetA.id,
              peerAssetName: assetA.name,
              peerInterfaceId: a.id,
              peerInterfaceName: a.name,
            }),
          ]),
    ]);
  });
}

export async function disconnectInterface(ctx: Ctx, interfaceId: number): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    await loadInterface(ctx, interfaceId);
    const events = await disconnectEvents(ctx, interfaceId);
    if (events.length === 0) return false;
    await ctx.db
      .deleteFrom('interface_connections')
      .where((eb) => eb.or([eb('interface_id', '=', interfaceId), eb('peer_interface_id', '=', interfaceId)]))
      .execute();
    await appendAssetEvents(ctx, events);
    return true;
  });
}

/** The port this one is cabled to, if any. */
export async function connectedInterface(ctx: Ctx, interfaceId: number): Promise<AssetInterface | null> {
  const row = await ctx.db.selectFrom('interface_connections').select('peer_interface_id').where('interface_id', '=', interfaceId).executeTakeFirst();
  return row ? findInterface(ctx, row.peer_interface_id) : null;
}

async function disconnectEvents(ctx: Ctx, interfaceId: number): Promise<NewAssetEvent[]> {
  const peer = await connectedInterface(ctx, interfaceId);
  if (!peer) return [];
  const self = (await findInterface(ctx, interfaceId))!;
  const asset = (await findAssetById(ctx, self.assetId))!;
  const peerAsset = peer.assetId === asset.id ? asset : (await findAssetById(ctx, peer.assetId))!;
  const out = [
    event(asset, 'interface_disconnected', {
      interfaceId: self.id,
      interfaceName: self.name,
      peerAssetId: peerAsset.id,
      peerAssetName: peerAsset.name,
      peerInterfaceId: peer.id,
      peerInterfaceName: peer.name,
    }),
  ];
  if (peerAsset.id !== asset.id) {
    out.push(
      event(peerAsset, 'interface_disconnected', {
        interfaceId: peer.id,
        interfaceName: peer.name,
        peerAssetId: asset.id,
        peerAssetName: asset.name,
        peerInterfaceId: self.id,
        peerInterfaceName: self.name,
      }),
    );
  }
  return out;
}

async function unsetPrimary(ctx: Ctx, assetId: number, at: string): Promise<AssetInterface | null> {
  const current = (await listInterfaces(ctx, assetId)).find((i) => i.primary) ?? null;
  if (current) await ctx.db.updateTable('asset_interfaces').set({ is_primary: 0, updated_at: at }).where('id', '=', current.id).execute();
  return current;
}

async function touchAsset(ctx: Ctx, asset: Asset, at: string): Promise<void> {
  await ctx.db.updateTable('assets').set({ updated_at: at }).where('id', '=', asset.id).execute();
}

async function loadInterface(ctx: Ctx, id: number): Promise<AssetInterface> {
  const iface = await findInterface(ctx, id);
  if (!iface) throw new NotFoundError('interface', id);
  return iface;
}

function event(asset: Asset, action: NewAssetEvent['action'], details: Record<string, unknown>, changes: NewAssetEvent['changes'] = []): NewAssetEvent {
  return { assetId: asset.id, clientId: asset.clientId, assetName: asset.name, action, details, changes };
}
