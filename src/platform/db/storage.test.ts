import { sql } from 'kysely';
import { runCli } from '../../../test/support/cli.ts';
import { describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS, openTestDb, useTestDb } from '../../../test/support/databases.ts';
import { makeClientWithRecords } from '../../../test/support/factories.ts';
import { createAsset } from '../../assets/asset.service.ts';
import { purgeAuditLog, recordAudit, setAuditRetentionDays } from '../../audit/audit.service.ts';
import { listAssetEvents } from '../../history/history.repository.ts';
import { listValues } from '../../lists/list.service.ts';
import { MIGRATION_NAMES } from '../../migrations/index.ts';
import { migrateToLatest, migrationLevel } from './migrate.ts';
import { openStore } from './store.ts';

const TABLES = [
  'api_keys',
  'asset_events',
  'asset_interfaces',
  'asset_notes',
  'asset_tags',
  'assets',
  'audit_log',
  'clients',
  'contacts',
  'interface_connections',
  'list_values',
  'locations',
  'logins',
  'networks',
  'role_permissions',
  'roles',
  'service_assets',
  'services',
  'sessions',
  'settings',
  'tags',
  'ticket_assets',
  'tickets',
  'user_client_access',
  'users',
  'vendors',
];

describe.each(DIALECTS)('storage on %s', (dialect) => {
  it('migrates an empty database to the latest level with every table and the seeded lists', async () => {
    const t = await openTestDb(dialect);
    try {
      expect(await migrationLevel(t.store)).toEqual({ level: MIGRATION_NAMES.at(-1), applied: MIGRATION_NAMES.length, pending: 0 });
      const tables =
        dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(t.store.db)).rows
          : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(t.store.db)).rows;
      const names = tables.map((r) => r.name);
      for (const table of TABLES) expect(names).toContain(table);
      expect((await listValues(t.ctx, 'asset_type')).map((v) => v.name)).toHaveLength(14);
      expect((await listValues(t.ctx, 'asset_status')).map((v) => v.name)).toEqual([
        'Ready to Deploy',
        'Deployed',
        'Out for Repair',
        'Lost',
        'Stolen',
        'Retired',
      ]);
      expect((await listValues(t.ctx, 'note_type')).map((v) => v.name)).toEqual(['Maintenance', 'Repair', 'Configuration', 'Upgrade', 'Inspection', 'Note']);
      expect(await migrateToLatest(t.store)).toEqual([]);
    } finally {
      await t.drop();
    }
  });

  it('lets two processes migrate the same empty database at once', async () => {
    const db = await createEmptyDatabase(dialect);
    try {
      const env = { STEWARD_DATABASE_URL: db.url, STEWARD_DATA_DIR: `${db.url}.data` };
      const results = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const outputs = results.map((r) => r.stdout).sort();
      expect(outputs[0]).toContain('applied:');
      expect(outputs[1]).toContain('schema already up to date');
      const store = openStore({ kind: dialect, url: db.url });
      expect((await migrationLevel(store)).applied).toBe(MIGRATION_NAMES.length);
      await store.close();
    } finally {
      await db.drop();
    }
  });
});

describe.each(DIALECTS)('referential and history rules on %s', (dialect) => {
  const t = useTestDb(dialect);

  it('keeps asset history append-only, whoever tries to change it', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'KEEP-ME' });
    await expect(t.store.db.updateTable('asset_events').set({ asset_name: 'forged' }).where('asset_id', '=', asset.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.store.db.deleteFrom('asset_events').where('asset_id', '=', asset.id).execute()).rejects.toThrow(/append-only/);
    expect((await listAssetEvents(t.ctx, asset.id)).events[0]!.assetName).toBe('KEEP-ME');
  });

  it('purges audit entries past retention and never touches asset history', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'OLD-NEWS' });
    const longAgo = { ...t.ctx, now: () => new Date('2020-01-01T00:00:00Z') };
    await recordAudit(longAgo, { action: 'auth.sign_in' });
    await recordAudit(t.ctx, { action: 'auth.sign_in' });
    await setAuditRetentionDays(t.ctx, 30);
    await expect(setAuditRetentionDays(t.ctx, 0)).rejects.toThrow(/retentionDays/);
    expect(await purgeAuditLog(t.ctx)).toBeGreaterThanOrEqual(1);
    const left = await t.store.db.selectFrom('audit_log').select('created_at').execute();
    expect(left.every((r) => r.created_at > '2021')).toBe(true);
    expect((await listAssetEvents(t.ctx, asset.id)).events).toHaveLength(1);
  });

  it('never leaves a reference dangling: deleting a location or contact clears it on assets', async () => {
    const { client, location, contact } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'PC-REF', locationId: location.id, contactId: contact.id });
    await t.store.db.deleteFrom('locations').where('id', '=', location.id).execute();
    await t.store.db.deleteFrom('contacts').where('id', '=', contact.id).execute();
    const row = await t.store.db.selectFrom('assets').select(['location_id', 'contact_id']).where('id', '=', asset.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ location_id: null, contact_id: null });
  });

  it('refuses to delete a client that still owns assets, and enforces foreign keys', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    await createAsset(t.ctx, { clientId: client.id, name: 'STILL-HERE' });
    await expect(t.store.db.deleteFrom('clients').where('id', '=', client.id).execute()).rejects.toThrow();
    await expect(
      t.store.db.insertInto('asset_interfaces').values({ asset_id: 999_999, name: 'x', is_primary: 0, created_at: new Date().toISOString() }).execute(),
    ).rejects.toThrow();
  });

  it('allows at most one primary interface per asset at the database level', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'ONE-PRIMARY' });
    await expect(
      t.store.db.insertInto('asset_interfaces').values({ asset_id: asset.id, name: 'second', is_primary: 1, created_at: new Date().toISOString() }).execute(),
    ).rejects.toThrow();
  });
});
