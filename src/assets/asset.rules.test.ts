// Every asset and interface field's rule, fed bad input: each is refused with an issue on that field.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { ValidationError } from '../platform/errors.ts';
import { createAsset, updateAsset } from './asset.service.ts';

const LIMITS: Array<[string, number]> = [
  ['name', 200],
  ['description', 255],
  ['make', 200],
  ['model', 200],
  ['serial', 200],
  ['os', 200],
  ['uri', 500],
  ['uri2', 500],
  ['uriClient', 500],
  ['purchaseReference', 200],
  ['physicalLocation', 200],
  ['notes', 65_535],
];
const INTERFACE_LIMITS: Array<[string, number]> = [
  ['name', 200],
  ['description', 200],
  ['notes', 65_535],
];

async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
}

describe.each(DIALECTS)('asset field rules on %s', (dialect) => {
  const t = useTestDb(dialect);
  let clientId: number;
  beforeAll(async () => {
    clientId = (await makeClientWithRecords(t.ctx)).client.id;
  });

  it.each(LIMITS)('%s accepts %i characters and refuses one more', async (field, max) => {
    const ok = await createAsset(t.ctx, { clientId, name: 'LEN', [field]: 'x'.repeat(max) });
    expect((ok as unknown as Record<string, unknown>)[field]).toHaveLength(max);
    const issues = await issuesOf(createAsset(t.ctx, { clientId, name: 'LEN', [field]: 'x'.repeat(max + 1) }));
    expect(issues).toEqual([expect.objectContaining({ field, code: 'too_long' })]);
  });

  it.each(INTERFACE_LIMITS)('interface %s refuses more than %i characters', async (field, max) => {
    const issues = await issuesOf(createAsset(t.ctx, { clientId, name: 'LEN', primaryInterface: { [field]: 'x'.repeat(max + 1) } }));
    expect(issues).toEqual([expect.objectContaining({ field: `primaryInterface.${field}`, code: 'too_long' })]);
  });

  it.each([
    ['favorite', 'maybe', 'bool_invalid'],
    ['locationId', 'abc', 'id_invalid'],
    ['contactId', -4, 'id_invalid'],
    ['vendorId', 1.5, 'id_invalid'],
    ['type', 'Spaceship', 'unknown_value'],
    ['status', 'Borrowed', 'unknown_value'],
    ['installDate', '2026-02-30', 'date_invalid'],
    ['warrantyExpire', '27/11/2026', 'date_format'],
    ['name', { object: true }, 'type'],
  ])('%s = %j is refused (%s)', async (field, value, code) => {
    const issues = await issuesOf(createAsset(t.ctx, { clientId, name: 'BAD', [field]: value }));
    expect(issues).toEqual([expect.objectContaining({ field, code })]);
  });

  it('normalises known values to their canonical spelling', async () => {
    const asset = await createAsset(t.ctx, {
      clientId,
      name: 'NORM',
      type: 'VIRTUAL machine',
      status: 'out FOR repair',
      primaryInterface: { type: 'wifi', ip: 'Dhcp' },
    });
    expect(asset).toMatchObject({ type: 'Virtual Machine', status: 'Out for Repair' });
    expect(asset.primaryInterface).toMatchObject({ type: 'WiFi', ip: 'DHCP' });
  });

  it('never lets an update blank the name, and clears optional fields only when asked', async () => {
    const asset = await createAsset(t.ctx, { clientId, name: 'KEEP', model: 'X1', os: 'Linux' });
    expect(await issuesOf(updateAsset(t.ctx, asset.id, { name: '   ' }))).toEqual([expect.objectContaining({ field: 'name', code: 'required' })]);
    const { asset: after } = await updateAsset(t.ctx, asset.id, { model: '' });
    expect(after).toMatchObject({ name: 'KEEP', model: null, os: 'Linux' });
  });

  it('keeps an archived list value an asset already has, but refuses it for others', async () => {
    await t.store.db
      .updateTable('list_values')
      .set({ archived_at: new Date().toISOString() })
      .where('list', '=', 'asset_status')
      .where('name', '=', 'Lost')
      .execute();
    try {
      const asset = await createAsset(t.ctx, { clientId, name: 'LOST-ONE' });
      await t.store.db.updateTable('assets').set({ status: 'Lost' }).where('id', '=', asset.id).execute();
      const { asset: after } = await updateAsset(t.ctx, asset.id, { status: 'lost', model: 'T1' });
      expect(after.status).toBe('Lost');
      expect(await issuesOf(createAsset(t.ctx, { clientId, name: 'NEW', status: 'Lost' }))).toEqual([expect.objectContaining({ field: 'status' })]);
    } finally {
      await t.store.db.updateTable('list_values').set({ archived_at: null }).where('list', '=', 'asset_status').where('name', '=', 'Lost').execute();
    }
  });
});
