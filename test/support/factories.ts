// Small builders for test data; each test makes its own client so tests never share rows.
import { createClient } from '../../src/clients/client.service.ts';
import { createContact } from '../../src/contacts/contact.service.ts';
import { createLocation } from '../../src/locations/location.service.ts';
import { createNetwork } from '../../src/networks/network.service.ts';
import { createVendor } from '../../src/vendors/vendor.service.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { createApiKey } from '../../src/accounts/api-key.service.ts';
import { createUser } from '../../src/accounts/user.service.ts';
import { loadPrincipal } from '../../src/access/access.ts';

let n = 0;

export async function makeClientWithRecords(ctx: Ctx, name = `Client ${++n}`) {
  const client = await createClient(ctx, { name });
  const location = await createLocation(ctx, { clientId: client.id, name: 'Head Office' });
  const contact = await createContact(ctx, { clientId: client.id, name: 'Ana Alvarez', email: `ana${++n}@example.test` });
  const vendor = await createVendor(ctx, { clientId: client.id, name: 'Dell' });
  const network = await createNetwork(ctx, { clientId: client.id, name: 'LAN', cidr: '10.0.0.0/24' });
  return { client, location, contact, vendor, network };
}

/**
 * A user with the given role and an API key for each name; `limitedTo` makes that user see only the
 * given client. Returns the keys' secrets by name.
 */
export async function makeKeyedUsers<N extends string>(
  ctx: Ctx,
  users: Record<N, 'admin' | 'technician' | 'accountant'>,
  limitedTo: { name: NoInfer<N>; clientId: number } | null = null,
): Promise<Record<N, string>> {
  const keys = {} as Record<N, string>;
  for (const [name, role] of Object.entries(users) as Array<[N, string]>) {
    const email = `${name}-${++n}@keys.test`;
    const user = await createUser(ctx, { email, name, password: 'fern-quilt-38', role });
    if (limitedTo?.name === name) {
      await ctx.db.insertInto('user_client_access').values({ user_id: user.id, client_id: limitedTo.clientId, mode: 'allow' }).execute();
    }
    keys[name] = (await createApiKey(ctx, { userEmail: email, name: `${name} key` })).secret;
  }
  return keys;
}

/** A context acting for a new user of this role (limited to one client when given), as a page or API call would. */
export async function actingAs(ctx: Ctx, email: string, role: string, onlyClient?: number): Promise<Ctx> {
  const user = await createUser(ctx, { email, name: email, password: 'correct horse', role });
  if (onlyClient) await ctx.db.insertInto('user_client_access').values({ user_id: user.id, client_id: onlyClient, mode: 'allow' }).execute();
  return { ...ctx, principal: await loadPrincipal(ctx, user.id) };
}
