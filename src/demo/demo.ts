// `steward demo`: a small, realistic MSP — four clients with their sites, people, vendors, networks,
// logins, services, tickets and about 200 assets — written through the same rules as real use, so
// every asset has a genuine history.
import { createAsset, archiveAsset, updateAsset } from '../assets/asset.service.ts';
import { addAssetNote } from '../assets/asset-note.service.ts';
import { addInterface, connectInterfaces } from '../assets/interface.service.ts';
import { linkService } from '../assets/asset-links.service.ts';
import { countUsers, createUser } from '../accounts/user.service.ts';
import { countClients, createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import { createLogin } from '../logins/login.service.ts';
import { createNetwork } from '../networks/network.service.ts';
import { createService } from '../services/service.service.ts';
import { createTag } from '../tags/tag.service.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { createVendor } from '../vendors/vendor.service.ts';
import { inTransaction, withCorrelation, type Ctx } from '../platform/context.ts';
import { ConflictError } from '../platform/errors.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { DEMO_CLIENTS, FIRST_NAMES, LAST_NAMES, type DemoClient } from './demo-data.ts';

export const DEMO_ADMIN = { email: 'admin@demo.steward.test', password: 'tidy-lantern-orchard-42' };

/** A small deterministic random source, so every demo database looks the same. */
function random(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

export async function fillDemo(ctx: Ctx, box: SecretBox): Promise<string> {
  if ((await countClients(ctx)) > 0) {
    throw new ConflictError('the database already has clients; the demo data set only goes into an empty database');
  }
  const rnd = random(42);
  let assetCount = 0;
  await inTransaction(ctx, async (ctx) => {
    for (const [name, color] of [
      ['Critical', '#d32f2f'],
      ['Backup', '#1976d2'],
      ['Leased', '#7b1fa2'],
      ['Remote', '#388e3c'],
    ] as const) {
      await createTag(ctx, { name, color });
    }
    let year = 2021;
    for (const client of DEMO_CLIENTS) {
      assetCount += await fillClient(ctx, box, client, rnd, year++);
    }
  });
  let login = '';
  if ((await countUsers(ctx)) === 0) {
    await createUser(ctx, { email: DEMO_ADMIN.email, name: 'Demo Admin', password: DEMO_ADMIN.password, role: 'admin' });
    login = `\nsign in as ${DEMO_ADMIN.email} with the password ${DEMO_ADMIN.password}`;
  }
  return `demo data: ${DEMO_CLIENTS.length} clients, ${assetCount} assets${login}`;
}

async function fillClient(ctx: Ctx, box: SecretBox, spec: DemoClient, rnd: ReturnType<typeof random>, year: number): Promise<number> {
  const client = await createClient(ctx, { name: spec.name, type: spec.type, website: spec.website });
  const clientId = client.id;
  const locations = [];
  for (const [i, site] of spec.sites.entries()) {
    locations.push(await createLocation(ctx, { clientId, name: site.name, address: site.address, city: site.city, phone: site.phone, primary: i === 0 }));
  }
  const contacts = [];
  for (let i = 0; i < spec.people; i++) {
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    contacts.push(
      await createContact(ctx, {
        clientId,
        name: `${first} ${last}`,
        title: rnd.pick(['Office Manager', 'Accountant', 'Partner', 'Receptionist', 'Engineer', 'Director', 'Sales Lead']),
        email: `${first}.${last}.${i}@${spec.website}`.toLowerCase(),
        phone: `555-01${String(10 + i).padStart(2, '0')}`,
        locationId: rnd.pick(locations).id,
      }),
    );
  }
  const vendors = [];
  for (const v of ['Dell Technologies', 'CDW', 'Ingram Micro'])
    vendors.push(await createVendor(ctx, { clientId, name: v, phone: '800-555-0100', accountNumber: `AC-${clientId}${vendors.length}77` }));
  const lan = await createNetwork(ctx, {
    clientId,
    name: 'Office LAN',
    vlan: 10,
    cidr: `10.${clientId}.10.0/24`,
    gateway: `10.${clientId}.10.1`,
    dhcpRange: `10.${clientId}.10.100-10.${clientId}.10.199`,
    locationId: locations[0]!.id,
  });
  const mgmt = await createNetwork(ctx, {
    clientId,
    name: 'Management',
    vlan: 99,
    cidr: `10.${clientId}.99.0/24`,
    gateway: `10.${clientId}.99.1`,
    locationId: locations[0]!.id,
  });
  const email = await createService(ctx, { clientId, name: 'Email (Microsoft 365)', category: 'Cloud', importance: 'High' });
  const files = await createService(ctx, { clientId, name: 'File shares', category: 'On-premises', importance: 'Medium', backup: 'Nightly to NAS' });

  const plan: Array<{ type: string; make: string; model: string; os: string | null; prefix: string; count: number }> = [
    { type: 'Laptop', make: 'Lenovo', model: 'ThinkPad T14 Gen 4', os: 'Windows 11 Pro', prefix: 'LT', count: spec.laptops },
    { type: 'Desktop', make: 'Dell', model: 'OptiPlex 7010', os: 'Windows 11 Pro', prefix: 'WS', count: spec.desktops },
    { type: 'Server', make: 'Dell', model: 'PowerEdge R650', os: 'Windows Server 2022', prefix: 'SRV', count: 2 },
    { type: 'Virtual Machine', make: 'Microsoft', model: 'Hyper-V', os: 'Windows Server 2022', prefix: 'VM', count: 3 },
    { type: 'Firewall/Router', make: 'Fortinet', model: 'FortiGate 60F', os: 'FortiOS 7.4', prefix: 'FW', count: 1 },
    { type: 'Switch', make: 'Cisco', model: 'Catalyst 9200L-24P', os: 'IOS-XE 17.9', prefix: 'SW', count: 2 },
    { type: 'Access Point', make: 'Ubiquiti', model: 'U6 Pro', os: null, prefix: 'AP', count: 3 },
    { type: 'Printer', make: 'Brother', model: 'MFC-L8900CDW', os: null, prefix: 'PRN', count: 2 },
  ];
  const created: Array<{ id: number; type: string; primaryInterfaceId: number | null }> = [];
  let host = 20;
  for (const kind of plan) {
    for (let n = 1; n <= kind.count; n++) {
      const purchase = `${year - rnd.int(0, 4)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
      const warrantyYear = Number(purchase.slice(0, 4)) + 3;
      const isInfra = ['Server', 'Firewall/Router', 'Switch', 'Access Point', 'Virtual Machine'].includes(kind.type);
      const asset = await createAsset(ctx, {
        clientId,
        name: `${spec.code}-${kind.prefix}${String(n).padStart(2, '0')}`,
        type: kind.type,
        make: kind.make,
        model: kind.model,
        serial:
          kind.type === 'Virtual Machine'
            ? null
            : `${kind.make.slice(0, 2).toUpperCase()}${rnd.int(100000, 999999)}${String.fromCharCode(65 + rnd.int(0, 25))}`,
        os: kind.os,
        status: rnd.next() < 0.85 ? 'Deployed' : rnd.pick(['Ready to Deploy', 'Out for Repair']),
        purchaseDate: kind.type === 'Virtual Machine' ? null : purchase,
        installDate: purchase,
        warrantyExpire: kind.type === 'Virtual Machine' ? null : `${warrantyYear}${purchase.slice(4)}`,
        locationId: rnd.pick(locations).id,
        contactId: isInfra ? null : rnd.pick(contacts).id,
        vendorId: rnd.pick(vendors).id,
        physicalLocation: isInfra ? 'Server room, rack A' : null,
        uri: isInfra ? `https://10.${clientId}.${kind.type === 'Virtual Machine' ? 10 : 99}.${host}` : null,
        favorite: kind.type === 'Server' || kind.type === 'Firewall/Router',
        tags: kind.type === 'Server' ? ['Critical', 'Backup'] : kind.type === 'Laptop' && rnd.next() < 0.3 ? ['Remote'] : [],
        primaryInterface: {
          name: kind.type === 'Switch' ? 'Gi1/0/1' : 'eth0',
          type: kind.type === 'Access Point' || kind.type === 'Laptop' ? 'WiFi' : 'Ethernet',
          ip: isInfra ? `10.${clientId}.${kind.type === 'Virtual Machine' ? 10 : 99}.${host++}` : 'DHCP',
          mac: kind.type === 'Virtual Machine' ? `00:15:5D:${hex(rnd)}:${hex(rnd)}:${hex(rnd)}` : `3C:52:82:${hex(rnd)}:${hex(rnd)}:${hex(rnd)}`,
          networkId: isInfra ? mgmt.id : lan.id,
        },
      });
      created.push({ id: asset.id, type: kind.type, primaryInterfaceId: asset.primaryInterface?.id ?? null });
      if (kind.type === 'Server') {
        await linkService(ctx, asset.id, files.id);
        await addAssetNote(ctx, asset.id, { type: 'Maintenance', body: 'Applied monthly Windows updates; rebooted in the maintenance window.' });
        await createLogin(ctx, box, {
          clientId,
          name: `${asset.name} local admin`,
          username: 'Administrator',
          password: `Demo-${rnd.int(1000, 9999)}-pass`,
          assetId: asset.id,
          uri: asset.uri,
        });
      }
      if (kind.type === 'Firewall/Router') {
        await createLogin(ctx, box, {
          clientId,
          name: `${asset.name} admin`,
          username: 'admin',
          password: `Fw-${rnd.int(1000, 9999)}!`,
          otpSecret: 'JBSWY3DPEHPK3PXP',
          assetId: asset.id,
          uri: asset.uri,
        });
        await addAssetNote(ctx, asset.id, { type: 'Configuration', body: 'SSL inspection enabled for the office LAN; exceptions for banking sites.' });
      }
      if (kind.type === 'Laptop' && rnd.next() < 0.2) {
        await addAssetNote(ctx, asset.id, { type: 'Repair', body: 'Keyboard replaced under warranty.' });
      }
    }
  }
  // Cable the switch to the firewall and a server: interface connections.
  const switches = created.filter((a) => a.type === 'Switch');
  const firewall = created.find((a) => a.type === 'Firewall/Router');
  if (switches[0] && firewall?.primaryInterfaceId) {
    const uplink = await addInterface(ctx, switches[0].id, { name: 'Gi1/0/24', type: 'Ethernet', notes: 'Uplink to firewall' });
    await connectInterfaces(ctx, uplink.id, firewall.primaryInterfaceId);
  }
  // Some life: a few updates, a retirement in one bulk action, and tickets on assets.
  const laptops = created.filter((a) => a.type === 'Laptop');
  for (const laptop of laptops.slice(0, 3)) {
    await updateAsset({ ...ctx, reason: 'Reimaged after user left' }, laptop.id, { contactId: rnd.pick(contacts).id, os: 'Windows 11 Pro 24H2' });
  }
  const bulk = withCorrelation({ ...ctx, reason: 'End of life' });
  for (const old of laptops.slice(-2)) {
    await updateAsset(bulk, old.id, { status: 'Retired' });
    await archiveAsset(bulk, old.id);
  }
  await createTicket(ctx, {
    clientId,
    subject: 'Printer jams on tray 2',
    priority: 'Medium',
    status: 'Open',
    assetIds: created
      .filter((a) => a.type === 'Printer')
      .slice(0, 1)
      .map((a) => a.id),
  });
  await createTicket(ctx, {
    clientId,
    subject: 'Laptop battery swelling',
    priority: 'High',
    status: 'Resolved',
    assetIds: laptops.slice(0, 1).map((a) => a.id),
  });
  await createTicket(ctx, { clientId, subject: 'Renew firewall licence', priority: 'Low', assetIds: firewall ? [firewall.id] : [] });
  await createLogin(ctx, box, {
    clientId,
    name: 'Microsoft 365 admin',
    username: `admin@${spec.website}`,
    password: `M365-${rnd.int(10000, 99999)}`,
    uri: 'https://admin.microsoft.com',
  });
  void email;
  return created.length;
}

function hex(rnd: ReturnType<typeof random>): string {
  return rnd.int(0, 255).toString(16).padStart(2, '0').toUpperCase();
}
