// The services of the records around assets check the user a call acts for themselves (ctx.principal),
// like the asset service: another client's record is "not found", too low a level "forbidden", and
// the system (no principal) may do anything. So a new entry point cannot write past a user's rights.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { actingAs } from '../../test/support/factories.ts';
import { archiveClient, createClient, updateClient } from '../clients/client.service.ts';
import { createLocation, deleteLocation, updateLocation } from '../locations/location.service.ts';
import { createLogin, updateLogin } from '../logins/login.service.ts';
import { archiveNetwork, createNetwork } from '../networks/network.service.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { loadClientFor, loadRecordFor } from './record-access.ts';
import { loadLoginFor } from '../logins/login.query.ts';
import { SecretBox } from '../platform/secrets.ts';
import { createTicket, resolveTicket, updateTicket } from '../tickets/ticket.service.ts';

describe.each(DIALECTS)('the record services, acting for a user, on %s', (dialect) => {
  const t = useTestDb(dialect);
  const box = new SecretBox(randomBytes(32));
  let mine: number;
  let theirs: number;
  const their: Record<'location' | 'network' | 'ticket' | 'login', number> = { location: 0, network: 0, ticket: 0, login: 0 };

  beforeAll(async () => {
    mine = (await createClient(t.ctx, { name: 'Records Mine' })).id;
    theirs = (await createClient(t.ctx, { name: 'Records Theirs' })).id;
    their.location = (await createLocation(t.ctx, { clientId: theirs, name: 'Their HQ' })).id;
    their.network = (await createNetwork(t.ctx, { clientId: theirs, name: 'Their LAN', cidr: '10.9.0.0/24' })).id;
    their.ticket = (await createTicket(t.ctx, { clientId: theirs, subject: 'Their printer' })).id;
    their.login = (await createLogin(t.ctx, box, { clientId: theirs, name: 'Their router', username: 'admin', password: 'S3cret!' })).id;
  });

  it("treats another client's records as missing for a technician limited to one client, and writes nothing", async () => {
    const tech = await actingAs(t.ctx, 'limited@records.test', 'technician', mine);
    await expect(createLocation(tech, { clientId: theirs, name: 'Sneaky' })).rejects.toThrow(`client ${theirs} does not exist`);
    await expect(updateLocation(tech, their.location, { name: 'Renamed' })).rejects.toThrow(NotFoundError);
    await expect(archiveNetwork(tech, their.network)).rejects.toThrow(NotFoundError);
    await expect(updateTicket(tech, their.ticket, { subject: 'Changed' })).rejects.toThrow(NotFoundError);
    await expect(resolveTicket(tech, their.ticket)).rejects.toThrow(NotFoundError);
    await expect(updateLogin(tech, box, their.login, { name: 'Changed' })).rejects.toThrow(NotFoundError);
    await expect(updateClient(tech, theirs, { name: 'Taken over' })).rejects.toThrow(NotFoundError);

    const nameOf = async (table: 'locations' | 'logins' | 'clients', id: number) =>
      (await t.store.db.selectFrom(table).select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
    expect(await nameOf('locations', their.location)).toBe('Their HQ');
    expect(await nameOf('logins', their.login)).toBe('Their router');
    expect(await nameOf('clients', theirs)).toBe('Records Theirs');
    const ticket = await t.store.db.selectFrom('tickets').select(['subject', 'status']).where('id', '=', their.ticket).executeTakeFirstOrThrow();
    expect(ticket).toEqual({ subject: 'Their printer', status: 'New' });

    const own = await createLocation(tech, { clientId: mine, name: 'My HQ' });
    expect((await updateLocation(tech, own.id, { name: 'My Head Office' })).name).toBe('My Head Office');
    // Technicians write records but do not delete them (ITFlow's levels).
    await expect(deleteLocation(tech, own.id)).rejects.toThrow(ForbiddenError);
  });

  it('refuses writes to a user who may only read, and lets the system do them', async () => {
    const reader = await actingAs(t.ctx, 'reader@records.test', 'accountant');
    await expect(createLocation(reader, { clientId: mine, name: 'Nope' })).rejects.toThrow(/needs write access/);
    await expect(createTicket(reader, { clientId: mine, subject: 'Nope' })).rejects.toThrow(ForbiddenError);
    await expect(createLogin(reader, box, { clientId: mine, name: 'Nope' })).rejects.toThrow(ForbiddenError);
    await expect(createClient(reader, { name: 'Nope' })).rejects.toThrow(ForbiddenError);
    await expect(archiveClient(reader, mine)).rejects.toThrow(ForbiddenError);

    const spare = await createLocation(t.ctx, { clientId: theirs, name: 'Spare' });
    await deleteLocation(t.ctx, spare.id);
    expect(await t.store.db.selectFrom('locations').select('id').where('id', '=', spare.id).executeTakeFirst()).toBeUndefined();
  });

  it('reads through the loaders: another client\'s record is "not found" like a missing one, a failing database stays a failure', async () => {
    const tech = await actingAs(t.ctx, 'reads@records.test', 'technician', mine);
    await expect(loadRecordFor(tech, 'locations', 'support', 1, 'location', their.location)).rejects.toThrow(`location ${their.location} does not exist`);
    await expect(loadRecordFor(tech, 'locations', 'support', 1, 'location', 999_999)).rejects.toThrow('location 999999 does not exist');
    await expect(loadClientFor(tech, 'support', 1, theirs)).rejects.toThrow(`client ${theirs} does not exist`);
    await expect(loadLoginFor(tech, their.login, 1)).rejects.toThrow(NotFoundError);
    const own = await createLocation(tech, { clientId: mine, name: 'Readable' });
    expect((await loadRecordFor(tech, 'locations', 'support', 1, 'location', own.id)).name).toBe('Readable');
    expect((await loadClientFor(tech, 'support', 1, mine)).id).toBe(mine);
    // The system (no principal) reads any client's records.
    expect((await loadRecordFor(t.ctx, 'networks', 'support', 1, 'network', their.network)).name).toBe('Their LAN');

    const reader = await actingAs(t.ctx, 'reads-logins@records.test', 'accountant');
    await expect(loadLoginFor(reader, their.login, 1)).rejects.toThrow(ForbiddenError);

    const broken = { ...tech, db: brokenDb(t.ctx.db) };
    await expect(loadRecordFor(broken, 'locations', 'support', 1, 'location', own.id)).rejects.toThrow('database is down');
  });
});

/** A database handle whose every query fails, as a lost connection does. */
function brokenDb<T extends object>(db: T): T {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'selectFrom')
        return () => ({ selectAll: () => ({ where: () => ({ executeTakeFirst: () => Promise.reject(new Error('database is down')) }) }) });
      return Reflect.get(target, key, receiver);
    },
  });
}
