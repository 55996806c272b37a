import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { createAsset, deleteAsset, getAsset } from './asset.service.ts';
import {
  addInterface,
  addInterfaces,
  connectedInterface,
  connectInterfaces,
  deleteInterface,
  disconnectInterface,
  getInterfaces,
  setPrimaryInterface,
  updateInterface,
} from './interface.service.ts';

describe.each(DIALECTS)('interfaces on %s', (dialect) => {
  const t = useTestDb(dialect);

  it('keeps exactly one primary interface as the primary moves', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'SRV-01', primaryInterface: { ip: '10.0.0.1' } });
    const second = await addInterface(t.ctx, asset.id, { name: 'eth1', ip: '10.0.1.1', type: 'sfp+' });
    expect(second).toMatchObject({ primary: false, type: 'SFP+' });
    await setPrimaryInterface(t.ctx, second.id);
    const all = await getInterfaces(t.ctx, asset.id);
    expect(all.filter((i) => i.primary).map((i) => i.name)).toEqual(['eth1']);
    expect((await getAsset(t.ctx, asset.id)).primaryInterface!.ip).toBe('10.0.1.1');
    const third = await addInterface(t.ctx, asset.id, { name: 'eth2', primary: true });
    expect((await getInterfaces(t.ctx, asset.id)).filter((i) => i.primary).map((i) => i.id)).toEqual([third.id]);
    const actions = (await listAssetEvents(t.ctx, asset.id)).events.map((e) => e.action);
    expect(actions.filter((a) => a === 'primary_interface_changed')).toHaveLength(2);
  });

  it('refuses to delete the primary interface and deletes others with a history event', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'SW-01' });
    await expect(deleteInterface(t.ctx, asset.primaryInterface!.id)).rejects.toBeInstanceOf(ValidationError);
    const extra = await addInterface(t.ctx, asset.id, { name: 'Gi1/0/2', mac: '00:00:5e:00:53:01' });
    await deleteInterface(t.ctx, extra.id);
    expect((await getInterfaces(t.ctx, asset.id)).map((i) => i.name)).toEqual(['01']);
    const [removed] = (await listAssetEvents(t.ctx, asset.id)).events;
    expect(removed).toMatchObject({ action: 'interface_removed', details: { interfaceId: extra.id } });
  });

  it('adds several interfaces with numbered names', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'SW-02' });
    const made = await addInterfaces(t.ctx, asset.id, { start: 0, count: 3, prefix: 'port-', type: 'Ethernet' });
    expect(made.map((i) => i.name)).toEqual(['port-00', 'port-01', 'port-02']);
    await expect(addInterfaces(t.ctx, asset.id, { start: -1, count: 0 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('validates interface edits and records the changed fields', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const other = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'AP-01' });
    const iface = asset.primaryInterface!;
    await expect(updateInterface(t.ctx, iface.id, { networkId: other.network.id })).rejects.toBeInstanceOf(ValidationError);
    await expect(updateInterface(t.ctx, iface.id, { mac: '12:34' })).rejects.toBeInstanceOf(ValidationError);
    await updateInterface(t.ctx, iface.id, { mac: '1234.5678.9abc', ipv6: 'FE80::1' });
    const [event] = (await listAssetEvents(t.ctx, asset.id)).events;
    expect(event!.changes).toEqual([
      { field: 'mac', old: null, new: '12:34:56:78:9A:BC' },
      { field: 'ipv6', old: null, new: 'fe80::1' },
    ]);
  });

  it('connects two free ports of the same client, one cable per port, recorded on both assets', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const other = await makeClientWithRecords(t.ctx);
    const sw = await createAsset(t.ctx, { clientId: client.id, name: 'SW-CORE' });
    const fw = await createAsset(t.ctx, { clientId: client.id, name: 'FW-EDGE' });
    const foreign = await createAsset(t.ctx, { clientId: other.client.id, name: 'NOT-MINE' });
    const uplink = await addInterface(t.ctx, sw.id, { name: 'Gi1/0/24' });
    await connectInterfaces(t.ctx, uplink.id, fw.primaryInterface!.id);
    expect((await connectedInterface(t.ctx, fw.primaryInterface!.id))!.id).toBe(uplink.id);
    await expect(connectInterfaces(t.ctx, uplink.id, sw.primaryInterface!.id)).rejects.toBeInstanceOf(ConflictError);
    await expect(connectInterfaces(t.ctx, sw.primaryInterface!.id, foreign.primaryInterface!.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listAssetEvents(t.ctx, fw.id)).events[0]).toMatchObject({
      action: 'interface_connected',
      details: { peerAssetName: 'SW-CORE', peerInterfaceName: 'Gi1/0/24' },
    });

    expect(await disconnectInterface(t.ctx, fw.primaryInterface!.id)).toBe(true);
    expect(await connectedInterface(t.ctx, uplink.id)).toBeNull();
    expect((await listAssetEvents(t.ctx, sw.id)).events[0]!.action).toBe('interface_disconnected');

    await connectInterfaces(t.ctx, uplink.id, fw.primaryInterface!.id);
    await deleteAsset(t.ctx, fw.id);
    expect(await connectedInterface(t.ctx, uplink.id)).toBeNull();
  });
});
