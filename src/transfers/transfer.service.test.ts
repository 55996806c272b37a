// Transfers on each database: nothing of the device is lost, references are mapped or cleared, both
// records point at each other and share one story, a failure half-way changes nothing, and of two
// transfers of one asset racing, one wins and the other is told why.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { listInterfaces } from '../assets/asset.repository.ts';
import { addInterface } from '../assets/interface.service.ts';
import { addAssetNote } from '../assets/asset-note.service.ts';
import { archiveAsset, createAsset, getAsset, restoreAsset, updateAsset } from '../assets/asset.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { readAssetHistory } from '../history/history.read.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../platform/errors.ts';
import { tagNamesOfAsset } from '../tags/tag.service.ts';
import { lineageOf, planTransfer, transferAssets, undoTransfer } from './transfer.service.ts';

describe.each(DIALECTS)('transfers on %s', (dialect) => {
  const t = useTestDb(dialect);

  const principalFor = async (role: 'admin' | 'technician' | 'accountant', allow: number[] = []): Promise<Principal> => {
    const user = await createUser(t.ctx, {
      email: `${role}-${Math.random().toString(36).slice(2)}@transfer.test`,
      name: `${role} user`,
      password: 'plum-orchard-lantern-47',
      role,
    });
    for (const clientId of allow) await t.store.db.insertInto('user_client_access').values({ user_id: user.id, client_id: clientId, mode: 'allow' }).execute();
    return (await loadPrincipal(t.ctx, user.id))!;
  };

  it('copies every field, interface, tag and note, maps references by name, and ties the two records together', async () => {
    const from = await makeClientWithRecords(t.ctx, 'Old Owner');
    const to = await makeClientWithRecords(t.ctx, 'New Owner');
    await t.store.db.insertInto('tags').values({ name: 'Loaner', created_at: new Date().toISOString() }).execute();
    const original = await createAsset(t.ctx, {
      clientId: from.client.id,
      name: 'LT-042',
      description: 'Spare laptop',
      type: 'Laptop',
      make: 'Lenovo',
      model: 'T14',
      serial: 'PF3XYZ',
      os: 'Windows 11',
      status: 'Deployed',
      uri: 'https://lt042',
      uri2: 'rdp://lt042',
      uriClient: 'vnc://lt042',
      purchaseReference: 'PO-9',
      purchaseDate: '2024-02-01',
      installDate: '2024-02-03',
      warrantyExpire: '2027-02-01',
      physicalLocation: 'Shelf 3',
      notes: 'Quick note',
      favorite: true,
      locationId: from.location.id,
      contactId: from.contact.id,
      vendorId: from.vendor.id,
      tags: ['loaner'],
      primaryInterface: {
        name: 'eth0',
        type: 'Ethernet',
        ip: '10.0.0.42',
        natIp: '203.0.113.42',
        ipv6: '2001:db8::42',
        mac: '00:11:22:33:44:42',
        networkId: from.network.id,
        notes: 'dock',
      },
    });
    await addInterface(t.ctx, original.id, { name: 'wlan0', type: 'WiFi', ip: 'DHCP', mac: '00:11:22:33:44:43' });
    await addAssetNote(t.ctx, original.id, { type: 'Note', body: 'Battery swapped' });
    const admin = await principalFor('admin');

    const plan = await planTransfer(t.ctx, admin, { assetIds: [original.id], toClientId: to.client.id });
    expect(plan.assets[0]!.mappings.map((m) => [m.kind, m.to?.id, m.automatic])).toEqual([
      ['location', to.location.id, true],
      ['contact', to.contact.id, true],
      ['vendor', to.vendor.id, true],
      ['network', to.network.id, true],
    ]);
    expect(plan.assets[0]!.copied).toMatchObject({ interfaces: ['eth0', 'wlan0'], tags: ['Loaner'], notes: 1 });

    const result = await transferAssets(t.ctx, admin, {
      assetIds: [original.id],
      toClientId: to.client.id,
      mappings: { contact: { [from.contact.id]: null } },
      reason: 'Resold',
    });
    const copyId = result.transfers[0]!.toAssetId;
    const before = await getAsset(t.ctx, original.id);
    const copy = await getAsset(t.ctx, copyId);

    expect(before.archivedAt).not.toBeNull();
    expect(before.transferredToId).toBe(copyId);
    expect(copy.transferredFromId).toBe(original.id);
    expect(copy.clientId).toBe(to.client.id);
    for (const field of [
      'name',
      'description',
      'type',
      'make',
      'model',
      'serial',
      'os',
      'status',
      'uri',
      'uri2',
      'uriClient',
      'purchaseReference',
      'purchaseDate',
      'installDate',
      'warrantyExpire',
      'physicalLocation',
      'notes',
      'favorite',
    ] as const) {
      expect(copy[field], field).toEqual(original[field]);
    }
    expect([copy.locationId, copy.contactId, copy.vendorId]).toEqual([to.location.id, null, to.vendor.id]);
    const strip = (i: Awaited<ReturnType<typeof listInterfaces>>[number]) => ({
      name: i.name,
      type: i.type,
      ip: i.ip,
      natIp: i.natIp,
      ipv6: i.ipv6,
      mac: i.mac,
      notes: i.notes,
      primary: i.primary,
    });
    expect((await listInterfaces(t.ctx, copyId)).map(strip)).toEqual((await listInterfaces(t.ctx, original.id)).map(strip));
    expect((await listInterfaces(t.ctx, copyId)).find((i) => i.name === 'eth0')!.networkId).toBe(to.network.id);
    expect(await tagNamesOfAsset(t.ctx, copyId)).toEqual(['Loaner']);
    expect((await t.store.db.selectFrom('asset_notes').select('body').where('asset_id', '=', copyId).execute()).map((n) => n.body)).toEqual([
      'Battery swapped',
    ]);
    expect(copy.primaryInterface?.ip).toBe('10.0.0.42');

    const out = (await listAssetEvents(t.ctx, original.id)).events[0]!;
    const inn = (await listAssetEvents(t.ctx, copyId)).events[0]!;
    expect(out).toMatchObject({ action: 'transferred_out', source: 'transfer', reason: 'Resold', correlationId: result.correlationId });
    expect(inn).toMatchObject({
      action: 'transferred_in',
      source: 'transfer',
      reason: 'Resold',
      correlationId: result.correlationId,
      details: expect.objectContaining({ fromAssetId: original.id }),
    });
    expect(await lineageOf(t.ctx, copyId)).toEqual([{ id: original.id, clientId: from.client.id }]);
  });

  it('changes nothing at all when a transfer fails half-way', async () => {
    const from = await makeClientWithRecords(t.ctx, 'Half A');
    const to = await makeClientWithRecords(t.ctx, 'Half B');
    const assets = [];
    for (const name of ['OK-1', 'FAIL-ME', 'OK-3'])
      assets.push(await createAsset(t.ctx, { clientId: from.client.id, name, primaryInterface: { ip: '10.1.1.1' } }));
    // The database itself refuses the second copy, after the first has been written.
    if (dialect === 'sqlite') {
      await sql`create trigger fail_transfer before insert on assets when new.name = 'FAIL-ME' and new.transferred_from_id is not null begin select raise(abort, 'injected failure'); end`.execute(
        t.store.db,
      );
    } else {
      await sql`create function fail_transfer() returns trigger language plpgsql as $$ begin if new.name = 'FAIL-ME' and new.transferred_from_id is not null then raise exception 'injected failure'; end if; return new; end $$`.execute(
        t.store.db,
      );
      await sql`create trigger fail_transfer before insert on assets for each row execute function fail_transfer()`.execute(t.store.db);
    }
    const snapshot = async () => ({
      assets: await t.store.db
        .selectFrom('assets')
        .select(['id', 'client_id', 'archived_at', 'transferred_to_id', 'version'])
        .where('client_id', 'in', [from.client.id, to.client.id])
        .orderBy('id')
        .execute(),
      interfaces: await t.store.db
        .selectFrom('asset_interfaces')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
      events: await t.store.db
        .selectFrom('asset_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    });
    const before = await snapshot();
    await expect(transferAssets(t.ctx, await principalFor('admin'), { assetIds: assets.map((a) => a.id), toClientId: to.client.id })).rejects.toThrow(
      'injected failure',
    );
    expect(await snapshot()).toEqual(before);
    await sql`drop trigger fail_transfer${dialect === 'postgres' ? sql` on assets` : sql``}`.execute(t.store.db);
  });

  it('lets one of two simultaneous transfers of an asset win, and tells the other', async () => {
    const from = await makeClientWithRecords(t.ctx, 'Race A');
    const to1 = await makeClientWithRecords(t.ctx, 'Race B');
    const to2 = await makeClientWithRecords(t.ctx, 'Race C');
    const asset = await createAsset(t.ctx, { clientId: from.client.id, name: 'CONTESTED' });
    const admin = await principalFor('admin');
    const results = await Promise.allSettled([
      transferAssets(t.ctx, admin, { assetIds: [asset.id], toClientId: to1.client.id }),
      transferAssets(t.ctx, admin, { assetIds: [asset.id], toClientId: to2.client.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConflictError);
    expect(String(lost.reason.message)).toContain('CONTESTED');
    const copies = await t.store.db.selectFrom('assets').select('client_id').where('transferred_from_id', '=', asset.id).execute();
    expect(copies).toHaveLength(1);
  });

  it('needs write access to both clients, and offers nothing of a client the user may not see', async () => {
    const a = await makeClientWithRecords(t.ctx, 'Perm A');
    const b = await makeClientWithRecords(t.ctx, 'Perm B');
    const assetA = await createAsset(t.ctx, { clientId: a.client.id, name: 'IN-A' });
    const assetB = await createAsset(t.ctx, { clientId: b.client.id, name: 'IN-B' });
    const limitedToA = await principalFor('technician', [a.client.id]);
    await expect(transferAssets(t.ctx, limitedToA, { assetIds: [assetA.id], toClientId: b.client.id })).rejects.toThrow(`client ${b.client.id} does not exist`);
    await expect(planTransfer(t.ctx, limitedToA, { assetIds: [assetB.id], toClientId: a.client.id })).rejects.toThrow(`asset ${assetB.id} does not exist`);
    await expect(planTransfer(t.ctx, await principalFor('accountant'), { assetIds: [assetA.id], toClientId: b.client.id })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const bad = await planTransfer(t.ctx, await principalFor('admin'), { assetIds: [assetA.id], toClientId: a.client.id }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).issues[0]!.message).toContain('already belongs to Perm A');
    expect((await getAsset(t.ctx, assetA.id)).archivedAt).toBeNull();
  });

  it('refuses to restore a transferred original, and undoes the transfer as one story while the copy is untouched', async () => {
    const from = await makeClientWithRecords(t.ctx, 'Undo A');
    const to = await makeClientWithRecords(t.ctx, 'Undo B');
    const asset = await createAsset(t.ctx, { clientId: from.client.id, name: 'UNDO-ME', locationId: from.location.id });
    const admin = await principalFor('admin');
    const copyId = (await transferAssets(t.ctx, admin, { assetIds: [asset.id], toClientId: to.client.id })).transfers[0]!.toAssetId;

    const refused = await restoreAsset(t.ctx, asset.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toContain('use "Undo transfer"');
    expect((await getAsset(t.ctx, asset.id)).archivedAt).not.toBeNull();

    const adminCtx = { ...t.ctx, principal: admin };
    const undone = await undoTransfer(adminCtx, asset.id);
    const original = await getAsset(t.ctx, asset.id);
    const copy = await getAsset(t.ctx, copyId);
    expect(original).toMatchObject({ archivedAt: null, transferredToId: null, clientId: from.client.id });
    expect(copy.archivedAt).not.toBeNull();
    const [onOriginal] = (await listAssetEvents(t.ctx, asset.id)).events;
    const [onCopy] = (await listAssetEvents(t.ctx, copyId)).events;
    expect(onOriginal).toMatchObject({
      action: 'transfer_undone',
      correlationId: undone.correlationId,
      details: expect.objectContaining({ toClientName: 'Undo B' }),
    });
    expect(onCopy).toMatchObject({
      action: 'transfer_undone',
      correlationId: undone.correlationId,
      details: expect.objectContaining({ fromClientName: 'Undo A' }),
    });

    // The withdrawn copy cannot be restored, nor transferred on: the original is the device again.
    await expect(restoreAsset(t.ctx, copyId)).rejects.toThrow('withdrawn when its transfer was undone');
    await expect(transferAssets(t.ctx, admin, { assetIds: [copyId], toClientId: from.client.id })).rejects.toThrow('withdrawn when its transfer was undone');
    // The copy's timeline carries the original's story up to the transfer, not the original's own undo.
    const copyStory = (await readAssetHistory(t.ctx, admin, copyId, { includeLineage: true })).events;
    expect(copyStory.filter((e) => e.action === 'transfer_undone').map((e) => e.assetId)).toEqual([copyId]);
    expect(copyStory.some((e) => e.assetId === asset.id && e.action === 'created')).toBe(true);
    // Transferred again, then the copy is edited: the undo is no longer offered.
    const secondCopy = (await transferAssets(t.ctx, admin, { assetIds: [asset.id], toClientId: to.client.id })).transfers[0]!.toAssetId;
    await updateAsset(t.ctx, secondCopy, { os: 'Windows 11' });
    await expect(undoTransfer(adminCtx, asset.id)).rejects.toThrow('has changed since the transfer');
    expect((await getAsset(t.ctx, secondCopy)).archivedAt).toBeNull();
    expect((await getAsset(t.ctx, asset.id)).transferredToId).toBe(secondCopy);
  });

  it('leaves an original that was archived before its transfer archived when the transfer is undone', async () => {
    const from = await makeClientWithRecords(t.ctx, 'Undo C');
    const to = await makeClientWithRecords(t.ctx, 'Undo D');
    const asset = await createAsset(t.ctx, { clientId: from.client.id, name: 'OLD-ONE' });
    await archiveAsset(t.ctx, asset.id);
    const admin = await principalFor('admin');
    await transferAssets(t.ctx, admin, { assetIds: [asset.id], toClientId: to.client.id });
    await undoTransfer({ ...t.ctx, principal: admin }, asset.id);
    expect(await getAsset(t.ctx, asset.id)).toMatchObject({ transferredToId: null, archivedAt: expect.any(String) });
    const limitedToC = await principalFor('technician', [from.client.id]);
    await transferAssets(t.ctx, admin, { assetIds: [asset.id], toClientId: to.client.id });
    await expect(undoTransfer({ ...t.ctx, principal: limitedToC }, asset.id)).rejects.toThrow();
    expect((await getAsset(t.ctx, asset.id)).transferredToId).not.toBeNull();
  });
});
