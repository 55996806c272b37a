// /api/v1 clients, locations, contacts, vendors and networks, on each database.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

describe.each(DIALECTS)('/api/v1 records on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let keys: Record<'tech' | 'limited' | 'accountant', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    a = await makeClientWithRecords(t.ctx, 'Alpha Dental');
    b = await makeClientWithRecords(t.ctx, 'Beta Law');
    keys = await makeKeyedUsers(t.ctx, { tech: 'technician', limited: 'technician', accountant: 'accountant' }, { name: 'limited', clientId: a.client.id });
  });
  afterAll(async () => app.close());

  const read = async (resource: string, query: Record<string, string | number>) =>
    (await app.inject({ method: 'GET', url: `/api/v1/${resource}/read.php`, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) })).json() as { success: string; count?: number; data?: Array<Record<string, string | null>>; message?: string };
  const create = async (resource: string, body: Record<string, unknown>) => (await app.inject({ method: 'POST', url: `/api/v1/${resource}/create.php`, payload: body }));

  it('reads each resource in ITFlow\'s keys and typing, one filter at a time, within the key\'s clients', async () => {
    const clients = await read('clients', { api_key: keys.tech, client_name: 'alpha dental' });
    expect(clients.data).toEqual([expect.objectContaining({ client_id: String(a.client.id), client_name: 'Alpha Dental', client_favorite: '0' })]);
    expect(Object.keys(clients.data![0]!)[0]).toBe('client_id');

    const contacts = await read('contacts', { api_key: keys.tech, contact_id: a.contact.id });
    expect(contacts.data![0]).toMatchObject({ contact_name: 'Ana Alvarez', contact_location_id: '0', contact_client_id: String(a.client.id) });

    const networks = await read('networks', { api_key: keys.tech, network_name: 'lan', client_id: b.client.id });
    expect(networks.data).toEqual([expect.objectContaining({ network_id: String(b.network.id), network: '10.0.0.0/24' })]);

    expect((await read('vendors', { api_key: keys.tech, vendor_id: b.vendor.id })).data![0]).toMatchObject({ vendor_name: 'Dell' });
    expect((await read('locations', { api_key: keys.tech, location_id: a.location.id })).data![0]).toMatchObject({ location_name: 'Head Office', location_primary: '0' });

    expect(await read('vendors', { api_key: keys.limited, vendor_id: b.vendor.id })).toEqual({ success: 'False', message: 'No resource (for this client and company) with the specified parameter(s).' });
    const visible = await read('clients', { api_key: keys.limited });
    expect(visible.data!.map((c) => c.client_id)).toEqual([String(a.client.id)]);
  });

  it('creates clients, locations and contacts with the field named on refusal', async () => {
    const client = await create('clients', { api_key: keys.tech, client_name: 'Gamma Bakery', client_website: 'gamma.example' });
    expect(client.json()).toMatchObject({ success: 'True', count: '1' });
    const clientId = (client.json() as { data: Array<{ insert_id: number }> }).data[0]!.insert_id;

    const location = await create('locations', { api_key: keys.tech, client_id: clientId, location_name: 'Shop', location_city: 'Burlington' });
    expect(location.json()).toMatchObject({ success: 'True' });
    expect((await create('locations', { api_key: keys.tech, client_id: clientId, location_name: '' })).json()).toEqual({ success: 'False', message: 'location_name: is required' });

    const contact = await create('contacts', { api_key: keys.tech, client_id: clientId, contact_name: 'Ben', contact_email: 'ben@gamma.example' });
    expect(contact.json()).toMatchObject({ success: 'True' });
    const duplicate = await create('contacts', { api_key: keys.tech, client_id: clientId, contact_name: 'Ben 2', contact_email: 'BEN@gamma.example' });
    expect(duplicate.json()).toMatchObject({ success: 'False', message: expect.stringContaining('contact_email') });
    expect((await create('contacts', { api_key: keys.tech, client_id: clientId, contact_name: 'No mail' })).json()).toEqual({ success: 'False', message: 'contact_email: is required' });

    expect((await create('contacts', { api_key: keys.limited, client_id: b.client.id, contact_name: 'X', contact_email: 'x@y.z' })).json()).toEqual({ success: 'False', message: `client_id: client ${b.client.id} does not exist` });
    const refused = await create('clients', { api_key: keys.accountant, client_name: 'Nope' });
    expect(refused.statusCode).toBe(403);
  });
});
