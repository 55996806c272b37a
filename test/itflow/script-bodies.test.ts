// ITFlow's own PowerShell scripts, as Windows PowerShell sends them: `Invoke-RestMethod -Body $json`
// without -ContentType labels a JSON document application/x-www-form-urlencoded (CRLF line breaks,
// 4-space indent, every value a string). ITFlow decodes the raw body as JSON whatever the label; so
// does Steward's v1, and a real form body still works (issue 14, point 1). Dates come as the RMM
// formats them (issue 14, point 2, dates).
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { useFleet } from '../support/fleet.ts';
import { adminKey } from '../support/server.ts';

const POWERSHELL = 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031';

/** ConvertTo-Json's layout: CRLF, four spaces, `"name" : "value"`. */
const psJson = (fields: Record<string, string>) =>
  `{\r\n${Object.entries(fields).map(([k, v]) => `    ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\r\n')}\r\n}`;

interface Answer {
  status: number;
  body: string;
}

/** A POST exactly as given: the content type only when one is passed (none at all otherwise). */
function post(port: number, path: string, body: string, contentType?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'user-agent': POWERSHELL, 'content-length': String(Buffer.byteLength(body)) };
    if (contentType) headers['content-type'] = contentType;
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const envelope = (a: Answer) => JSON.parse(a.body) as { success: string; message?: string; data?: Array<Record<string, string | number>> };

describe.each(DIALECTS)("ITFlow scripts' request bodies on %s", (dialect) => {
  let key = '';
  const fleet = useFleet(dialect, {}, async (env) => {
    key = await adminKey(env);
  });
  const port = () => fleet.servers[0]!.port;

  const create = async (label: string | undefined) => {
    const made = envelope(await post(port(), '/api/v1/clients/create.php', psJson({ api_key: key, client_name: `Client via ${label ?? 'no content type'}` }), label));
    expect(made.success, JSON.stringify(made)).toBe('True');
    return Number(made.data![0]!.insert_id);
  };

  it('reads a JSON body labelled as a form, as plain text, or not labelled at all', async () => {
    for (const label of ['application/x-www-form-urlencoded', 'text/plain; charset=utf-8', undefined, 'application/json']) await create(label);
  });

  it("creates and updates an asset with assets/create.ps1's and update.ps1's bodies", async () => {
    const clientId = await create('application/x-www-form-urlencoded');
    const made = envelope(await post(port(), '/api/v1/assets/create.php', psJson({
      api_key: key, asset_id: '', client_id: String(clientId), asset_name: 'PS-DESKTOP-01', asset_type: 'Desktop', asset_serial: 'PS-SN-1',
      // Tactical RMM formats dates yyyy/MM/dd; MariaDB (and so ITFlow) stores them as ISO dates.
      asset_install_date: '2023/05/14', asset_purchase_date: '', asset_warranty_expire: '2026-5-4',
    }), 'application/x-www-form-urlencoded'));
    expect(made.success, JSON.stringify(made)).toBe('True');
    const assetId = String(made.data![0]!.insert_id);
    const updated = envelope(await post(port(), '/api/v1/assets/update.php', psJson({ api_key: key, asset_id: assetId, client_id: String(clientId), asset_description: 'set by update.ps1' }), 'application/x-www-form-urlencoded'));
    expect(updated.success, JSON.stringify(updated)).toBe('True');
    const read = await fetch(`http://127.0.0.1:${port()}/api/v1/assets/read.php?api_key=${key}&asset_id=${assetId}`).then((r) => r.json()) as { data: Array<Record<string, string>> };
    expect(read.data[0]).toMatchObject({ asset_name: 'PS-DESKTOP-01', asset_description: 'set by update.ps1', asset_install_date: '2023-05-14', asset_warranty_expire: '2026-05-04' });
    const impossible = envelope(await post(port(), '/api/v1/assets/update.php', psJson({ api_key: key, asset_id: assetId, client_id: String(clientId), asset_warranty_expire: '2023/02/30' }), 'application/x-www-form-urlencoded'));
    expect(impossible).toMatchObject({ success: 'False', message: expect.stringContaining('asset_warranty_expire') });
  });

  it('still reads a real form body, with the key in it or in the query string', async () => {
    const inBody = envelope(await post(port(), '/api/v1/clients/create.php', new URLSearchParams({ api_key: key, client_name: 'Form Co' }).toString(), 'application/x-www-form-urlencoded'));
    expect(inBody.success).toBe('True');
    const inQuery = envelope(await post(port(), `/api/v1/clients/create.php?api_key=${key}`, psJson({ client_name: 'Query Key Co' }), 'application/x-www-form-urlencoded'));
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
