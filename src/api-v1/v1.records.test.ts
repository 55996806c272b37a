// /api/v1 clients, locations, contacts, vendors and networks, on each database.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { buildApp } from '../app.ts';
import { createAsset, getAsset } from '../assets/asset.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { loadConfig } from '../platform/config.ts';
import { listen, type Requester } from '../../test/support/http.ts';

/** ITFlow's columns per table, in its order (ITFlow's db.sql; ../shared/reference/itflow-schema.md). */
const ITFLOW_COLUMNS: Record<string, string[]> = {
  clients: [
    'client_id',
    'client_lead',
    'client_name',
    'client_type',
    'client_website',
    'client_referral',
    'client_rate',
    'client_currency_code',
    'client_net_terms',
    'client_tax_id_number',
    'client_abbreviation',
    'client_notes',
    'client_favorite',
    'client_created_at',
    'client_updated_at',
    'client_archived_at',
    'client_accessed_at',
  ],
  locations: [
    'location_id',
    'location_name',
    'location_description',
    'location_country',
    'location_address',
    'location_city',
    'location_state',
    'location_zip',
    'location_phone_country_code',
    'location_phone',
    'location_phone_extension',
    'location_fax_country_code',
    'location_fax',
    'location_hours',
    'location_photo',
    'location_primary',
    'location_notes',
    'location_favorite',
    'location_created_at',
    'location_updated_at',
    'location_archived_at',
    'location_accessed_at',
    'location_contact_id',
    'location_client_id',
  ],
  contacts: [
    'contact_id',
    'contact_name',
    'contact_title',
    'contact_email',
    'contact_phone_country_code',
    'contact_phone',
    'contact_extension',
    'contact_mobile_country_code',
    'contact_mobile',
    'contact_photo',
    'contact_pin',
    'contact_notes',
    'contact_primary',
    'contact_important',
    'contact_billing',
    'contact_technical',
    'contact_created_at',
    'contact_updated_at',
    'contact_archived_at',
    'contact_accessed_at',
    'contact_location_id',
    'contact_vendor_id',
    'contact_user_id',
    'contact_department',
    'contact_client_id',
  ],
  vendors: [
    'vendor_id',
    'vendor_name',
    'vendor_description',
    'vendor_contact_name',
    'vendor_phone_country_code',
    'vendor_phone',
    'vendor_extension',
    'vendor_email',
    'vendor_website',
    'vendor_hours',
    'vendor_sla',
    'vendor_code',
    'vendor_account_number',
    'vendor_notes',
    'vendor_favorite',
    'vendor_created_at',
    'vendor_updated_at',
    'vendor_archived_at',
    'vendor_accessed_at',
    'vendor_client_id',
    'vendor_template_id',
  ],
  networks: [
    'network_id',
    'network_name',
    'network_description',
    'network_vlan',
    'network',
    'network_subnet',
    'network_gateway',
    'network_primary_dns',
    'network_secondary_dns',
    'network_dhcp_range',
    'network_notes',
    'network_favorite',
    'network_created_at',
    'network_updated_at',
    'network_archived_at',
    'network_accessed_at',
    'network_location_id',
    'network_client_id',
  ],
};

