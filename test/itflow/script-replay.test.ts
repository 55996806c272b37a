// ITFlow's published sync scripts (itflow-org/itflow-api-powershell: TRMM-create-update.ps1,
// "Hyper-V VM Sync.ps1", "UniFi AP Sync.ps1"), replayed request by request as Windows PowerShell sends
// them, against real `steward serve` processes (the default number) on each database. Each replay
// follows the script's own logic: look the asset up, read `success` and `data.asset_*`, then post
// create or update. Then several agents run the TRMM script at once, as RMM schedules do.
import { describe, expect, it } from 'vitest';
import { listAssetEvents } from '../../src/history/history.repository.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { DIALECTS } from '../support/databases.ts';
import { useFleet } from '../support/fleet.ts';
import { envelope, FORM, get, post, psJson, type Answer, type Envelope } from '../support/powershell.ts';
import { adminKey } from '../support/server.ts';

interface Machine {
  name: string;
  make: string;
  model: string;
  serial: string;
  os: string;
  mac: string;
  ip: string;
  install: string;
  type: string;
}

/** What the TRMM script gathers on a Dell desktop: WMI's make and caption after its clean-up ("Dell ", " Windows 11 Pro"). */
const desktop = (n: number, over: Partial<Machine> = {}): Machine => ({
  name: `TRMM-PC-${String(n).padStart(3, '0')}`,
  make: 'Dell ',
  model: 'OptiPlex 7010',
  serial: `SN${String(n).padStart(6, '0')}`,
  os: ' Windows 11 Pro',
  mac: `00:15:5D:00:${(n >> 8).toString(16).padStart(2, '0').toUpperCase()}:${(n & 255).toString(16).padStart(2, '0').toUpperCase()}`,
  ip: `10.0.${n >> 8}.${n & 255}`,
  install: '2023/05/14',
  type: 'Desktop',
  ...over,
});

