import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { searchAssetIds } from '../assets/asset.repository.ts';
import { createAsset, getAsset } from '../assets/asset.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { generateAssets } from './generate.ts';

describe.each(DIALECTS)('steward generate on %s', (dialect) => {
  const t = useTestDb(dialect);

  it('adds assets with primary interfaces, search entries and history, next to existing ones', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const before = await createAsset(t.ctx, { clientId: client.id, name: 'PRE-EXISTING', serial: 'KEEPME123' });

    const result = await generateAssets(t.store, { assets: 3_000, clients: 3 });
    expect(result).toEqual({ assets: 3_000, clients: 3 });

    const count = async (table: 'assets' | 'asset_interfaces' | 'asset_events') =>
      Number(
        (
          await t.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('assets')).toBe(3_001);
    expect(await count('asset_interfaces')).toBe(3_001);
    expect(await count('asset_events')).toBe(3_001);

    const first = await getAsset(t.ctx, before.id + 1);
    expect(first.primaryInterface).toMatchObject({ primary: true });
    expect((await listAssetEvents(t.ctx, first.id)).events[0]).toMatchObject({ action: 'created', source: 'system' });
    expect(await searchAssetIds(t.ctx, first.serial!.slice(2, 8).toLowerCase(), null)).toContain(first.id);
    expect(await searchAssetIds(t.ctx, 'keepme', null)).toEqual([before.id]);

    const after = await createAsset(t.ctx, { clientId: client.id, name: 'POST-GENERATE' });
    expect(after.id).toBe(before.id + 3_001);
    expect(await searchAssetIds(t.ctx, 'post-gen', null)).toEqual([after.id]);
  });
});
