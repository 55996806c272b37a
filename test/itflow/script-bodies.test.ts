// ITFlow's own PowerShell scripts, as Windows PowerShell sends them: `Invoke-RestMethod -Body $json`
// without -ContentType labels a JSON document application/x-www-form-urlencoded (CRLF line breaks,
// 4-space indent, every value a string). ITFlow decodes the raw body as JSON whatever the label; so
// does Steward's v1, and a real form body still works (issue 14, point 1). Dates come as the RMM
// formats them (issue 14, point 2, dates).
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { useFleet } from '../support/fleet.ts';
import { envelope, FORM, post, psJson } from '../support/powershell.ts';
import { adminKey } from '../support/server.ts';

describe.each(DIALECTS)("ITFlow scripts' request bodies on %s", (dialect) => {
  let key = '';
  const fleet = useFleet(dialect, {}, async (env) => {
    key = await adminKey(env);
  });
  const port = () => fleet.servers[0]!.port;

  const create = async (label: string | undefined) => {
    const made = envelope(
      await post(port(), '/api/v1/clients/create.php', psJson({ api_key: key, client_name: `Client via ${label ?? 'no content type'}` }), label),
    );
    expect(made.success, JSON.stringify(made)).toBe('True');
    return Number(made.data![0]!.insert_id);
  };

  it('reads a JSON body labelled as a form, as plain text, or not labelled at all', async () => {
    for (const label of ['application/x-www-form-urlencoded', 'text/plain; charset=utf-8', undefined, 'application/json']) await create(label);
  });

  it("creates and updates an asset with assets/create.ps1's and update.ps1's bodies", async () => {
    const clientId = await create('application/x-www-form-urlencoded');
    const made = envelope(
      await post(
        port(),
        '/api/v1/assets/create.php',
        psJson({
          api_key: key,
          asset_id: '',
          client_id: String(clientId),
          asset_name: 'PS-DESKTOP-01',
          asset_type: 'Desktop',
          asset_serial: 'PS-SN-1',
          // Tactical RMM formats dates yyyy/MM/dd; MariaDB (and so ITFlow) stores them as ISO dates.
          asset_install_date: '2023/05/14',
          asset_purchase_date: '',
          asset_warranty_expire: '2026-5-4',
        }),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(made.success, JSON.stringify(made)).toBe('True');
    const assetId = String(made.data![0]!.insert_id);
    const updated = envelope(
      await post(
        port(),
        '/api/v1/assets/update.php',
        psJson({ api_key: key, asset_id: assetId, client_id: String(clientId), asset_description: 'set by update.ps1' }),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(updated.success, JSON.stringify(updated)).toBe('True');
    const read = (await fetch(`http://127.0.0.1:${port()}/api/v1/assets/read.php?api_key=${key}&asset_id=${assetId}`).then((r) => r.json())) as {
      data: Array<Record<string, string>>;
    };
    expect(read.data[0]).toMatchObject({
      asset_name: 'PS-DESKTOP-01',
      asset_description: 'set by update.ps1',
      asset_install_date: '2023-05-14',
      asset_warranty_expire: '2026-05-04',
    });
    const impossible = envelope(
      await post(
        port(),
        '/api/v1/assets/update.php',
        psJson({ api_key: key, asset_id: assetId, client_id: String(clientId), asset_warranty_expire: '2023/02/30' }),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(impossible).toMatchObject({ success: 'False', message: expect.stringContaining('asset_warranty_expire') });
  });

  const readAsset = async (query: string) =>
    (await fetch(`http://127.0.0.1:${port()}/api/v1/assets/read.php?api_key=${key}&${query}`).then((r) => r.json())) as {
      success: string;
      data?: Array<Record<string, string | null>>;
    };

  it('keeps what ITFlow keeps: IPv6 in asset_ip, types and statuses outside the lists, padded text, "" and "0" as no reference', async () => {
    const clientId = String(await create(FORM));
    const made = envelope(
      await post(
        port(),
        '/api/v1/assets/create.php',
        psJson({
          api_key: key,
          asset_id: '',
          client_id: clientId,
          asset_name: ' HV-VM-07 ',
          asset_type: 'Hypervisor Guest',
          asset_status: 'Quarantined',
          asset_make: 'Dell ',
          asset_os: ' Windows 11 Pro',
          asset_ip: 'FE80::215:5DFF:FE01:A2B3',
          asset_mac: '00155D01A2B3',
          asset_location_id: '0',
          asset_contact_id: '',
          asset_vendor_id: '0',
          asset_network_id: '0',
          asset_purchase_date: '0000-00-00',
        }),
        FORM,
      ),
    );
    expect(made.success, JSON.stringify(made)).toBe('True');
    const id = String(made.data![0]!.insert_id);
    const row = (await readAsset('asset_mac=00:15:5d:01:a2:b3')).data![0]!;
    expect(row).toMatchObject({
      asset_id: id,
      asset_name: 'HV-VM-07',
      asset_type: 'Hypervisor Guest',
      asset_status: 'Quarantined',
      asset_make: 'Dell',
      asset_os: 'Windows 11 Pro',
      asset_location_id: '0',
      asset_contact_id: '0',
      asset_vendor_id: '0',
      asset_purchase_date: null,
      interface_mac: '00:15:5D:01:A2:B3',
      interface_ip: 'fe80::215:5dff:fe01:a2b3',
      interface_ipv6: 'fe80::215:5dff:fe01:a2b3',
      interface_network_id: null,
    });
    // A list value given in another case is the list's own spelling, as before.
    const listed = envelope(
      await post(
        port(),
        '/api/v1/assets/update.php',
        psJson({ api_key: key, asset_id: id, client_id: clientId, asset_type: 'server', asset_ip: '10.1.2.3' }),
        FORM,
      ),
    );
    expect(listed.success, JSON.stringify(listed)).toBe('True');
    expect((await readAsset(`asset_id=${id}`)).data![0]).toMatchObject({ asset_type: 'Server' });
    expect((await readAsset('asset_mac=00155d01a2b3')).data![0]).toMatchObject({ interface_ip: '10.1.2.3', interface_ipv6: 'fe80::215:5dff:fe01:a2b3' });
  });

  it('keeps a stored date that an update sends as "" (update.ps1\'s unset dates), as ITFlow does; 0000-00-00 clears it', async () => {
    const clientId = String(await create(FORM));
    const made = envelope(
      await post(
        port(),
        '/api/v1/assets/create.php',
        psJson({
          api_key: key,
          client_id: clientId,
          asset_name: 'DATED',
          asset_purchase_date: '2022-01-10',
          asset_warranty_expire: '2025-01-10',
          asset_install_date: '2022/01/12',
        }),
        FORM,
      ),
    );
    const id = String(made.data![0]!.insert_id);
    const update = envelope(
      await post(
        port(),
        '/api/v1/assets/update.php',
        psJson({
          api_key: key,
          asset_id: id,
          client_id: clientId,
          asset_purchase_date: '',
          asset_warranty_expire: '0000-00-00',
          asset_install_date: ' ',
          asset_notes: 'dates as update.ps1 sends them',
        }),
        FORM,
      ),
    );
    expect(update.success, JSON.stringify(update)).toBe('True');
    expect((await readAsset(`asset_id=${id}`)).data![0]).toMatchObject({
      asset_purchase_date: '2022-01-10',
      asset_warranty_expire: null,
      asset_install_date: '2022-01-12',
      asset_notes: 'dates as update.ps1 sends them',
    });
  });

  it('finds an asset by its MAC in any notation and case an RMM prints', async () => {
    const clientId = String(await create(FORM));
    const made = envelope(
      await post(
        port(),
        '/api/v1/assets/create.php',
        psJson({ api_key: key, client_id: clientId, asset_name: 'AP-LOBBY', asset_mac: '74:ac:b9:11:22:33' }),
        FORM,
      ),
    );
    const id = String(made.data![0]!.insert_id);
    for (const form of [
      '74:AC:B9:11:22:33',
      '74-ac-b9-11-22-33',
      '74-AC-B9-11-22-33',
      '74acb9112233',
      '74ACB9112233',
      '74ac.b911.2233',
      ' 74:ac:b9:11:22:33 ',
    ]) {
      const found = await readAsset(`asset_mac=${encodeURIComponent(form)}`);
      expect(found.success, form).toBe('True');
      expect(
        found.data!.map((r) => r.asset_id),
        form,
      ).toEqual([id]);
    }
  });

  it('refuses only what would corrupt data, naming the field in the failure envelope', async () => {
    const clientId = String(await create(FORM));
    const other = String(await create(FORM));
    const location = envelope(await post(port(), '/api/v1/locations/create.php', psJson({ api_key: key, client_id: other, location_name: 'Elsewhere' }), FORM));
    const cases: Array<[Record<string, string>, string]> = [
      [{ asset_purchase_date: '2023-02-30' }, 'asset_purchase_date'],
      [{ asset_location_id: String(location.data![0]!.insert_id) }, 'asset_location_id'],
      [{ asset_model: 'x'.repeat(201) }, 'asset_model'],
      [{ asset_type: 'y'.repeat(201) }, 'asset_type'],
      [{ asset_ip: '10.0.0.300' }, 'asset_ip'],
    ];
    for (const [fields, field] of cases) {
      const answer = await post(
        port(),
        '/api/v1/assets/create.php',
        psJson({ api_key: key, client_id: clientId, asset_name: `Refused ${field}`, ...fields }),
        FORM,
      );
      expect(answer.status, field).toBe(200);
      expect(envelope(answer), field).toMatchObject({ success: 'False', message: expect.stringContaining(field) });
      expect((await readAsset(`asset_name=${encodeURIComponent(`Refused ${field}`)}`)).success, field).toBe('False');
    }
  });

  it('still reads a real form body, with the key in it or in the query string', async () => {
    const inBody = envelope(
      await post(
        port(),
        '/api/v1/clients/create.php',
        new URLSearchParams({ api_key: key, client_name: 'Form Co' }).toString(),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(inBody.success).toBe('True');
    const inQuery = envelope(
      await post(port(), `/api/v1/clients/create.php?api_key=${key}`, psJson({ client_name: 'Query Key Co' }), 'application/x-www-form-urlencoded'),
    );
    expect(inQuery.success).toBe('True');
  });

  it('answers a body that is neither JSON nor a form with a 400 in the envelope, never an empty 415', async () => {
    for (const label of ['text/plain', undefined, 'application/octet-stream']) {
      const answer = await post(port(), `/api/v1/clients/create.php?api_key=${key}`, 'hello there', label);
      expect(answer.status, `${label}: ${answer.body}`).toBe(400);
      expect(envelope(answer)).toMatchObject({ success: 'False', message: expect.stringContaining('body') });
    }
    const broken = await post(port(), `/api/v1/clients/create.php?api_key=${key}`, '{"client_name": "unterminated', 'text/plain');
    expect(broken.status).toBe(400);
    expect(envelope(broken).success).toBe('False');
  });
});
