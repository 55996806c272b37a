import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { createClient } from '../clients/client.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { createTag } from '../tags/tag.service.ts';
import { archiveAsset, copyAsset, createAsset, deleteAsset, getAsset, restoreAsset, updateAsset } from './asset.service.ts';
import { searchAssetIds } from './asset.repository.ts';

async function rejected(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe.each(DIALECTS)('asset rules on %s', (dialect) => {
  const t = useTestDb(dialect);
  beforeAll(async () => {
    await createTag(t.ctx, { name: 'Critical', color: '#d32f2f' });
  });

  it('creates an asset with its primary interface, tags, and a "created" history event listing every set field', async () => {
    const { client, location, contact, vendor, network } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, {
      clientId: client.id,
      name: 'SRV-DC01',
      type: 'server',
      status: 'deployed',
      make: 'Dell',
      serial: 'ABC123',
      purchaseDate: '2024-02-29',
      warrantyExpire: '0000-00-00',
      locationId: location.id,
      contactId: contact.id,
      vendorId: vendor.id,
      favorite: true,
      tags: ['critical'],
      primaryInterface: { ip: '10.0.0.5', mac: 'aa-bb-cc-dd-ee-ff', networkId: network.id },
    });
    expect(asset).toMatchObject({
      name: 'SRV-DC01',
      type: 'Server',
      status: 'Deployed',
      purchaseDate: '2024-02-29',
      warrantyExpire: null,
      favorite: true,
      version: 1,
    });
    expect(asset.primaryInterface).toMatchObject({ name: '01', ip: '10.0.0.5', mac: 'AA:BB:CC:DD:EE:FF', networkId: network.id, primary: true });

    const { events } = await listAssetEvents(t.ctx, asset.id);
    expect(events).toHaveLength(1);
    const [created] = events;
    expect(created).toMatchObject({
      action: 'created',
      source: 'web',
      ip: '203.0.113.7',
      actor: { type: 'user', userId: t.ctx.actor.type === 'user' ? t.ctx.actor.userId : -1, name: 'Test Technician' },
    });
    expect(created!.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', old: null, new: 'SRV-DC01' },
        { field: 'type', old: null, new: 'Server' },
        { field: 'primaryInterface.mac', old: null, new: 'AA:BB:CC:DD:EE:FF' },
        { field: 'tags', old: [], new: ['Critical'] },
      ]),
    );
  });

  it('rejects bad input with one issue per field and writes nothing', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const error = await rejected(
      createAsset(t.ctx, {
        clientId: client.id,
        name: '',
        type: 'Toaster',
        status: 'Gone fishing',
        purchaseDate: '2024-13-45',
        installDate: '2023-02-29',
        description: 'x'.repeat(256),
        tags: ['No such tag'],
        primaryInterface: { ip: '300.1.1.1', mac: 'zz:zz', ipv6: 'nope', natIp: 'also nope' },
      }),
    );
    const fields = error.issues.map((i) => i.field).sort();
    expect(fields).toEqual([
      'description',
      'installDate',
      'name',
      'primaryInterface.ip',
      'primaryInterface.ipv6',
      'primaryInterface.mac',
      'primaryInterface.natIp',
      'purchaseDate',
      'status',
      'tags',
      'type',
    ]);
    expect(error.issues.find((i) => i.field === 'type')!.message).toContain('Laptop');
    const count = await t.store.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('client_id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses a location, contact, vendor or network of another client, or that does not exist', async () => {
    const mine = await makeClientWithRecords(t.ctx);
    const theirs = await makeClientWithRecords(t.ctx);
    const error = await rejected(
      createAsset(t.ctx, {
        clientId: mine.client.id,
        name: 'PC1',
        locationId: theirs.location.id,
        contactId: theirs.contact.id,
        vendorId: 999_999,
        primaryInterface: { networkId: theirs.network.id },
      }),
    );
    expect(error.issues.map((i) => i.field).sort()).toEqual(['contactId', 'locationId', 'primaryInterface.networkId', 'vendorId']);
    expect(error.issues.every((i) => i.message.includes('does not exist for this client'))).toBe(true);
  });

  it('refuses a missing or archived client', async () => {
    expect((await rejected(createAsset(t.ctx, { clientId: 987_654, name: 'X' }))).issues[0]).toMatchObject({ field: 'clientId', code: 'not_found' });
    expect((await rejected(createAsset(t.ctx, { clientId: undefined, name: 'X' }))).issues[0]).toMatchObject({ field: 'clientId', code: 'required' });
    const gone = await createClient(t.ctx, { name: 'Gone Ltd' });
    await t.store.db.updateTable('clients').set({ archived_at: new Date().toISOString() }).where('id', '=', gone.id).execute();
    expect((await rejected(createAsset(t.ctx, { clientId: gone.id, name: 'X' }))).issues[0]).toMatchObject({ field: 'clientId', code: 'archived' });
  });

  it('updates only the fields given and records each change old → new', async () => {
    const { client, contact } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, {
      clientId: client.id,
      name: 'LT-01',
      type: 'Laptop',
      os: 'Windows 10',
      serial: 'S1',
      primaryInterface: { ip: 'DHCP', mac: '00:11:22:33:44:55' },
    });
    const { asset: updated, changed } = await updateAsset({ ...t.ctx, reason: 'reimaged' }, asset.id, {
      os: 'Windows 11',
      contactId: contact.id,
      primaryInterface: { ip: '10.0.0.9' },
    });
    expect(changed).toBe(true);
    expect(updated).toMatchObject({ os: 'Windows 11', serial: 'S1', type: 'Laptop', contactId: contact.id, version: 2 });
    expect(updated.primaryInterface).toMatchObject({ ip: '10.0.0.9', mac: '00:11:22:33:44:55' });
    const [latest] = (await listAssetEvents(t.ctx, asset.id)).events;
    expect(latest).toMatchObject({ action: 'updated', reason: 'reimaged' });
    expect(latest!.changes).toEqual([
      { field: 'os', old: 'Windows 10', new: 'Windows 11' },
      { field: 'contactId', old: null, new: contact.id, oldName: null, newName: contact.name },
      { field: 'primaryInterface.ip', old: 'DHCP', new: '10.0.0.9' },
    ]);
  });

  it('an update that changes nothing succeeds without a history event or a new version', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'PRN-01', type: 'Printer' });
    const result = await updateAsset(t.ctx, asset.id, { name: 'PRN-01', type: 'printer' });
    expect(result.changed).toBe(false);
    expect(result.asset.version).toBe(1);
    expect((await listAssetEvents(t.ctx, asset.id)).events).toHaveLength(1);
  });

  it('a failed update changes nothing at all', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'SW-01', type: 'Switch', model: 'C9200' });
    await rejected(updateAsset(t.ctx, asset.id, { model: 'C9300', warrantyExpire: '2025-02-30' }));
    const after = await getAsset(t.ctx, asset.id);
    expect(after.model).toBe('C9200');
    expect(after.version).toBe(1);
    expect((await listAssetEvents(t.ctx, asset.id)).events).toHaveLength(1);
  });

  it('detects a stale write through the version', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'FW-01' });
    await updateAsset(t.ctx, asset.id, { model: 'FortiGate 60F' });
    await expect(updateAsset(t.ctx, asset.id, { model: 'FortiGate 40F' }, { expectedVersion: 1 })).rejects.toBeInstanceOf(ConflictError);
  });

  it('copies an asset in the same client without its serial, MAC or fixed IP, and says where it came from', async () => {
    const { client, network } = await makeClientWithRecords(t.ctx);
    const source = await createAsset(t.ctx, {
      clientId: client.id,
      name: 'WS-01',
      type: 'Desktop',
      make: 'Dell',
      model: 'OptiPlex',
      serial: 'SN-1',
      tags: ['Critical'],
      primaryInterface: { ip: 'DHCP', mac: '00:11:22:33:44:66', networkId: network.id },
    });
    const copy = await copyAsset(t.ctx, source.id, { name: 'WS-02' });
    expect(copy).toMatchObject({ clientId: client.id, name: 'WS-02', type: 'Desktop', make: 'Dell', model: 'OptiPlex', serial: null });
    expect(copy.primaryInterface).toMatchObject({ ip: 'DHCP', mac: null, networkId: network.id });
    const [event] = (await listAssetEvents(t.ctx, copy.id)).events;
    expect(event).toMatchObject({ action: 'copied', details: { sourceAssetId: source.id } });
  });

  it('archives and restores, each once, in history', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'TAB-01' });
    expect(await archiveAsset(t.ctx, asset.id)).toBe(true);
    expect(await archiveAsset(t.ctx, asset.id)).toBe(false);
    expect((await getAsset(t.ctx, asset.id)).archivedAt).not.toBeNull();
    expect(await restoreAsset(t.ctx, asset.id)).toBe(true);
    const actions = (await listAssetEvents(t.ctx, asset.id)).events.map((e) => e.action);
    expect(actions).toEqual(['restored', 'archived', 'created']);
  });

  it('deletes an asset but keeps its history, ending with its last state', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, {
      clientId: client.id,
      name: 'OLD-PC',
      serial: 'ZZ9',
      tags: ['Critical'],
      primaryInterface: { mac: '02:00:00:00:00:01' },
    });
    await deleteAsset(t.ctx, asset.id);
    await expect(getAsset(t.ctx, asset.id)).rejects.toBeInstanceOf(NotFoundError);
    const { events } = await listAssetEvents(t.ctx, asset.id);
    expect(events.map((e) => e.action)).toEqual(['deleted', 'created']);
    const snapshot = events[0]!.details!.snapshot as { asset: { serial: string }; interfaces: { mac: string }[]; tags: string[] };
    expect(snapshot.asset.serial).toBe('ZZ9');
    expect(snapshot.interfaces[0]!.mac).toBe('02:00:00:00:00:01');
    expect(snapshot.tags).toEqual(['Critical']);
    expect(await searchAssetIds(t.ctx, 'OLD-PC', null)).toEqual([]);
  });

  it('finds assets by substring of name, serial, IP and MAC, ignoring case and accents, within given clients', async () => {
    const a = await makeClientWithRecords(t.ctx);
    const b = await makeClientWithRecords(t.ctx);
    const x = await createAsset(t.ctx, {
      clientId: a.client.id,
      name: 'Réception-PC',
      serial: 'CN0XYZ42',
      primaryInterface: { ip: '192.168.77.12', mac: 'de:ad:be:ef:00:01' },
    });
    const y = await createAsset(t.ctx, { clientId: b.client.id, name: 'reception-laptop' });
    expect(await searchAssetIds(t.ctx, 'xyz4', [a.client.id])).toEqual([x.id]);
    expect(await searchAssetIds(t.ctx, '168.77', [a.client.id])).toEqual([x.id]);
    expect(await searchAssetIds(t.ctx, 'BEEF00', [a.client.id])).toEqual([x.id]);
    expect(await searchAssetIds(t.ctx, 'be:ef', [a.client.id])).toEqual([x.id]);
    expect((await searchAssetIds(t.ctx, 'RECEPTION', [a.client.id, b.client.id])).sort()).toEqual([x.id, y.id].sort());
    expect(await searchAssetIds(t.ctx, 'reception', [b.client.id])).toEqual([y.id]);
    expect(await searchAssetIds(t.ctx, '100%', null)).toEqual([]);
    await updateAsset(t.ctx, x.id, { serial: 'NEW-SERIAL-77' });
    expect(await searchAssetIds(t.ctx, 'xyz4', [a.client.id])).toEqual([]);
    expect(await searchAssetIds(t.ctx, 'serial-77', [a.client.id])).toEqual([x.id]);
  });
});
