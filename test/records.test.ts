// Rules of the records around assets: each refuses bad input with an issue naming the field.
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/accounts/user.service.ts';
import { createClient } from '../src/clients/client.service.ts';
import { createContact } from '../src/contacts/contact.service.ts';
import { createLocation } from '../src/locations/location.service.ts';
import { createLogin } from '../src/logins/login.service.ts';
import { createNetwork } from '../src/networks/network.service.ts';
import { ValidationError } from '../src/platform/errors.ts';
import { SecretBox } from '../src/platform/secrets.ts';
import { createService } from '../src/services/service.service.ts';
import { createTag } from '../src/tags/tag.service.ts';
import { createTicket } from '../src/tickets/ticket.service.ts';
import { createVendor } from '../src/vendors/vendor.service.ts';
import { DIALECTS, useTestDb } from './support/databases.ts';

async function fields(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => i.field).sort();
}

describe.each(DIALECTS)('record rules on %s', (dialect) => {
  const t = useTestDb(dialect);
  let clientId: number;
  let otherClientId: number;
  beforeAll(async () => {
    clientId = (await createClient(t.ctx, { name: 'Acme' })).id;
    otherClientId = (await createClient(t.ctx, { name: 'Other' })).id;
  });

  it('clients need a name', async () => {
    expect(await fields(createClient(t.ctx, { name: '' }))).toEqual(['name']);
  });

  it('locations and vendors need a client and a name', async () => {
    expect(await fields(createLocation(t.ctx, { clientId: null, name: '' }))).toEqual(['clientId', 'name']);
    expect(await fields(createVendor(t.ctx, { clientId: 424242, name: 'x'.repeat(201) }))).toEqual(['clientId', 'name']);
  });

  it('contacts need a valid email, unique within the client, and a location of the same client', async () => {
    const theirs = await createLocation(t.ctx, { clientId: otherClientId, name: 'Their site' });
    await createContact(t.ctx, { clientId, name: 'Ana', email: 'ana@acme.test' });
    expect(await fields(createContact(t.ctx, { clientId, name: 'Ana 2', email: 'ANA@acme.test' }))).toEqual(['email']);
    expect(await fields(createContact(t.ctx, { clientId, name: 'Bo', email: 'bo-at-acme', locationId: theirs.id }))).toEqual(['email', 'locationId']);
    expect((await createContact(t.ctx, { clientId: otherClientId, name: 'Ana', email: 'ana@acme.test' })).name).toBe('Ana');
  });

  it('networks need a CIDR, gateway and DNS that are addresses, and a VLAN from 1 to 4094', async () => {
    expect(await fields(createNetwork(t.ctx, { clientId, name: 'LAN', cidr: '10.0.0.0/33', gateway: '10.0.0', vlan: 5000, primaryDns: 'dns' }))).toEqual([
      'cidr',
      'gateway',
      'primaryDns',
      'vlan',
    ]);
    expect((await createNetwork(t.ctx, { clientId, name: 'LAN6', cidr: '2001:db8::/64', vlan: '20' })).name).toBe('LAN6');
  });

  it('services, tickets and tags check their choices', async () => {
    expect(await fields(createService(t.ctx, { clientId, name: 'Mail', importance: 'Vital', reviewDue: '2026-13-01' }))).toEqual(['importance', 'reviewDue']);
    expect(await fields(createTicket(t.ctx, { clientId, subject: '', priority: 'ASAP', status: 'Pending' }))).toEqual(['priority', 'status', 'subject']);
    const first = await createTicket(t.ctx, { clientId, subject: 'One' });
    const second = await createTicket(t.ctx, { clientId, subject: 'Two', priority: 'urgent' });
    expect(second.number).toBe(first.number + 1);
    expect(await fields(createTag(t.ctx, { name: 'Red', color: 'red' }))).toEqual(['color']);
    await createTag(t.ctx, { name: 'Red', color: '#ff0000' });
    expect(await fields(createTag(t.ctx, { name: 'RED' }))).toEqual(['name']);
  });

  it('logins need a base32 TOTP secret and an asset of the same client', async () => {
    const box = new SecretBox(Buffer.alloc(32, 1));
    expect(await fields(createLogin(t.ctx, box, { clientId, name: 'VPN', otpSecret: 'not base32!', assetId: 'x' }))).toEqual(['assetId', 'otpSecret']);
  });

  it('users need an email, a long enough password and a known role', async () => {
    expect(await fields(createUser(t.ctx, { email: 'nope', name: '', password: 'short', role: 'wizard' }))).toEqual(['email', 'name', 'password', 'role']);
    const user = await createUser(t.ctx, { email: 'Acct@Example.test', name: 'Acc', password: 'fern-quilt-38', role: 'accountant' });
    expect(user).toMatchObject({ email: 'acct@example.test', roleName: 'Accountant' });
    const stored = await t.store.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });
});
