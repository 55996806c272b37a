// The top bar's search on each database: every kind of record found by what a technician types, only
// within the clients the user may see and the modules they may read, accents and case ignored.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { actingAs } from '../../test/support/factories.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import { createLogin } from '../logins/login.service.ts';
import { createNetwork } from '../networks/network.service.ts';
import type { Ctx } from '../platform/context.ts';
import { SecretBox } from '../platform/secrets.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { searchEverything, type SearchKind } from './search.query.ts';

const box = new SecretBox(Buffer.alloc(32, 7));

describe.each(DIALECTS)('the search across records on %s', (dialect) => {
  const t = useTestDb(dialect);
  let admin: Ctx;
  let limited: Ctx;
  let accountant: Ctx;
  let ticketNumber: number;
  let otherTicketNumber: number;

  /** What a search finds, as "kind: name (client)" lines by kind. */
  const found = async (ctx: Ctx, q: string, kind?: SearchKind) => {
    const results = await searchEverything(ctx, ctx.principal!, q);
    return results.groups.filter((g) => !kind || g.kind === kind).flatMap((g) => g.hits.map((h) => `${g.kind}: ${h.name} (${h.clientName})`));
  };

  beforeAll(async () => {
    const ours = await createClient(t.ctx, { name: 'Crème Brûlée Bakery' });
    const theirs = await createClient(t.ctx, { name: 'Crème Hidden Ltd' });
    admin = await actingAs(t.ctx, `admin-${dialect}@search.test`, 'admin');
    limited = await actingAs(t.ctx, `tech-${dialect}@search.test`, 'technician', ours.id);
    accountant = await actingAs(t.ctx, `acc-${dialect}@search.test`, 'accountant', ours.id);
    for (const [client, who] of [
      [ours.id, 'Ours'],
      [theirs.id, 'Theirs'],
    ] as const) {
      await createContact(t.ctx, { clientId: client, name: `Jürgen Müller ${who}`, email: `jm-${who.toLowerCase()}@${dialect}.test` });
      await createLocation(t.ctx, { clientId: client, name: `Café ${who}`, city: 'Zürich' });
      await createNetwork(t.ctx, { clientId: client, name: `Office LAN ${who}`, cidr: client === ours.id ? '10.20.0.0/16' : '10.20.30.0/24' });
      await createLogin(t.ctx, box, { clientId: client, name: `Façade router ${who}`, username: 'admin', password: 'secret' });
      await createAsset(t.ctx, {
        clientId: client,
        name: `FRONT-${who.toUpperCase()}`,
        primaryInterface: { mac: client === ours.id ? '00:15:5D:AA:BB:01' : '00:15:5D:AA:BB:02' },
      });
    }
    ticketNumber = (await createTicket(t.ctx, { clientId: ours.id, subject: 'Printer jams' })).number;
    otherTicketNumber = (await createTicket(t.ctx, { clientId: theirs.id, subject: 'Theirs jams too' })).number;
  });

  it('finds clients, contacts, locations and logins by name, ignoring accents and case both ways', async () => {
    expect(await found(admin, 'creme', 'clients')).toEqual([
      'clients: Crème Brûlée Bakery (Crème Brûlée Bakery)',
      'clients: Crème Hidden Ltd (Crème Hidden Ltd)',
    ]);
    expect(await found(admin, 'BRULEE', 'clients')).toEqual(['clients: Crème Brûlée Bakery (Crème Brûlée Bakery)']);
    expect(await found(admin, 'muller', 'contacts')).toEqual([
      'contacts: Jürgen Müller Ours (Crème Brûlée Bakery)',
      'contacts: Jürgen Müller Theirs (Crème Hidden Ltd)',
    ]);
    expect(await found(admin, 'MÜLLER OURS', 'contacts')).toEqual(['contacts: Jürgen Müller Ours (Crème Brûlée Bakery)']);
    expect(await found(admin, 'cafe', 'locations')).toEqual(['locations: Café Ours (Crème Brûlée Bakery)', 'locations: Café Theirs (Crème Hidden Ltd)']);
    expect(await found(admin, 'zurich', 'locations')).toHaveLength(2);
    expect(await found(admin, 'FACADE ROUTER OURS', 'logins')).toEqual(['logins: Façade router Ours (Crème Brûlée Bakery)']);
  });

  it('finds a network by its CIDR and by an address inside it', async () => {
    expect(await found(admin, '10.20.0.0/16', 'networks')).toEqual(['networks: Office LAN Ours (Crème Brûlée Bakery)']);
    expect(await found(admin, '10.20.30.7', 'networks')).toEqual([
      'networks: Office LAN Ours (Crème Brûlée Bakery)',
      'networks: Office LAN Theirs (Crème Hidden Ltd)',
    ]);
    expect(await found(admin, '10.20.99.1/24', 'networks')).toEqual(['networks: Office LAN Ours (Crème Brûlée Bakery)']);
    expect(await found(admin, '10.21.0.1', 'networks')).toEqual([]);
  });

  it('finds a ticket by its number, with or without #', async () => {
    expect(await found(admin, String(ticketNumber), 'tickets')).toContain('tickets: Printer jams (Crème Brûlée Bakery)');
    expect(await found(admin, `#${otherTicketNumber}`, 'tickets')).toContain('tickets: Theirs jams too (Crème Hidden Ltd)');
  });

  it('finds an asset by a pasted MAC and goes straight to it when it is the only match', async () => {
    const results = await searchEverything(admin, admin.principal!, '00-15-5D-AA-BB-01');
    expect(results.total).toBe(1);
    expect(results.onlyAsset).toMatch(/^\/assets\/\d+$/);
    expect((await searchEverything(admin, admin.principal!, '00-15-5D-AA-BB')).onlyAsset).toBeNull();
    expect((await searchEverything(admin, admin.principal!, 'muller')).onlyAsset).toBeNull();
  });

  it("shows a user limited to one client only that client's records, of every kind", async () => {
    const all = await found(limited, 'ours');
    expect(all).toEqual(
      expect.arrayContaining([
        'assets: FRONT-OURS (Crème Brûlée Bakery)',
        'contacts: Jürgen Müller Ours (Crème Brûlée Bakery)',
        'locations: Café Ours (Crème Brûlée Bakery)',
        'networks: Office LAN Ours (Crème Brûlée Bakery)',
        'logins: Façade router Ours (Crème Brûlée Bakery)',
      ]),
    );
    for (const q of ['theirs', 'hidden', 'muller', 'cafe', '10.20.30.7', '00155daabb02', String(otherTicketNumber), 'creme']) {
      expect(
        (await found(limited, q)).filter((line) => /Theirs|Hidden/.test(line)),
        q,
      ).toEqual([]);
    }
    expect(await found(limited, '00155daabb02')).toEqual([]);
    expect(await found(limited, 'creme', 'clients')).toEqual(['clients: Crème Brûlée Bakery (Crème Brûlée Bakery)']);
    expect((await searchEverything(limited, limited.principal!, 'ours')).total).toBe(all.length);
  });

  it('leaves out the kinds the user may not read: logins without the credential module', async () => {
    const results = await searchEverything(accountant, accountant.principal!, 'ours');
    expect(results.groups.map((g) => g.kind)).toEqual(['assets', 'clients', 'contacts', 'locations', 'networks', 'tickets']);
    expect(await found(accountant, 'facade')).toEqual([]);
    expect(await found(accountant, 'muller', 'contacts')).toEqual(['contacts: Jürgen Müller Ours (Crème Brûlée Bakery)']);
  });

  it('counts every match of a kind and finds nothing for a blank term', async () => {
    const results = await searchEverything(admin, admin.principal!, 'jams');
    expect(results.groups.find((g) => g.kind === 'tickets')).toMatchObject({ heading: 'Tickets', total: 2 });
    expect(await searchEverything(admin, admin.principal!, '   ')).toEqual({ term: '', groups: [], total: 0, onlyAsset: null });
  });
});
