// Small builders for test data; each test makes its own client so tests never share rows.
import { createClient } from '../../src/clients/client.service.ts';
import { createContact } from '../../src/contacts/contact.service.ts';
import { createLocation } from '../../src/locations/location.service.ts';
import { createNetwork } from '../../src/networks/network.service.ts';
import { createVendor } from '../../src/vendors/vendor.service.ts';
import type { Ctx } from '../../src/platform/context.ts';

let n = 0;

export async function makeClientWithRecords(ctx: Ctx, name = `Client ${++n}`) {
  const client = await createClient(ctx, { name });
  const location = await createLocation(ctx, { clientId: client.id, name: 'Head Office' });
  const contact = await createContact(ctx, { clientId: client.id, name: 'Ana Alvarez', email: `ana${++n}@example.test` });
  const vendor = await createVendor(ctx, { clientId: client.id, name: 'Dell' });
  const network = await createNetwork(ctx, { clientId: client.id, name: 'LAN', cidr: '10.0.0.0/24' });
  return { client, location, contact, vendor, network };
}