describe.each(DIALECTS)('/api/v1 records on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'tech' | 'limited' | 'accountant' | 'admin', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Dental');
    b = await makeClientWithRecords(t.ctx, 'Beta Law');
    keys = await makeKeyedUsers(
      t.ctx,
      { tech: 'technician', limited: 'technician', accountant: 'accountant', admin: 'admin' },
      { name: 'limited', clientId: a.client.id },
    );
  });
  afterAll(async () => app.close());

  const read = async (resource: string, query: Record<string, string | number>) =>
    (
      await http({ method: 'GET', url: `/api/v1/${resource}/read.php`, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) })
    ).json() as { success: string; count?: number; data?: Array<Record<string, string | null>>; message?: string };
  const create = async (resource: string, body: Record<string, unknown>) =>
    await http({ method: 'POST', url: `/api/v1/${resource}/create.php`, payload: body });
  const post = async (resource: string, operation: string, body: Record<string, unknown>) =>
    await http({ method: 'POST', url: `/api/v1/${resource}/${operation}.php`, payload: body });
  /** The one row read.php returns for an id, as the technician (who sees every client) reads it. */
  const row = async (resource: string, idKey: string, id: number) => (await read(resource, { api_key: keys.tech, [idKey]: id })).data![0]!;
  const fail = (message: string) => ({ success: 'False', message });
  const DONE = { success: 'True', count: 1 };
  const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

  it('returns every column ITFlow returns, in its order, typed as ITFlow types a record that never set them', async () => {
    const ids: Record<string, number> = {
      clients: a.client.id,
      locations: a.location.id,
      contacts: a.contact.id,
      vendors: a.vendor.id,
      networks: a.network.id,
    };
    for (const [resource, columns] of Object.entries(ITFLOW_COLUMNS)) {
      const idKey = `${resource.slice(0, -1)}_id`;
      const one = await row(resource, idKey, ids[resource]!);
      expect(Object.keys(one), resource).toEqual(columns);
      expect(
        Object.values(one).every((v) => v === null || typeof v === 'string'),
        resource,
      ).toBe(true);
      const all = await read(resource, { api_key: keys.tech });
      expect(Object.keys(all.data![0]!), `${resource} list`).toEqual(columns);
    }
    const client = await row('clients', 'client_id', a.client.id);
    expect(client).toMatchObject({ client_lead: '0', client_abbreviation: null, client_net_terms: '0', client_accessed_at: null });
    const contact = await row('contacts', 'contact_id', a.contact.id);
    expect(contact).toMatchObject({ contact_primary: '0', contact_billing: '0', contact_technical: '0', contact_vendor_id: '0', contact_pin: null });
    const network = await row('networks', 'network_id', a.network.id);
    expect(network).toMatchObject({ network_subnet: null, network_favorite: '0' });
    expect(typeof network.network_gateway).toBe('string');
  });

  it("reads each resource in ITFlow's keys and typing, one filter at a time, within the key's clients", async () => {
    const clients = await read('clients', { api_key: keys.tech, client_name: 'alpha dental' });
    expect(clients.data).toEqual([expect.objectContaining({ client_id: String(a.client.id), client_name: 'Alpha Dental', client_favorite: '0' })]);
    expect(Object.keys(clients.data![0]!)[0]).toBe('client_id');

    const contacts = await read('contacts', { api_key: keys.tech, contact_id: a.contact.id });
    expect(contacts.data![0]).toMatchObject({ contact_name: 'Ana Alvarez', contact_location_id: '0', contact_client_id: String(a.client.id) });

    const networks = await read('networks', { api_key: keys.tech, network_name: 'lan', client_id: b.client.id });
    expect(networks.data).toEqual([expect.objectContaining({ network_id: String(b.network.id), network: '10.0.0.0/24' })]);

    expect((await read('vendors', { api_key: keys.tech, vendor_id: b.vendor.id })).data![0]).toMatchObject({ vendor_name: 'Dell' });
    expect((await read('locations', { api_key: keys.tech, location_id: a.location.id })).data![0]).toMatchObject({
      location_name: 'Head Office',
      location_primary: '0',
    });

    expect(await read('vendors', { api_key: keys.limited, vendor_id: b.vendor.id })).toEqual({
      success: 'False',
      message: 'No resource (for this client and company) with the specified parameter(s).',
    });
    const visible = await read('clients', { api_key: keys.limited });
    expect(visible.data!.map((c) => c.client_id)).toEqual([String(a.client.id)]);
  });

  it('creates clients, locations and contacts with the field named on refusal', async () => {
    const client = await create('clients', { api_key: keys.tech, client_name: 'Gamma Bakery', client_website: 'gamma.example' });
    expect(client.json()).toMatchObject({ success: 'True', count: '1' });
    const clientId = (client.json() as { data: Array<{ insert_id: number }> }).data[0]!.insert_id;

    const location = await create('locations', { api_key: keys.tech, client_id: clientId, location_name: 'Shop', location_city: 'Burlington' });
    expect(location.json()).toMatchObject({ success: 'True' });
    expect((await create('locations', { api_key: keys.tech, client_id: clientId, location_name: '' })).json()).toEqual({
      success: 'False',
      message: 'location_name: is required',
    });

    const contact = await create('contacts', { api_key: keys.tech, client_id: clientId, contact_name: 'Ben', contact_email: 'ben@gamma.example' });
    expect(contact.json()).toMatchObject({ success: 'True' });
    const duplicate = await create('contacts', { api_key: keys.tech, client_id: clientId, contact_name: 'Ben 2', contact_email: 'BEN@gamma.example' });
    expect(duplicate.json()).toMatchObject({ success: 'False', message: expect.stringContaining('contact_email') });
    expect((await create('contacts', { api_key: keys.tech, client_id: clientId, contact_name: 'No mail' })).json()).toEqual({
      success: 'False',
      message: 'contact_email: is required',
    });

    expect((await create('contacts', { api_key: keys.limited, client_id: b.client.id, contact_name: 'X', contact_email: 'x@y.z' })).json()).toEqual({
      success: 'False',
      message: `client_id: client ${b.client.id} does not exist`,
    });
    const refused = await create('clients', { api_key: keys.accountant, client_name: 'Nope' });
    expect(refused.statusCode).toBe(403);
  });

  it("updates, archives and unarchives clients, changing only the fields sent, within the key's clients", async () => {
    const c = await makeClientWithRecords(t.ctx, 'Delta Garage');
    const id = c.client.id;
    expect(
      (await post('clients', 'update', { api_key: keys.tech, client_id: id, client_website: 'delta.example', client_notes: 'Opens at 7' })).json(),
    ).toEqual(DONE);
    expect(await row('clients', 'client_id', id)).toMatchObject({
      client_name: 'Delta Garage',
      client_website: 'delta.example',
      client_notes: 'Opens at 7',
      client_type: null,
      client_updated_at: expect.stringMatching(DATETIME),
    });
    expect((await post('clients', 'update', { api_key: keys.tech, client_id: String(id), client_type: 'Garage', client_favorite: '1' })).json()).toEqual(DONE);
    expect(await row('clients', 'client_id', id)).toMatchObject({
      client_name: 'Delta Garage',
      client_website: 'delta.example',
      client_notes: 'Opens at 7',
      client_type: 'Garage',
      client_favorite: '1',
    });

    // Refusals name the v1 field and change nothing.
    expect((await post('clients', 'update', { api_key: keys.tech, client_id: id, client_name: '', client_website: 'w'.repeat(201) })).json()).toEqual(
      fail('client_name: is required; client_website: is 201 characters long; the limit is 200'),
    );
    expect((await post('clients', 'update', { api_key: keys.tech, client_favorite: 'maybe' })).json()).toEqual(fail('client_id: is required'));
    expect((await post('clients', 'update', { api_key: keys.tech, client_id: id, client_favorite: 'maybe' })).json()).toEqual(
      fail('client_favorite: "maybe" is not yes/no'),
    );
    expect((await post('clients', 'update', { api_key: keys.tech, client_id: 999_999, client_notes: 'x' })).json()).toEqual(
      fail('client 999999 does not exist'),
    );
    expect((await post('clients', 'archive', { api_key: keys.tech, client_id: 'abc' })).json()).toEqual(fail('client_id: "abc" is not an id'));
    expect(await row('clients', 'client_id', id)).toMatchObject({ client_name: 'Delta Garage', client_website: 'delta.example', client_favorite: '1' });

    expect((await post('clients', 'archive', { api_key: keys.tech, client_id: id })).json()).toEqual(DONE);
    const archivedAt = (await row('clients', 'client_id', id)).client_archived_at;
    expect(archivedAt).toMatch(DATETIME);
    expect((await post('clients', 'archive', { api_key: keys.tech, client_id: id })).json()).toEqual(DONE);
    expect((await row('clients', 'client_id', id)).client_archived_at).toBe(archivedAt);
    expect((await post('clients', 'unarchive', { api_key: keys.tech, client_id: id })).json()).toEqual(DONE);
    expect((await row('clients', 'client_id', id)).client_archived_at).toBeNull();
    expect((await post('clients', 'unarchive', { api_key: keys.tech, client_id: 999_999 })).json()).toEqual(fail('client 999999 does not exist'));

    // A key limited to Alpha gets a missing client's answer for this one, and nothing changes.
    expect((await post('clients', 'update', { api_key: keys.limited, client_id: id, client_name: 'Taken over' })).json()).toEqual(
      fail(`client ${id} does not exist`),
    );
    expect((await post('clients', 'archive', { api_key: keys.limited, client_id: id })).json()).toEqual(fail(`client ${id} does not exist`));
    expect((await post('clients', 'unarchive', { api_key: keys.limited, client_id: id })).json()).toEqual(fail(`client ${id} does not exist`));
    expect(await row('clients', 'client_id', id)).toMatchObject({ client_name: 'Delta Garage', client_archived_at: null });
    // …and may update the client it does see.
    expect((await post('clients', 'update', { api_key: keys.limited, client_id: a.client.id, client_notes: 'Limited tech was here' })).json()).toEqual(DONE);
    expect(await row('clients', 'client_id', a.client.id)).toMatchObject({ client_name: 'Alpha Dental', client_notes: 'Limited tech was here' });

    for (const operation of ['update', 'archive', 'unarchive']) {
      const refused = await post('clients', operation, { api_key: keys.accountant, client_id: id, client_notes: 'no' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ success: 'False', message: expect.stringContaining('this needs write access') });
    }
    expect((await row('clients', 'client_id', id)).client_notes).toBe('Opens at 7');
  });

  it('updates, archives and unarchives contacts only within their client', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Echo Bakery');
    const [id, clientId] = [c.contact.id, c.client.id];
    const email = (await row('contacts', 'contact_id', id)).contact_email!;
    await createContact(t.ctx, { clientId, name: 'Carl', email: 'carl@echo.example' });

    const update = (body: Record<string, unknown>, key = keys.tech) =>
      post('contacts', 'update', { api_key: key, contact_id: id, client_id: clientId, ...body });
    expect((await update({ contact_title: 'Office manager', contact_phone: '555-0100', contact_location_id: c.location.id })).json()).toEqual(DONE);
    expect(await row('contacts', 'contact_id', id)).toMatchObject({
      contact_name: 'Ana Alvarez',
      contact_email: email,
      contact_title: 'Office manager',
      contact_phone: '555-0100',
      contact_location_id: String(c.location.id),
      contact_updated_at: expect.stringMatching(DATETIME),
    });
    // Its own email in another case is no clash; another contact's is, in any case.
    expect((await update({ contact_email: email.toUpperCase() })).json()).toEqual(DONE);
    expect((await row('contacts', 'contact_id', id)).contact_email).toBe(email.toUpperCase());
    expect((await update({ contact_email: 'CARL@echo.example' })).json()).toEqual(
      fail('contact_email: another contact of this client already has the email CARL@echo.example'),
    );
    expect((await update({ contact_email: '' })).json()).toEqual(fail('contact_email: is required'));
    expect((await update({ contact_name: '', contact_location_id: b.location.id })).json()).toEqual(
      fail(`contact_name: is required; contact_location_id: location ${b.location.id} does not exist for this client`),
    );
    expect((await post('contacts', 'update', { api_key: keys.tech, client_id: clientId, contact_title: 'x' })).json()).toEqual(fail('contact_id: is required'));
    expect((await post('contacts', 'update', { api_key: keys.tech, contact_id: id, contact_title: 'x' })).json()).toEqual(fail('client_id: is required'));
    expect((await post('contacts', 'archive', { api_key: keys.tech, contact_id: 999_999, client_id: clientId })).json()).toEqual(
      fail(`contact 999999 does not exist for client ${clientId}`),
    );

    // The wrong client_id touches nothing.
    expect((await post('contacts', 'update', { api_key: keys.tech, contact_id: id, client_id: a.client.id, contact_title: 'Moved' })).json()).toEqual(
      fail(`contact ${id} does not exist for client ${a.client.id}`),
    );
    expect((await post('contacts', 'archive', { api_key: keys.tech, contact_id: id, client_id: a.client.id })).json()).toEqual(
      fail(`contact ${id} does not exist for client ${a.client.id}`),
    );
    expect(await row('contacts', 'contact_id', id)).toMatchObject({
      contact_name: 'Ana Alvarez',
      contact_title: 'Office manager',
      contact_email: email.toUpperCase(),
      contact_archived_at: null,
    });

    expect((await post('contacts', 'archive', { api_key: keys.tech, contact_id: id, client_id: clientId })).json()).toEqual(DONE);
    expect((await row('contacts', 'contact_id', id)).contact_archived_at).toMatch(DATETIME);
    expect((await post('contacts', 'unarchive', { api_key: keys.tech, contact_id: id, client_id: clientId })).json()).toEqual(DONE);
    expect((await row('contacts', 'contact_id', id)).contact_archived_at).toBeNull();

    // A key limited to Alpha: this client's contact answers as a missing one; Alpha's it may edit.
    for (const operation of ['update', 'archive', 'unarchive']) {
      expect((await post('contacts', operation, { api_key: keys.limited, contact_id: id, client_id: clientId, contact_title: 'Hijacked' })).json()).toEqual(
        fail(`contact ${id} does not exist for client ${clientId}`),
      );
    }
    expect(await row('contacts', 'contact_id', id)).toMatchObject({ contact_title: 'Office manager', contact_archived_at: null });
    expect((await update({ contact_notes: 'Prefers email' }, keys.limited)).json()).toEqual(fail(`contact ${id} does not exist for client ${clientId}`));
    expect(
      (await post('contacts', 'update', { api_key: keys.limited, contact_id: a.contact.id, client_id: a.client.id, contact_notes: 'Prefers email' })).json(),
    ).toEqual(DONE);
    expect((await row('contacts', 'contact_id', a.contact.id)).contact_notes).toBe('Prefers email');
    // Creating without client_id names the v1 key.
    expect((await create('contacts', { api_key: keys.tech, contact_name: 'No client', contact_email: 'n@c.example' })).json()).toEqual(
      fail('client_id: is required'),
    );

    for (const operation of ['update', 'archive', 'unarchive']) {
      expect((await post('contacts', operation, { api_key: keys.accountant, contact_id: id, client_id: clientId, contact_title: 'no' })).statusCode).toBe(403);
    }
    expect((await row('contacts', 'contact_id', id)).contact_title).toBe('Office manager');
  });

  it('deletes a contact only with full access, clearing it from assets through their history', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Foxtrot Law');
    const [id, clientId] = [c.contact.id, c.client.id];
    const laptop = await createAsset(t.ctx, { clientId, name: 'LT-01', contactId: id });
    const printer = await createAsset(t.ctx, { clientId, name: 'PR-01' });
    const body = { contact_id: id, client_id: clientId };

    // Technicians have write, not full, access to clients: delete needs full (level 3).
    for (const key of [keys.tech, keys.limited, keys.accountant]) {
      const refused = await post('contacts', 'delete', { api_key: key, ...body });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ success: 'False', message: expect.stringContaining('this needs full access') });
    }
    expect((await post('contacts', 'delete', { api_key: keys.admin, contact_id: id, client_id: a.client.id })).json()).toEqual(
      fail(`contact ${id} does not exist for client ${a.client.id}`),
    );
    expect((await post('contacts', 'delete', { api_key: keys.admin, client_id: clientId })).json()).toEqual(fail('contact_id: is required'));
    expect((await row('contacts', 'contact_id', id)).contact_name).toBe('Ana Alvarez');
    expect((await getAsset(t.ctx, laptop.id)).contactId).toBe(id);

    expect((await post('contacts', 'delete', { api_key: keys.admin, ...body })).json()).toEqual(DONE);
    expect(await read('contacts', { api_key: keys.tech, contact_id: id })).toEqual(
      fail('No resource (for this client and company) with the specified parameter(s).'),
    );
    expect((await getAsset(t.ctx, laptop.id)).contactId).toBeNull();
    const [latest] = (await listAssetEvents(t.ctx, laptop.id)).events;
    expect(latest).toMatchObject({
      action: 'updated',
      source: 'api',
      actor: { type: 'api_key' },
      reason: `contact "Ana Alvarez" (${id}) was deleted`,
      changes: [{ field: 'contactId', old: id, new: null }],
    });
    expect((await listAssetEvents(t.ctx, printer.id)).events.map((e) => e.action)).toEqual(['created']);
    expect((await post('contacts', 'delete', { api_key: keys.admin, ...body })).json()).toEqual(fail(`contact ${id} does not exist for client ${clientId}`));
  });

  it('creates and updates vendors and networks in the same conventions', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Golf Club');
    const clientId = c.client.id;
    const insertId = (r: Awaited<ReturnType<typeof create>>) => (r.json() as { data: Array<{ insert_id: number }> }).data[0]!.insert_id;

    const vendor = await create('vendors', {
      api_key: keys.tech,
      client_id: clientId,
      vendor_name: 'Lenovo',
      vendor_contact_name: 'Lee',
      vendor_account_number: 'ACC-9',
    });
    expect(vendor.json()).toMatchObject({ success: 'True', count: '1' });
    const vendorId = insertId(vendor);
    expect(await row('vendors', 'vendor_id', vendorId)).toMatchObject({
      vendor_name: 'Lenovo',
      vendor_contact_name: 'Lee',
      vendor_account_number: 'ACC-9',
      vendor_phone: null,
      vendor_client_id: String(clientId),
    });
    expect((await create('vendors', { api_key: keys.tech, client_id: clientId, vendor_website: 'x' })).json()).toEqual(fail('vendor_name: is required'));
    expect((await post('vendors', 'update', { api_key: keys.tech, vendor_id: vendorId, client_id: clientId, vendor_phone: '555-0199' })).json()).toEqual(DONE);
    expect(await row('vendors', 'vendor_id', vendorId)).toMatchObject({
      vendor_name: 'Lenovo',
      vendor_account_number: 'ACC-9',
      vendor_phone: '555-0199',
      vendor_updated_at: expect.stringMatching(DATETIME),
    });
    expect((await post('vendors', 'update', { api_key: keys.tech, vendor_id: vendorId, client_id: clientId, vendor_email: 'e'.repeat(201) })).json()).toEqual(
      fail('vendor_email: is 201 characters long; the limit is 200'),
    );
    expect((await post('vendors', 'update', { api_key: keys.tech, client_id: clientId, vendor_phone: '1' })).json()).toEqual(fail('vendor_id: is required'));
    expect((await post('vendors', 'update', { api_key: keys.tech, vendor_id: vendorId, client_id: a.client.id, vendor_name: 'Moved' })).json()).toEqual(
      fail(`vendor ${vendorId} does not exist for client ${a.client.id}`),
    );
    expect((await post('vendors', 'update', { api_key: keys.limited, vendor_id: vendorId, client_id: clientId, vendor_name: 'Hijacked' })).json()).toEqual(
      fail(`vendor ${vendorId} does not exist for client ${clientId}`),
    );
    expect((await create('vendors', { api_key: keys.limited, client_id: clientId, vendor_name: 'Nope' })).json()).toEqual(
      fail(`client_id: client ${clientId} does not exist`),
    );
    expect((await row('vendors', 'vendor_id', vendorId)).vendor_name).toBe('Lenovo');

    const network = await create('networks', {
      api_key: keys.tech,
      client_id: clientId,
      network_name: 'Guest',
      network: '192.168.50.0/24',
      network_vlan: 50,
      network_gateway: '192.168.50.1',
      network_location_id: c.location.id,
    });
    expect(network.json()).toMatchObject({ success: 'True', count: '1' });
    const networkId = insertId(network);
    expect(await row('networks', 'network_id', networkId)).toMatchObject({
      network_name: 'Guest',
      network: '192.168.50.0/24',
      network_vlan: '50',
      network_gateway: '192.168.50.1',
      network_location_id: String(c.location.id),
    });
    expect(
      (await create('networks', { api_key: keys.tech, client_id: clientId, network_name: 'Bad', network: 'not-a-net', network_vlan: 5000 })).json(),
    ).toEqual(fail('network_vlan: "5000" is not a VLAN id (1–4094); network: "not-a-net" is not a network in CIDR form (e.g. 192.168.1.0/24)'));
    expect(
      (
        await post('networks', 'update', {
          api_key: keys.tech,
          network_id: networkId,
          client_id: clientId,
          network_description: 'Guests only',
          network_vlan: '',
        })
      ).json(),
    ).toEqual(DONE);
    expect(await row('networks', 'network_id', networkId)).toMatchObject({
      network_name: 'Guest',
      network_description: 'Guests only',
      network_vlan: null,
      network: '192.168.50.0/24',
    });
    // ITFlow writes 0 for "no VLAN" (its column's none, as for every reference).
    expect((await post('networks', 'update', { api_key: keys.tech, network_id: networkId, client_id: clientId, network_vlan: '50' })).json()).toEqual(DONE);
    expect((await post('networks', 'update', { api_key: keys.tech, network_id: networkId, client_id: clientId, network_vlan: '0' })).json()).toEqual(DONE);
    expect((await row('networks', 'network_id', networkId)).network_vlan).toBeNull();
    expect((await post('networks', 'update', { api_key: keys.tech, network_id: networkId, client_id: clientId, network_primary_dns: '8.8.8' })).json()).toEqual(
      fail('network_primary_dns: enter an IPv4 address such as 192.168.1.10 or an IPv6 address such as 2001:db8::1 ("8.8.8" is neither)'),
    );
    expect(
      (await post('networks', 'update', { api_key: keys.tech, network_id: networkId, client_id: clientId, network_location_id: a.location.id })).json(),
    ).toEqual(fail(`network_location_id: location ${a.location.id} does not exist for this client`));
    expect((await post('networks', 'update', { api_key: keys.tech, network_id: networkId, client_id: a.client.id, network_name: 'Moved' })).json()).toEqual(
      fail(`network ${networkId} does not exist for client ${a.client.id}`),
    );
    expect((await post('networks', 'update', { api_key: keys.limited, network_id: networkId, client_id: clientId, network_name: 'Hijacked' })).json()).toEqual(
      fail(`network ${networkId} does not exist for client ${clientId}`),
    );
    expect((await row('networks', 'network_id', networkId)).network_name).toBe('Guest');

    const refusals = [
      await create('vendors', { api_key: keys.accountant, client_id: clientId, vendor_name: 'No' }),
      await post('vendors', 'update', { api_key: keys.accountant, vendor_id: vendorId, client_id: clientId, vendor_name: 'No' }),
      await create('networks', { api_key: keys.accountant, client_id: clientId, network_name: 'No' }),
      await post('networks', 'update', { api_key: keys.accountant, network_id: networkId, client_id: clientId, network_name: 'No' }),
    ];
    expect(refusals.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
    expect(refusals[2]!.json()).toMatchObject({ message: expect.stringContaining('access to assets') });
  });
});
