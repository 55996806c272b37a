// Onboarding a client from ITFlow's exports, over a real socket on each database: the asset export
// into an empty client creates the locations and contacts it names (once each) and imports every row;
// "leave empty" and "reject" do what they say; a client's locations and contacts import from ITFlow's
// headings with a verdict per row; and the command line's --missing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.ts';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { loadPrincipal } from '../access/access.ts';
import { createUser } from '../accounts/user.service.ts';
import { createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import { importAssets } from './asset-import.ts';
import { importRecords } from './record-import.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/itflow/${name}`, import.meta.url), 'utf8');
const PASSWORD = 'correct-horse-battery-staple-42';
/** Rows of ITFlow's export naming neither a location nor a contact: only LAP-Spare. */
const ROWS = 26;

describe.each(DIALECTS)('onboarding imports on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'boss@onboard.test', name: 'Boss', password: PASSWORD, role: 'admin' });
  });
  const namesOf = async (table: 'locations' | 'contacts' | 'vendors', clientId: number) =>
    (await t.store.db.selectFrom(table).select('name').where('client_id', '=', clientId).orderBy('name').execute()).map((r) => r.name);

  /** Uploads ITFlow's asset export into the client and saves the mapping with these choices. */
  const uploadExport = async (clientId: number, missing: Record<string, string>) => {
    const web = await site.signIn('boss@onboard.test', PASSWORD);
    expect((await web.get(`/clients/${clientId}/assets/import`)).body).toContain('Import assets into');
    const uploaded = await web.upload(
      '/imports',
      { kind: 'assets', client: String(clientId), asset: '' },
      { name: 'itflow-assets.csv', content: fixture('itflow-export-default.csv') },
    );
    const url = uploaded.headers.location as string;
    const mapping = await web.get(url);
    const columns = Object.fromEntries([...mapping.body.matchAll(/name="(column_\d+)"[\s\S]*?<option value="(\w+)" selected>/g)].map((m) => [m[1]!, m[2]!]));
    await web.post(`${url}/options`, { ...columns, match: 'name', ...missing });
    return { web, url, mapping };
  };

  it("imports ITFlow's asset export into an empty client, creating each location and contact once", async () => {
    const client = await createClient(t.ctx, { name: 'Fresh Start AG' });
    const { web, url, mapping } = await uploadExport(client.id, {});
    // The mapping offers the choice per reference column, creating by default.
    for (const c of ['location', 'contact', 'vendor'])
      expect(mapping.body).toMatch(new RegExp(`name="missing_${c}"[\\s\\S]*?<option value="create" selected>`));
    expect(mapping.body).toContain('Create the missing ones');
    expect(mapping.body).toContain('Leave empty, with a warning');
    expect(mapping.body).toContain('Reject the row');

    const preview = await web.get(`${url}/preview`);
    expect(preview.body).toContain(`data-count="create">${ROWS}<`);
    expect(preview.body).toContain('data-count="rejected">0<');
    expect(preview.body).toContain("2 locations: 'Head Office', 'Zürich Branch'");
    expect(preview.body).toContain("3 contacts: 'Chloé Dubois', 'Anna Müller', 'Björn O'Brien'");
    // Named on the first row needing it, once however many rows name it.
    expect(preview.body.match(/will create location 'Head Office'/g)).toHaveLength(1);
    expect(preview.body.match(/will create location 'Zürich Branch'/g)).toHaveLength(1);
    expect(preview.body).toContain(`Import ${ROWS} rows`);
    expect(await namesOf('locations', client.id)).toEqual([]);

    const committed = await web.post(`${url}/commit`, {});
    expect(committed.headers.location).toBe(url);
    const summary = await web.get(url);
    expect(summary.body).toContain(`${ROWS} created, 0 updated, 0 unchanged; also created 2 locations, 3 contacts.`);
    expect(await namesOf('locations', client.id)).toEqual(['Head Office', 'Zürich Branch']);
    expect((await namesOf('contacts', client.id)).sort()).toEqual(['Anna Müller', "Björn O'Brien", 'Chloé Dubois']);
    const assets = await t.store.db
      .selectFrom('assets as a')
      .leftJoin('locations as l', 'l.id', 'a.location_id')
      .leftJoin('contacts as c', 'c.id', 'a.contact_id')
      .select(['a.name', 'l.name as location', 'c.name as contact'])
      .where('a.client_id', '=', client.id)
      .execute();
    expect(assets).toHaveLength(ROWS);
    expect(assets.find((a) => a.name === 'LAP-Chloé')).toEqual({ name: 'LAP-Chloé', location: 'Zürich Branch', contact: 'Chloé Dubois' });
    expect(assets.find((a) => a.name === 'LAP-Spare')).toEqual({ name: 'LAP-Spare', location: null, contact: null });
  });

  it('rejects the rows naming what the client lacks, or leaves them empty with a warning, as chosen', async () => {
    const client = await createClient(t.ctx, { name: 'Careful GmbH' });
    const strict = await uploadExport(client.id, { missing_location: 'reject', missing_contact: 'reject', missing_vendor: 'reject' });
    const refused = await strict.web.get(`${strict.url}/preview`);
    expect(refused.body).toContain('data-count="create">1<');
    expect(refused.body).toContain(`data-count="rejected">${ROWS - 1}<`);
    expect(refused.body).toContain('Location: this client has nothing named &quot;Head Office&quot;');
    expect(refused.body).not.toContain('will create');

    const lenient = await uploadExport(client.id, { missing_location: 'empty', missing_contact: 'empty', missing_vendor: 'create' });
    const preview = await lenient.web.get(`${lenient.url}/preview`);
    expect(preview.body).toContain(`data-count="create">${ROWS}<`);
    expect(preview.body).toContain('data-count="rejected">0<');
    expect(preview.body).toContain('Location: this client has no location named &quot;Head Office&quot;, so it is left empty');
    expect(preview.body).toContain('Assigned To: this client has no contact named &quot;Anna Müller&quot;, so it is left empty');
    expect(preview.body).not.toContain('will create');
    await lenient.web.post(`${lenient.url}/commit`, {});
    expect((await lenient.web.get(lenient.url)).body).toContain(`${ROWS} created, 0 updated, 0 unchanged.`);
    expect(await namesOf('locations', client.id)).toEqual([]);
    const placed = await t.store.db.selectFrom('assets').select('id').where('client_id', '=', client.id).where('location_id', 'is not', null).execute();
    expect(placed).toEqual([]);
  });

  it('matches names ignoring case, accents and spaces, creates vendors too, and leaves existing records alone', async () => {
    const client = await createClient(t.ctx, { name: 'Case Co' });
    const existing = await createLocation(t.ctx, { clientId: client.id, name: 'Lager' });
    const user = await createUser(t.ctx, { email: 'case@onboard.test', name: 'Case', password: PASSWORD, role: 'admin' });
    const principal = (await loadPrincipal(t.ctx, user.id))!;
    const file = 'Name,Location,Vendor\nA-1,Head Office,Dell\nA-2,  head office ,DELL\nA-3,HEAD OFFICE,dell\nA-4,lager,\nA-5,Zurich,\nA-6,zürich,\n';
    const preview = await importAssets({ ...t.ctx, principal }, principal, [file], { clientId: client.id, match: 'name', dryRun: true });
    expect(preview.created?.counts).toEqual({ locations: 2, contacts: 0, vendors: 1 });
    expect(preview.rows.map((r) => r.creates ?? [])).toEqual([
      ["will create location 'Head Office'", "will create vendor 'Dell'"],
      [],
      [],
      [],
      ["will create location 'Zurich'"],
      [],
    ]);
    const done = await importAssets({ ...t.ctx, principal }, principal, [file], { clientId: client.id, match: 'name' });
    expect(done.committed).toBe(true);
    expect(done.created?.counts).toEqual({ locations: 2, contacts: 0, vendors: 1 });
    expect(await namesOf('locations', client.id)).toEqual(['Head Office', 'Lager', 'Zurich']);
    expect(await namesOf('vendors', client.id)).toEqual(['Dell']);
    const rows = await t.store.db.selectFrom('assets').select(['name', 'location_id']).where('client_id', '=', client.id).orderBy('name').execute();
    expect(new Set(rows.slice(0, 3).map((r) => r.location_id)).size).toBe(1);
    expect(rows[3]!.location_id).toBe(existing.id);
    expect(rows[4]!.location_id).toBe(rows[5]!.location_id);
  });

  it("imports a client's locations from ITFlow's headings, rejecting a bad row with its field and reason", async () => {
    const client = await createClient(t.ctx, { name: 'Places SA' });
    await createLocation(t.ctx, { clientId: client.id, name: 'Head Office', city: 'Bern' });
    const web = await site.signIn('boss@onboard.test', PASSWORD);
    const list = await web.get(`/clients/${client.id}/locations`);
    expect(list.body).toContain(`href="/clients/${client.id}/locations/import"`);
    expect(list.body).toContain('Import CSV');
    const form = await web.get(`/clients/${client.id}/locations/import`);
    expect(form.body).toContain('Name, Description, Address, City, State, Postal Code, Phone, Hours');

    const file = [
      'Name,Description,Address,City,State,"Postal Code",Phone,Hours',
      '"Zürich Branch","Second office","Bahnhofstrasse 1",Zürich,ZH,8001,"+41 44 000 00 00","Mo-Fr 8-17"',
      '"head office",,,Basel,,,,',
      `${'L'.repeat(201)},,,,,,,`,
    ].join('\n');
    const uploaded = await web.upload(
      '/imports',
      { kind: 'locations', client: String(client.id), asset: '', existing: 'skip' },
      { name: 'locations.csv', content: file },
    );
    const url = (uploaded.headers.location as string).replace('/preview', '');
    const preview = await web.get(`${url}/preview`);
    expect(preview.body).toContain('data-count="create">1<');
    expect(preview.body).toContain('data-count="unchanged">1<');
    expect(preview.body).toContain('data-count="rejected">1<');
    expect(preview.body).toContain('a location of this name exists: skipped');
    expect(preview.body).toContain('Name: is 201 characters long; the limit is 200');
    await web.post(`${url}/commit`, { valid_only: '1' });
    const summary = await web.get(url);
    expect(summary.body).toContain('1 created, 0 updated, 1 unchanged, 1 rejected and not imported');
    expect(summary.body).toContain(`href="/clients/${client.id}/locations"`);
    const rows = await t.store.db.selectFrom('locations').select(['name', 'city', 'zip', 'hours']).where('client_id', '=', client.id).orderBy('name').execute();
    expect(rows).toEqual([
      { name: 'Head Office', city: 'Bern', zip: null, hours: null },
      { name: 'Zürich Branch', city: 'Zürich', zip: '8001', hours: 'Mo-Fr 8-17' },
    ]);
  });

  it("imports a client's contacts from ITFlow's headings, updating existing ones when asked", async () => {
    const client = await createClient(t.ctx, { name: 'People Ltd' });
    await createLocation(t.ctx, { clientId: client.id, name: 'Head Office' });
    await createContact(t.ctx, { clientId: client.id, name: 'Anna Müller', title: 'Clerk' });
    const web = await site.signIn('boss@onboard.test', PASSWORD);
    expect((await web.get(`/clients/${client.id}/contacts`)).body).toContain(`href="/clients/${client.id}/contacts/import"`);
    expect((await web.get(`/clients/${client.id}/contacts/import`)).body).toContain('Name, Title, Department, Email, Phone, Extension, Mobile, Location');
    const file = [
      'Name,Title,Department,Email,Phone,Ext,Mobile,Location',
      '"Chloé Dubois",CFO,Finance,chloe@people.test,"+41 1",12,,"head office"',
      '"anna muller","Head of IT",IT,anna@people.test,,,,',
      'Bad Mail,,,not-an-address,,,,',
      'Lost Soul,,,,,,,Basement',
    ].join('\n');
    const uploaded = await web.upload(
      '/imports',
      { kind: 'contacts', client: String(client.id), asset: '', existing: 'update' },
      { name: 'contacts.csv', content: file },
    );
    const url = (uploaded.headers.location as string).replace('/preview', '');
    const preview = await web.get(`${url}/preview`);
    expect(preview.body).toContain('data-count="create">1<');
    expect(preview.body).toContain('data-count="update">1<');
    expect(preview.body).toContain('data-count="rejected">2<');
    expect(preview.body).toContain('Changes: Title, Email, Department');
    expect(preview.body).toContain('Email: &quot;not-an-address&quot; is not an email address');
    expect(preview.body).toContain('Location: this client has nothing named &quot;Basement&quot;');
    // All or nothing: the rejected rows stop the import until only the valid ones are asked for.
    const refused = await web.post(`${url}/commit`, {});
    expect(refused.headers.location).toBe(`${url}/preview`);
    expect(await namesOf('contacts', client.id)).toEqual(['Anna Müller']);
    await web.post(`${url}/commit`, { valid_only: '1' });
    expect((await web.get(url)).body).toContain('1 created, 1 updated, 0 unchanged, 2 rejected and not imported');
    const rows = await t.store.db
      .selectFrom('contacts as c')
      .leftJoin('locations as l', 'l.id', 'c.location_id')
      .select(['c.name', 'c.title', 'c.extension', 'l.name as location'])
      .where('c.client_id', '=', client.id)
      .orderBy('c.name')
      .execute();
    expect(rows).toEqual([
      { name: 'Anna Müller', title: 'Head of IT', extension: null, location: null },
      { name: 'Chloé Dubois', title: 'CFO', extension: '12', location: 'Head Office' },
    ]);
  });

  it('refuses a record import to a user who may not write the client', async () => {
    const client = await createClient(t.ctx, { name: 'Closed Co' });
    const user = await createUser(t.ctx, { email: 'acct@onboard.test', name: 'Accountant', password: PASSWORD, role: 'accountant' });
    const principal = (await loadPrincipal(t.ctx, user.id))!;
    await expect(importRecords({ ...t.ctx, principal }, principal, 'locations', ['Name\nX\n'], { clientId: client.id })).rejects.toThrow();
    expect(await namesOf('locations', client.id)).toEqual([]);
  });
});

describe('steward import assets --missing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-missing-'));
  const env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates missing locations by default, and rejects or leaves them empty when asked', async () => {
    await runCli(['generate', '--assets', '1', '--clients', '1'], env);
    const file = 'Name,Location\nCLI-1,Nowhere Yet\nCLI-2,nowhere yet\n';
    const rejected = await runCli(['import', 'assets', '-', '--client', '1', '--missing', 'reject', '--dry-run', '--json'], env, file);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ counts: { create: 0, rejected: 2 } });
    const empty = await runCli(['import', 'assets', '-', '--client', '1', '--missing', 'empty', '--dry-run', '--json'], env, file);
    expect(JSON.parse(empty.stdout)).toMatchObject({ counts: { create: 2, rejected: 0 }, created: { locations: 0 } });
    const bad = await runCli(['import', 'assets', '-', '--client', '1', '--missing', 'maybe'], env, file);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--missing: "maybe" is not one of create, empty, reject');
    const done = await runCli(['import', 'assets', '-', '--client', '1'], env, file);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('created for the rows: 1 locations (Nowhere Yet)');
  });
});