describe.each(DIALECTS)("ITFlow's sync scripts replayed on %s", (dialect) => {
  let key = '';
  const fleet = useFleet(dialect, {}, async (env) => {
    key = await adminKey(env);
  });
  /** The n-th request goes to the n-th server, so on PostgreSQL two servers share every cycle. */
  const port = (n = 0) => fleet.servers[n % fleet.servers.length]!.port;
  const answers: Answer[] = [];
  const call = async (n: number, send: (port: number) => Promise<Answer>): Promise<Envelope> => {
    const answer = await send(port(n));
    answers.push(answer);
    return envelope(answer);
  };
  const ctx = (): Ctx => ({ db: fleet.store.db, dialect, actor: { type: 'system', name: 'test' }, principal: null, source: 'system' });

  const made = async (resource: string, fields: Record<string, string>): Promise<string> => {
    const answer = await call(0, (p) => post(p, `/api/v1/${resource}/create.php`, psJson({ api_key: key, ...fields }), FORM));
    expect(answer.success, JSON.stringify(answer)).toBe('True');
    return String(answer.data![0]!.insert_id);
  };

  /** TRMM-create-update.ps1, step by step; returns what the script decides on. */
  async function trmm(machine: Machine, site: { client: string; location: string; network: string }, n = 0) {
    const exists = await call(n, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&asset_mac=${machine.mac}`));
    const found = exists.data?.[0];
    let location = site.location;
    let network = site.network;
    let module: string;
    if (exists.success === 'False') module = '/api/v1/assets/create.php';
    else {
      expect(exists.success).toBe('True');
      module = '/api/v1/assets/update.php';
      if (site.location === '0') location = String(found!.asset_location_id);
      // Current ITFlow rows carry no asset_network_id (the network is on the interface): PowerShell reads $null, sent as "".
      if (site.network === '0') network = String(found!.asset_network_id ?? '');
    }
    const body = psJson({
      api_key: key,
      asset_name: machine.name,
      asset_type: machine.type,
      asset_make: machine.make,
      asset_model: machine.model,
      asset_serial: machine.serial,
      asset_os: machine.os,
      asset_ip: machine.ip,
      asset_mac: machine.mac,
      asset_install_date: machine.install,
      asset_status: 'Deployed',
      client_id: site.client,
      asset_location_id: location,
      asset_network_id: network,
      asset_id: found ? String(found.asset_id) : '',
    });
    const write = await call(n + 1, (p) => post(p, module, body, FORM));
    return {
      exists: exists.success,
      write,
      assetId: found ? String(found.asset_id) : write.data?.[0]?.insert_id === undefined ? '' : String(write.data[0].insert_id),
    };
  }

  const byMac = async (mac: string) => (await call(0, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&asset_mac=${mac}`))).data![0]!;

  it('TRMM: create, look up by MAC, update, and a run with nothing new, as the script sees them', async () => {
    const client = await made('clients', { client_name: 'TRMM Client' });
    const location = await made('locations', { client_id: client, location_name: 'Main Site' });
    const network = await made('networks', { client_id: client, network_name: 'LAN', network: '10.0.0.0/16', network_gateway: '10.0.0.1' });
    const site = { client, location, network };
    const pc = desktop(1);

    const first = await trmm(pc, site);
    expect([first.exists, first.write.success]).toEqual(['False', 'True']);
    const row = await byMac(pc.mac);
    expect(row).toMatchObject({
      asset_id: first.assetId,
      asset_name: 'TRMM-PC-001',
      asset_type: 'Desktop',
      asset_make: 'Dell',
      asset_model: 'OptiPlex 7010',
      asset_os: 'Windows 11 Pro',
      asset_serial: 'SN000001',
      asset_install_date: '2023-05-14',
      asset_status: 'Deployed',
      asset_location_id: location,
      asset_client_id: client,
      interface_mac: '00:15:5D:00:00:01',
      interface_ip: '10.0.0.1',
      interface_network_id: network,
    });

    // The next scheduled run finds it by MAC (Windows' dash form this time) and posts the same facts.
    const again = await trmm({ ...pc, mac: '00-15-5D-00-00-01' }, site, 1);
    expect(again.exists).toBe('True');
    expect(again.write).toEqual({ success: 'True', count: 1 });
    expect((await listAssetEvents(ctx(), Number(first.assetId))).events.map((e) => e.action)).toEqual(['created']);

    // An upgrade: only the OS changed, and the site's location left to the stored one ("0").
    const upgraded = await trmm({ ...pc, os: ' Windows 11 Enterprise' }, { ...site, location: '0' }, 2);
    expect([upgraded.exists, upgraded.write.success]).toEqual(['True', 'True']);
    expect(await byMac(pc.mac)).toMatchObject({ asset_os: 'Windows 11 Enterprise', asset_location_id: location, interface_network_id: network });
    const events = (await listAssetEvents(ctx(), Number(first.assetId))).events;
    expect(events.map((e) => e.action)).toEqual(['updated', 'created']);
    expect(events[0]!.changes).toEqual([{ field: 'os', old: 'Windows 11 Pro', new: 'Windows 11 Enterprise' }]);
  });

  it('Hyper-V VM Sync: VMs found by name, created with bare MACs and IPv6 first addresses, updated on the next run', async () => {
    const client = await made('clients', { client_name: 'Hyper-V Client' });
    const host = 'HV-HOST-01';
    const vms = [
      { VMName: 'HV-SQL01', MacAddress: '00155D01A2B3', IPAddresses: ['10.0.5.21', 'fe80::215:5dff:fe01:a2b3'] },
      { VMName: 'HV-DC01', MacAddress: '00155D01A2B4', IPAddresses: ['fe80::215:5dff:fe01:a2b4'] },
    ];
    const sync = async (list: typeof vms) => {
      const login = await call(0, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}`));
      expect(['True', 'False']).toContain(login.success);
      const outcomes: string[] = [];
      for (const [i, vm] of list.entries()) {
        const named = await call(i, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&asset_name=${vm.VMName}`));
        const id = named.success === 'True' ? String(named.data![0]!.asset_id) : '';
        const common = {
          api_key: key,
          asset_name: vm.VMName,
          asset_type: 'Virtual Machine',
          asset_model: host,
          asset_ip: vm.IPAddresses[0]!,
          asset_mac: vm.MacAddress,
        };
        const written = /^[\d.]+$/.test(id)
          ? await call(i + 1, (p) =>
              post(p, '/api/v1/assets/update.php', psJson({ ...common, asset_id: id, client_id: String(named.data![0]!.asset_client_id) }, '        ')),
            )
          : await call(i + 1, (p) =>
              post(p, '/api/v1/assets/create.php', psJson({ ...common, asset_notes: 'Added via script', client_id: client }, '        ')),
            );
        outcomes.push(`${id ? 'update' : 'create'}:${written.success}`);
      }
      return outcomes;
    };
    expect(await sync(vms)).toEqual(['create:True', 'create:True']);
    expect(await byMac('00:15:5d:01:a2:b4')).toMatchObject({
      asset_name: 'HV-DC01',
      asset_type: 'Virtual Machine',
      asset_model: host,
      asset_notes: 'Added via script',
      interface_ip: 'fe80::215:5dff:fe01:a2b4',
    });
    const moved = [{ ...vms[0]!, IPAddresses: ['10.0.5.99'] }, vms[1]!];
    expect(await sync(moved)).toEqual(['update:True', 'update:True']);
    expect(await byMac('00155D01A2B3')).toMatchObject({ asset_name: 'HV-SQL01', interface_ip: '10.0.5.99', asset_client_id: client });
  });

  it('UniFi AP Sync: APs found by serial (else name), created with lower-case MACs, firmware updated on the next run', async () => {
    const client = await made('clients', { client_name: 'UniFi Client' });
    const aps = [
      { name: 'AP-Lobby', serial: 'F09FC2A1B2C3', model: 'U6-Lite', version: '6.5.28.14491', ip: '10.0.6.10', mac: '74:ac:b9:11:22:33' },
      { name: 'AP-Office', serial: 'F09FC2A1B2C4', model: 'U6-Pro', version: '6.5.28.14491', ip: '10.0.6.11', mac: '74:ac:b9:11:22:34' },
    ];
    const sync = async (list: typeof aps) => {
      const outcomes: string[] = [];
      for (const [i, ap] of list.entries()) {
        const bySerial = await call(i, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&asset_serial=${ap.serial}`));
        const byName = await call(i + 1, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&asset_name=${ap.name}`));
        const hit = bySerial.success === 'True' ? bySerial.data![0]! : byName.success === 'True' ? byName.data![0]! : null;
        const fields = {
          asset_name: ap.name,
          asset_type: 'Access Point',
          asset_make: 'UniFi',
          asset_model: ap.model,
          asset_serial: ap.serial,
          asset_os: ap.version,
          asset_ip: ap.ip,
          asset_mac: ap.mac,
        };
        const written = hit
          ? await call(i, (p) =>
              post(
                p,
                '/api/v1/assets/update.php',
                psJson({ api_key: key, asset_id: String(hit.asset_id), ...fields, client_id: String(hit.asset_client_id) }, '        '),
              ),
            )
          : await call(i, (p) =>
              post(p, '/api/v1/assets/create.php', psJson({ api_key: key, ...fields, asset_notes: 'Added via script', client_id: client }, '        ')),
            );
        outcomes.push(`${hit ? 'update' : 'create'}:${written.success}`);
      }
      return outcomes;
    };
    expect(await sync(aps)).toEqual(['create:True', 'create:True']);
    expect(await byMac('74AC.B911.2233')).toMatchObject({
      asset_name: 'AP-Lobby',
      asset_type: 'Access Point',
      asset_make: 'UniFi',
      asset_os: '6.5.28.14491',
      interface_mac: '74:AC:B9:11:22:33',
    });
    expect(await sync(aps.map((ap) => ({ ...ap, version: '6.6.55.15189' })))).toEqual(['update:True', 'update:True']);
    const lobby = await byMac('74:ac:b9:11:22:33');
    expect(lobby).toMatchObject({ asset_os: '6.6.55.15189', asset_client_id: client });
    expect((await listAssetEvents(ctx(), Number(lobby.asset_id))).events.map((e) => e.action)).toEqual(['updated', 'created']);
  });

  it('the example scripts of clients, locations, contacts, networks and assets, body for body', async () => {
    const ok = (e: Envelope) => expect(e.success, JSON.stringify(e)).toBe('True');
    const send = (resource: string, op: string, fields: Record<string, string>) =>
      call(0, (p) => post(p, `/api/v1/${resource}/${op}.php`, psJson({ api_key: key, ...fields })));
    const read = (resource: string, query = '') => call(1, (p) => get(p, `/api/v1/${resource}/read.php?api_key=${key}${query}`));

    // clients/create.ps1 and update.ps1 (Steward keeps no billing terms; they are accepted and left out).
    const created = await send('clients', 'create', {
      client_name: 'Contoso',
      client_type: 'Consultancy',
      client_website: 'contoso.org',
      client_referral: 'sally@itflow.org',
      client_rate: '250',
      client_currency_code: 'USD',
      client_net_terms: '30',
      client_abbreviation: 'CTS',
      client_tax_id_number: '987654321Z',
      client_is_lead: '0',
      client_notes: 'New client',
    });
    ok(created);
    const client = String(created.data![0]!.insert_id);
    ok(
      await send('clients', 'update', {
        client_id: client,
        client_name: 'Contoso',
        client_type: 'Consultancy',
        client_website: 'contoso.org',
        client_referral: 'someone',
        client_rate: '300',
        client_currency_code: 'USD',
        client_net_terms: '45',
        client_abbreviation: 'CTSO',
        client_tax_id_number: '987654321Z',
        client_is_lead: '0',
        client_notes: 'Updated client',
      }),
    );
    expect((await read('clients', '&client_name=Contoso')).data![0]).toMatchObject({
      client_id: client,
      client_name: 'Contoso',
      client_type: 'Consultancy',
      client_website: 'contoso.org',
      client_notes: 'Updated client',
    });
    expect(await read('clients', '&client_name=ExampleOrg')).toEqual({
      success: 'False',
      message: 'No resource (for this client and company) with the specified parameter(s).',
    });

    // locations/create.ps1
    const location = await send('locations', 'create', {
      location_name: 'Head Office',
      location_description: 'HQ',
      location_country: 'United Kingdom',
      location_address: '10 Downing Street',
      location_city: 'London',
      location_state: 'London',
      location_zip: 'SW1A 2AA',
      location_hours: '9-5',
      location_notes: 'Fairly important location',
      location_primary: '1',
      client_id: client,
    });
    ok(location);
    expect((await read('locations', `&location_id=${String(location.data![0]!.insert_id)}`)).data![0]).toMatchObject({
      location_name: 'Head Office',
      location_zip: 'SW1A 2AA',
      location_primary: '1',
      location_client_id: client,
    });

    // contacts/create.ps1, update.ps1, read.ps1 and delete.ps1
    const sally = {
      contact_title: 'Head of Accounting',
      contact_department: 'Accounts',
      contact_email: 'sally@itflow.org',
      contact_extension: '',
      contact_mobile: '',
      contact_auth_method: 'local',
      contact_important: '1',
      contact_billing: '1',
      contact_technical: '0',
      contact_location_id: '0',
      client_id: client,
    };
    const contact = await send('contacts', 'create', {
      ...sally,
      contact_name: 'Sally Suzie',
      contact_phone: '123456',
      contact_notes: 'We like Sally - she pays us!',
      contact_primary: '0',
    });
    ok(contact);
    const contactId = String(contact.data![0]!.insert_id);
    ok(
      await send('contacts', 'update', {
        ...sally,
        contact_id: contactId,
        contact_name: 'Suzanne Sallie',
        contact_phone: '1234567',
        contact_notes: 'We like Suzanne - she pays us (a lot)!',
      }),
    );
    expect((await read('contacts', `&contact_id=${contactId}`)).data![0]).toMatchObject({
      contact_name: 'Suzanne Sallie',
      contact_phone: '1234567',
      contact_email: 'sally@itflow.org',
      contact_location_id: '0',
    });
    ok(await read('contacts'));

    // networks/read.ps1, then assets/create.ps1, read.ps1, update.ps1 and delete.ps1
    const network = await made('networks', { client_id: client, network_name: 'Office LAN', network: '192.168.10.0/24', network_gateway: '192.168.10.1' });
    ok(await read('networks'));
    const laptop = {
      asset_name: 'My Laptop 2',
      asset_type: 'Laptop',
      asset_make: 'Dell',
      asset_model: 'Optiplex',
      asset_serial: 'XYZ',
      asset_os: 'Windows 10',
      asset_ip: '192.168.10.10',
      asset_mac: '',
      asset_status: 'Deployed',
      asset_notes: 'This is a cool laptop!',
      asset_vendor_id: '',
      asset_location_id: '',
      asset_contact_id: '',
      client_id: client,
    };
    const asset = await send('assets', 'create', {
      ...laptop,
      asset_purchase_date: '0000-00-00',
      asset_warranty_expire: '0000-00-00',
      asset_install_date: '0000-00-00',
      asset_network_id: network,
    });
    ok(asset);
    const assetId = String(asset.data![0]!.insert_id);
    ok(await read('assets'));
    expect((await read('assets', `&asset_id=${assetId}`)).data![0]).toMatchObject({
      asset_name: 'My Laptop 2',
      asset_type: 'Laptop',
      asset_purchase_date: null,
      asset_location_id: '0',
    });
    ok(
      await send('assets', 'update', {
        ...laptop,
        asset_id: assetId,
        asset_purchase_date: '',
        asset_warranty_expire: '2024-02-01',
        asset_install_date: '',
        asset_network_id: '0',
      }),
    );
    // The unfiltered list carries the primary interface, as ITFlow's does.
    expect((await read('assets', `&client_id=${client}`)).data![0]).toMatchObject({
      asset_id: assetId,
      asset_warranty_expire: '2024-02-01',
      interface_ip: '192.168.10.10',
      interface_network_id: null,
    });
    expect(await send('assets', 'delete', { asset_id: assetId, client_id: client })).toEqual({ success: 'True', count: 1 });
    expect(await send('contacts', 'delete', { contact_id: contactId, client_id: client })).toEqual({ success: 'True', count: 1 });
    ok(await send('clients', 'archive', { client_id: client }));
    expect((await read('clients', `&client_id=${client}`)).data![0]!.client_archived_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it("4 agents × 25 machines at once, then 2 agents × 25 updates of one asset: never a 5xx, every answer ITFlow's envelope", async () => {
    answers.length = 0;
    const client = await made('clients', { client_name: 'Busy MSP Client' });
    const site = { client, location: '0', network: '0' };
    const agents = [0, 1, 2, 3].map((agent) => Promise.all(Array.from({ length: 25 }, (_, i) => trmm(desktop(1000 + agent * 25 + i), site, agent + i))));
    const runs = (await Promise.all(agents)).flat();
    expect(
      runs.map((r) => `${r.exists}/${r.write.success}`).filter((r) => r !== 'False/True'),
      JSON.stringify(runs.find((r) => r.write.success !== 'True')?.write),
    ).toEqual([]);
    const listed = await call(0, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&client_id=${client}&limit=500`));
    expect(listed.count).toBe(100);
    expect(new Set(listed.data!.map((r) => r.interface_mac)).size).toBe(100);

    const target = runs[0]!.assetId;
    const updates = [0, 1].flatMap((agent) =>
      Array.from({ length: 25 }, (_, i) =>
        call(agent + i, (p) =>
          post(p, '/api/v1/assets/update.php', psJson({ api_key: key, asset_id: target, client_id: client, asset_notes: `agent ${agent} run ${i}` }), FORM),
        ),
      ),
    );
    const written = await Promise.all(updates);
    expect(
      written.filter((w) => w.success !== 'True'),
      JSON.stringify(written.find((w) => w.success !== 'True')),
    ).toEqual([]);
    const events = (await listAssetEvents(ctx(), Number(target), { limit: 100 })).events;
    expect(events.filter((e) => e.action === 'updated')).toHaveLength(50);
    const notes = (await call(0, (p) => get(p, `/api/v1/assets/read.php?api_key=${key}&asset_id=${target}`))).data![0]!.asset_notes;
    expect(events[0]!.changes).toEqual([expect.objectContaining({ field: 'notes', new: notes })]);

    expect(answers.filter((a) => a.status >= 500).map((a) => `${a.status} ${a.body}`)).toEqual([]);
    expect(answers.every((a) => a.status === 200 && ['True', 'False'].includes(envelope(a).success))).toBe(true);
  });
});
