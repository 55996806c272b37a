// CSV import on each database: ITFlow's export and template import cleanly, Steward's own export
// re-imports as "unchanged", every row gets a verdict with the field and reason, and nothing is
// half-imported unless asked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { createLocation } from '../locations/location.service.ts';
import { importAssets, mapHeadings } from './asset-import.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/itflow/${name}`, import.meta.url), 'utf8');

describe('heading matching', () => {
  it("matches ITFlow's and Steward's headings in any case and spacing, and reports the rest", () => {
    const map = mapHeadings(['NAME', 'serial number', 'Operating  System', 'Assigned To', 'Steward ID', 'Colour', 'Name']);
    expect(map.columns).toEqual(['name', 'serial', 'os', 'contact', null, null, null]);
    expect(map.unknown).toEqual(['Colour']);
    expect(map.duplicates).toEqual(['Name']);
  });
});

describe.each(DIALECTS)('asset CSV import on %s', (dialect) => {
  const t = useTestDb(dialect);
  const admin = async (): Promise<Principal> => {
    const user = await createUser(t.ctx, { email: `imp-${Math.random().toString(36).slice(2)}@csv.test`, name: 'Importer', password: 'long enough', role: 'admin' });
    return (await loadPrincipal(t.ctx, user.id))!;
  };
  const clientWithNames = async (name: string) => {
    const client = await createClient(t.ctx, { name });
    for (const loc of ['Head Office', 'Zürich Branch']) await createLocation(t.ctx, { clientId: client.id, name: loc });
    let n = 0;
    for (const contact of ['Chloé Dubois', 'Anna Müller', "Björn O'Brien"]) await createContact(t.ctx, { clientId: client.id, name: contact, email: `c${++n}@${client.id}.test` });
    return client;
  };

  it("imports ITFlow's own export cleanly, previewing first, each asset's history carrying the import", async () => {
    const principal = await admin();
    const client = await clientWithNames('Import Co');
    const preview = await importAssets(t.ctx, principal, [fixture('itflow-export-default.csv')], { clientId: client.id, match: 'name', dryRun: true });
    expect(preview.committed).toBe(false);
    expect(preview.rows.filter((r) => r.verdict === 'rejected')).toEqual([]);
    expect(preview.counts.create).toBe(26);
    expect(await t.store.db.selectFrom('assets').select('id').where('client_id', '=', client.id).execute()).toEqual([]);

    const done = await importAssets(t.ctx, principal, [fixture('itflow-export-default.csv')], { clientId: client.id, match: 'name' });
    expect(done.committed).toBe(true);
    expect(done.counts.create).toBe(26);
    const nas = await t.store.db.selectFrom('assets').select(['id', 'notes']).where('client_id', '=', client.id).where('name', '=', 'NAS-Backup').executeTakeFirstOrThrow();
    expect(nas.notes).toBe('@backup share is \\\\NAS-BACKUP\\veeam; installer in "C:\\Program Files\\"');
    const events = (await listAssetEvents(t.ctx, nas.id)).events;
    expect(events[0]).toMatchObject({ action: 'imported', source: 'import', correlationId: done.importId, details: { importId: done.importId } });

  });

  it('reads the template (no rows), gives each bad row its field and reason, and imports nothing unless asked', async () => {
    const principal = await admin();
    const client = await clientWithNames('Verdict Co');
    const empty = await importAssets(t.ctx, principal, [fixture('itflow-asset-import-template.csv')], { clientId: client.id, match: 'none' });
    expect(empty.rows).toEqual([]);

    const file = [
      'Name,Serial,Purchase Date,Location,Assigned To,Colour',
      'GOOD-1,S-1,2024-01-31,Head Office,anna muller,red',
      ',S-2,,,,',
      'BAD-DATE,S-3,2024-13-45,,,',
      'NO-SUCH-PLACE,S-4,,Basement,,',
      'GOOD-2,S-1,,,,',
    ].join('\r\n');
    const strict = await importAssets(t.ctx, principal, [file], { clientId: client.id, match: 'serial' });
    expect(strict.committed).toBe(false);
    expect(strict.headings.unknown).toEqual(['Colour']);
    expect(strict.rows.map((r) => [r.line, r.verdict, r.problems?.map((p) => p.field)])).toEqual([
      [2, 'create', undefined], [3, 'rejected', ['name']], [4, 'rejected', ['purchaseDate']], [5, 'rejected', ['Location']], [6, 'rejected', ['serial']],
    ]);
    expect(strict.rows[5 - 2]!.problems![0]!.message).toContain('"Basement"');
    expect(strict.rows[6 - 2]!.problems![0]!.message).toContain('line 2');
    expect(await t.store.db.selectFrom('assets').select('id').where('client_id', '=', client.id).execute()).toEqual([]);

    const lenient = await importAssets(t.ctx, principal, [file], { clientId: client.id, match: 'serial', validOnly: true });
    expect(lenient.committed).toBe(true);
    const rows = await t.store.db.selectFrom('assets').select(['name', 'contact_id', 'purchase_date']).where('client_id', '=', client.id).execute();
    expect(rows).toEqual([{ name: 'GOOD-1', contact_id: expect.any(Number), purchase_date: '2024-01-31' }]);
  });
});
