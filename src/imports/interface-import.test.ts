// Interface CSV import on each database: ITFlow's interface export and template read, Steward's own
// interface export re-imports as unchanged, and bad rows are rejected with the column and reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { loadPrincipal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { getInterfaces } from '../assets/interface.service.ts';
import { createClient } from '../clients/client.service.ts';
import { exportInterfacesCsv } from '../csv/asset-export.ts';
import { createNetwork } from '../networks/network.service.ts';
import { importInterfaces } from './interface-import.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/itflow/${name}`, import.meta.url), 'utf8');

describe.each(DIALECTS)('interface CSV import on %s', (dialect) => {
  const t = useTestDb(dialect);

  it("imports ITFlow's interface export, re-imports Steward's own as unchanged, and rejects bad rows", async () => {
    const user = await createUser(t.ctx, {
      email: `ifimp-${Math.random().toString(36).slice(2)}@csv.test`,
      name: 'Importer',
      password: 'fern-quilt-38',
      role: 'admin',
    });
    const principal = (await loadPrincipal(t.ctx, user.id))!;
    const client = await createClient(t.ctx, { name: 'Interface Co' });
    await createNetwork(t.ctx, { clientId: client.id, name: 'LAN Office', cidr: '192.168.10.0/24' });
    const server = await createAsset(t.ctx, { clientId: client.id, name: 'SRV-01' });

    expect((await importInterfaces(t.ctx, principal, server.id, [fixture('itflow-interfaces-import-template.csv')])).rows).toEqual([]);
    const preview = await importInterfaces(t.ctx, principal, server.id, [fixture('itflow-interfaces-export.csv')], { dryRun: true });
    expect(preview.rows.map((r) => [r.name, r.verdict, ...(r.changes ?? [])])).toEqual([
      ['01', 'update', 'MAC', 'IP', 'Network'],
      ['iDRAC', 'create'],
      ['NIC2', 'create'],
    ]);
    expect(await getInterfaces(t.ctx, server.id)).toHaveLength(1);
    const done = await importInterfaces(t.ctx, principal, server.id, [fixture('itflow-interfaces-export.csv')]);
    expect(done.committed).toBe(true);
    const nic2 = (await getInterfaces(t.ctx, server.id)).find((i) => i.name === 'NIC2')!;
    expect(nic2).toMatchObject({
      description: 'Storage/backup NIC, "jumbo" frames, MTU 9000',
      type: 'SFP+',
      mac: 'B0:26:28:AA:10:02',
      ip: '10.0.0.10',
      natIp: '203.0.113.10',
      ipv6: 'fd00::10',
      networkId: null,
    });

    const ownExport = await exportInterfacesCsv(t.ctx, server.id);
    const again = await importInterfaces(t.ctx, principal, server.id, [ownExport]);
    expect(again.rows.map((r) => r.verdict)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    const bad = 'Name,MAC,IP,Network\nwlan0,zz,,\neth9,,10.1.1.1,Nowhere\niDRAC,,,\nidrac,,,\n';
    const rejected = await importInterfaces(t.ctx, principal, server.id, [bad]);
    expect(rejected.committed).toBe(false);
    expect(rejected.rows.map((r) => [r.line, r.verdict, ...(r.problems ?? []).map((p) => p.field)])).toEqual([
      [2, 'rejected', 'MAC'],
      [3, 'rejected', 'Network'],
      [4, 'unchanged'],
      [5, 'rejected', 'Name'],
    ]);
    expect(await getInterfaces(t.ctx, server.id)).toHaveLength(3);
  });
});
