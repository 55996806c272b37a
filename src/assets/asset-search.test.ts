// The asset list's search finds what technicians paste, on each database: a MAC in every notation and
// in pieces, an IP address with its prefix length, and text whatever its accents or case, in the
// asset's own fields and in the names of its contact and location.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { actingAs, makeClientWithRecords } from '../../test/support/factories.ts';
import { createContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import type { Ctx } from '../platform/context.ts';
import { ALL_ASSETS, listAssetPage } from './asset-list.query.ts';
import { kitFor } from '../migrations/schema-kit.ts';
import { up as rebuildSearchText } from '../migrations/20261207_0021_search_every_interface.ts';
import { writeSearchDocument } from './asset.repository.ts';
import { createAsset, getAsset } from './asset.service.ts';
import { searchDocument } from './search-text.ts';
import { addInterface, deleteInterface, updateInterface } from './interface.service.ts';

describe.each(DIALECTS)('asset search on %s', (dialect) => {
  const t = useTestDb(dialect);
  let admin: Ctx;
  let clientId: number;
  const names = async (q: string) => (await listAssetPage(admin, admin.principal!, { ...ALL_ASSETS, clientId, q })).rows.map((r) => r.name).sort();

  beforeAll(async () => {
    admin = await actingAs(t.ctx, `admin-${dialect}@asset-search.test`, 'admin');
    clientId = (await makeClientWithRecords(t.ctx, 'Search Co')).client.id;
    const contact = await createContact(t.ctx, { clientId, name: 'Jürgen Müller' });
    const location = await createLocation(t.ctx, { clientId, name: 'Café Central' });
    await createAsset(t.ctx, { clientId, name: 'HYPERV-01', primaryInterface: { mac: '00:15:5d:01:02:03', ip: '10.0.0.5' } });
    await createAsset(t.ctx, { clientId, name: 'SWITCH-01', primaryInterface: { mac: 'a0-b1-c2-d3-e4-f5', ip: '10.0.0.50' } });
    await createAsset(t.ctx, { clientId, name: 'Kiosk Crème', contactId: contact.id });
    await createAsset(t.ctx, { clientId, name: 'BAR-PC', locationId: location.id, model: 'ÉLITE 800' });
    const laptop = await createAsset(t.ctx, { clientId, name: 'LAPTOP-07', primaryInterface: { mac: '11:22:33:44:55:66', ip: 'DHCP' } });
    await addInterface(t.ctx, laptop.id, { name: 'wlan0', type: 'WiFi', mac: '3C-52-82-AA-BB-CC', ip: '192.168.7.41', ipv6: '2001:db8::41' });
  });

  it("finds an asset by any MAC or address of an interface other than its primary (a laptop's Wi-Fi), whole or in part", async () => {
    for (const q of ['3c-52-82-aa-bb-cc', '3C:52:82:AA:BB:CC', '3c52.82aa.bbcc', '3c5282aabbcc', '192.168.7.41', '192.168.7.41/24', '2001:db8::41']) {
      expect(await names(q), q).toEqual(['LAPTOP-07']);
    }
    for (const q of ['82-AA-BB', '82:aa:bb', '3c52.82', '82aabb', '192.168.7.4']) expect(await names(q), q).toEqual(['LAPTOP-07']);
  });

  it('finds the other interfaces of assets indexed before every interface was (migration 0021)', async () => {
    const old = await createAsset(t.ctx, { clientId, name: 'OLD-NAS', primaryInterface: { mac: '55:55:55:00:00:01' } });
    await addInterface(t.ctx, old.id, { name: 'eth1', mac: '55:55:55:00:00:02' });
    await writeSearchDocument(t.ctx, old.id, searchDocument(await getAsset(t.ctx, old.id), []));
    expect(await names('55-00-00-02')).toEqual([]);
    await rebuildSearchText(t.store.db, kitFor(dialect));
    expect(await names('55-00-00-02')).toEqual(['OLD-NAS']);
    expect(await names('55-00-00-01')).toEqual(['OLD-NAS']);
  });

  it('follows an interface as it is changed and removed', async () => {
    const server = await createAsset(t.ctx, { clientId, name: 'SRV-09', primaryInterface: { mac: '44:44:44:00:00:01' } });
    const port = await addInterface(t.ctx, server.id, { name: 'ilo', mac: '44:44:44:00:00:02' });
    expect(await names('44-00-00-02')).toEqual(['SRV-09']);
    await updateInterface(t.ctx, port.id, { mac: '44:44:44:00:00:03' });
    expect(await names('44-00-00-02')).toEqual([]);
    expect(await names('44-00-00-03')).toEqual(['SRV-09']);
    await deleteInterface(t.ctx, port.id);
    expect(await names('44-00-00-03')).toEqual([]);
  });

  it('finds a MAC written with colons, dashes, Cisco dots or nothing, in either case', async () => {
    for (const q of ['00-15-5D-01-02-03', '00:15:5d:01:02:03', '00:15:5D:01:02:03', '0015.5d01.0203', '0015.5D01.0203', '00155d010203', '00155D010203']) {
      expect(await names(q), q).toEqual(['HYPERV-01']);
    }
  });

  it('finds a MAC from a piece of it in any of those notations', async () => {
    for (const q of ['5D-01-02', '5d:01:02', '5d01.02', '5d0102', '15-5D', '0015.5d', 'D-01-0', 'e4-f5', 'd3e4.f5']) {
      expect(await names(q), q).toEqual([q.toLowerCase().includes('e4') || q.toLowerCase().includes('d3') ? 'SWITCH-01' : 'HYPERV-01']);
    }
  });

  it('finds an IP address typed with its prefix length', async () => {
    expect(await names('10.0.0.5/24')).toEqual(['HYPERV-01', 'SWITCH-01']); // 10.0.0.50 holds 10.0.0.5 too
    expect(await names('10.0.0.50/24')).toEqual(['SWITCH-01']);
    expect(await names('10.0.0.5')).toEqual(['HYPERV-01', 'SWITCH-01']);
  });

  it('ignores accents and case in both directions, in its own fields and its contact and location', async () => {
    expect(await names('creme')).toEqual(['Kiosk Crème']);
    expect(await names('CRÈME')).toEqual(['Kiosk Crème']);
    expect(await names('elite')).toEqual(['BAR-PC']);
    expect(await names('Élite')).toEqual(['BAR-PC']);
    expect(await names('muller')).toEqual(['Kiosk Crème']);
    expect(await names('MÜLLER')).toEqual(['Kiosk Crème']);
    expect(await names('jurgen m')).toEqual(['Kiosk Crème']);
    expect(await names('cafe')).toEqual(['BAR-PC']);
    expect(await names('CAFÉ CENTRAL')).toEqual(['BAR-PC']);
  });
});
