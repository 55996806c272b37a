// One writer behind every new or changed asset, on each database: the same input through the asset
// service (the form, the APIs) and through a CSV import (the bulk path) leaves identical rows, tags,
// search text and history; only the event's action and source say which way it came.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { createClient } from '../clients/client.service.ts';
import { importAssets } from '../imports/asset-import.ts';
import { createTag } from '../tags/tag.service.ts';
import { searchAssetIds } from './asset.repository.ts';
import { createAsset, updateAsset } from './asset.service.ts';

describe.each(DIALECTS)('single and bulk asset writes on %s', (dialect) => {
  const t = useTestDb(dialect);
  const admin = async (): Promise<Principal> => {
    const user = await createUser(t.ctx, {
      email: `twin-${Math.random().toString(36).slice(2)}@writer.test`,
      name: 'Twin',
      password: 'fern-quilt-38',
      role: 'admin',
    });
    return (await loadPrincipal(t.ctx, user.id))!;
  };
  const csv = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

  /** Everything written about an asset, less what differs between any two records (ids, times, the client). */
  const written = async (id: number) => {
    const {
      id: _id,
      client_id: _client,
      created_at: _created,
      updated_at: _updated,
      ...asset
    } = await t.store.db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const interfaces = (await t.store.db.selectFrom('asset_interfaces').selectAll().where('asset_id', '=', id).orderBy('id').execute()).map(
      ({ id: _i, asset_id: _a, created_at: _c, updated_at: _u, ...rest }) => ({ ...rest, is_primary: Boolean(rest.is_primary) }),
    );
    const tags = (
      await t.store.db.selectFrom('asset_tags').innerJoin('tags', 'tags.id', 'asset_tags.tag_id').select('tags.name').where('asset_id', '=', id).execute()
    )
      .map((r) => r.name)
      .sort();
    const events = (await t.store.db.selectFrom('asset_events').selectAll().where('asset_id', '=', id).orderBy('id').execute()).map(
      ({ id: _i, asset_id: _a, client_id: _c, created_at: _t, action: _action, source: _source, correlation_id: _corr, details: _details, ...rest }) => ({
        ...rest,
        changes: typeof rest.changes === 'string' ? JSON.parse(rest.changes) : rest.changes,
      }),
    );
    const search =
      dialect === 'postgres' ? (await t.store.db.selectFrom('asset_search').select('doc').where('asset_id', '=', id).executeTakeFirst())?.doc : null;
    return { asset: { ...asset, favorite: Boolean(asset.favorite) }, interfaces, tags, events, search };
  };
  const actions = async (id: number) =>
    await t.store.db.selectFrom('asset_events').select(['action', 'source']).where('asset_id', '=', id).orderBy('id').execute();

  it('creates the same asset, interface, tags, search text and history through createAsset and through an import', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Twin Create Co');
    for (const name of ['Beta', 'alpha', 'Émile']) await createTag(t.ctx, { name });
    const single = await createAsset(t.ctx, {
      clientId: c.client.id,
      name: 'TWIN-1',
      description: 'Front desk, "main"',
      type: 'Laptop',
      make: 'Lenovo',
      model: 'T14',
      serial: 'SN-TWIN-1',
      os: 'Windows 11',
      status: 'Deployed',
      uri: 'https://twin',
      uri2: 'rdp://twin',
      uriClient: 'vnc://twin',
      purchaseReference: 'PO-7',
      purchaseDate: '2024-02-01',
      installDate: '2024-02-03',
      warrantyExpire: '2027-02-01',
      physicalLocation: 'Desk 3',
      notes: 'Line one\nline two',
      favorite: true,
      locationId: c.location.id,
      contactId: c.contact.id,
      vendorId: c.vendor.id,
      primaryInterface: { ip: '10.0.0.9', mac: '00:11:22:33:44:55' },
      tags: ['Beta', 'alpha', 'Émile'],
    });

    const file = csv([
      [
        'Name',
        'Description',
        'Type',
        'Make',
        'Model',
        'Serial Number',
        'Operating System',
        'Status',
        'URI',
        'URI 2',
        'Client URI',
        'Purchase Reference',
        'Purchase Date',
        'Install Date',
        'Warranty Expire',
        'Physical Location',
        'Notes',
        'Favorite',
        'Location',
        'Assigned To',
        'Vendor',
        'Primary IP',
        'Primary MAC',
        'Tags',
      ],
      [
        'TWIN-1',
        'Front desk, "main"',
        'laptop',
        'Lenovo',
        'T14',
        'SN-TWIN-1',
        'Windows 11',
        'deployed',
        'https://twin',
        'rdp://twin',
        'vnc://twin',
        'PO-7',
        '2024-02-01',
        '2024-02-03',
        '2027-02-01',
        'Desk 3',
        'Line one\nline two',
        'yes',
        'head office',
        'Ana Alvarez',
        'Dell',
        '10.0.0.9',
        '00-11-22-33-44-55',
        'Beta, alpha, Émile',
      ],
    ]);
    const report = await importAssets(t.ctx, await admin(), [file], { clientId: c.client.id, match: 'none' });
    expect(report.counts).toEqual({ create: 1, update: 0, unchanged: 0, rejected: 0 });
    const bulk = report.rows[0]!.assetId!;

    expect(await written(bulk)).toEqual(await written(single.id));
    expect(await actions(single.id)).toEqual([{ action: 'created', source: 'web' }]);
    expect(await actions(bulk)).toEqual([{ action: 'imported', source: 'import' }]);
    for (const term of ['SN-TWIN-1', '001122334455', '10.0.0.9', 'Desk 3']) {
      expect((await searchAssetIds(t.ctx, term, [c.client.id])).sort(), term).toEqual([single.id, bulk].sort());
    }
  });

  it('changes an asset the same way, with the same history, through updateAsset and through an import', async () => {
    const principal = await admin();
    for (const name of ['Spare', 'Zebra']) await createTag(t.ctx, { name });
    const twins = [];
    for (const name of ['Twin Update A', 'Twin Update B']) {
      const client = await createClient(t.ctx, { name });
      twins.push(
        await createAsset(t.ctx, {
          clientId: client.id,
          name: 'UPD-1',
          type: 'Desktop',
          model: 'Old',
          serial: 'S-OLD',
          primaryInterface: { ip: '10.0.0.1' },
          tags: ['Spare'],
        }),
      );
    }
    const [single, other] = twins as [(typeof twins)[number], (typeof twins)[number]];
    await updateAsset(t.ctx, single.id, {
      type: 'Server',
      model: 'New',
      description: 'Moved',
      favorite: true,
      primaryInterface: { ip: '10.0.0.2', mac: 'aa:bb:cc:dd:ee:ff' },
      tags: ['Zebra', 'spare'],
    });

    const file = csv([
      ['Name', 'Type', 'Model', 'Description', 'Favorite', 'Primary IP', 'Primary MAC', 'Tags'],
      ['upd-1', 'server', 'New', 'Moved', 'y', '10.0.0.2', 'AA:BB:CC:DD:EE:FF', 'Zebra, spare'],
    ]);
    const report = await importAssets(t.ctx, principal, [file], { clientId: other.clientId, match: 'name' });
    expect(report.rows.map((r) => [r.verdict, r.assetId])).toEqual([['update', other.id]]);

    expect(await written(other.id)).toEqual(await written(single.id));
    expect((await actions(other.id)).map((a) => a.action)).toEqual(['created', 'updated']);
  });
});
