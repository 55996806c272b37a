// What a security probe of the APIs found, each reproduced against a real `steward serve`: booleans
// coerced in v2 bodies, ids out of range or not in decimal, objects and other non-strings in v1
// bodies, and control characters in text. Each is refused with a 4xx naming the field; nothing changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS } from '../support/databases.ts';
import { requesterAt, type HttpResponse, type Requester } from '../support/http.ts';
import { adminKey, createClientV1, startServer, type RunningServer } from '../support/server.ts';

describe.each(DIALECTS)('API input on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-api-input-'));
  let server: RunningServer;
  let drop: () => Promise<void>;
  let http: Requester;
  let key = '';
  let from = 0;
  let to = 0;
  let assetId = 0;

  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    const env = {
      STEWARD_DATA_DIR: dataDir,
      STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : db.url,
      STEWARD_SECRET_KEY: 'q0Rj0d2mZ1m6yWqg0b4m3Xv7t8b2Jc9H1l5p0s3u6wA=',
    };
    key = await adminKey(env, 'probe@example.test');
    server = await startServer(env);
    http = requesterAt(server.port);
    from = await createClientV1(http, key, 'From Co');
    to = await createClientV1(http, key, 'To Co');
    const res = await v1('POST', 'assets/create', { client_id: String(from), asset_name: 'PROBE-01' });
    assetId = (res.json() as { data: Array<{ insert_id: number }> }).data[0]!.insert_id;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const v1 = (method: 'GET' | 'POST', endpoint: string, payload: Record<string, unknown>) =>
    http({ method, url: `/api/v1/${endpoint}.php`, payload: { api_key: key, ...payload } });
  const v1Query = (endpoint: string, query: string) => http({ url: `/api/v1/${endpoint}.php?api_key=${key}&${query}` });
  const v2 = (method: string, url: string, payload?: unknown) => http({ method, url: `/api/v2${url}`, payload, headers: { authorization: `Bearer ${key}` } });

  /** A refusal: the given status, and the message (v1) or the errors (v2) name the field. */
  function refused(res: HttpResponse, status: number, field: string): void {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.body).toContain(field);
  }

  async function assetState() {
    const res = await v1('GET', 'assets/read', { asset_id: String(assetId) });
    return res.json() as { data: Array<Record<string, string | null>> };
  }

  it('takes only a JSON boolean as dry_run in a v2 transfer: null, 0 and "false" are refused and transfer nothing', async () => {
    for (const dryRun of [null, 0, 'false', 'true', 1, '']) {
      const res = await v2('POST', '/assets/transfers', { asset_ids: [assetId], to_client_id: to, dry_run: dryRun });
      refused(res, 422, 'dry_run');
    }
    expect((await assetState()).data[0]).toMatchObject({ asset_client_id: String(from), asset_archived_at: null });
    // A string where v2 wants a number is refused too, not read as one.
    refused(await v2('POST', '/assets/transfers', { asset_ids: [String(assetId)], to_client_id: to, dry_run: true }), 422, 'asset_ids');
    refused(await v2('POST', '/assets/transfers', { asset_ids: [assetId], to_client_id: String(to), dry_run: true }), 422, 'to_client_id');
    expect((await v2('POST', '/assets/transfers', { asset_ids: [assetId], to_client_id: to, dry_run: true })).statusCode).toBe(200);
  });

  it('takes ids and numbers only as positive 31-bit integers in decimal, in v1 and v2, bodies and query strings', async () => {
    refused(await v2('POST', '/assets/transfers', { asset_ids: [assetId], to_client_id: 2147483648, dry_run: true }), 422, 'to_client_id');
    refused(await v2('POST', '/assets/transfers', { asset_ids: [2147483648], to_client_id: to, dry_run: true }), 422, 'asset_ids');
    refused(
      await v2('POST', '/assets/transfers', { asset_ids: [assetId], to_client_id: to, mappings: { location: { '2147483648': null } }, dry_run: true }),
      422,
      'mappings',
    );
    for (const cursor of ['1e300', '0x10', '1e3', '2147483648', '-1', '0', 'abc']) {
      refused(await v2('GET', `/assets/${assetId}/history?cursor=${cursor}`), 422, 'cursor');
    }
    refused(await v2('GET', `/assets/${assetId}/history?limit=1e1`), 422, 'limit');
    refused(await v2('GET', '/assets/2147483648/history'), 422, 'id');
    expect((await v2('GET', `/assets/${assetId}/history?cursor=2147483647&limit=10`)).statusCode).toBe(200);

    for (const bad of ['2147483648', '99999999999999999999', '0x10', '1e3', '-1', '0']) {
      refused(await v1Query('assets/read', `asset_id=${bad}`), 400, 'asset_id');
      refused(await v1('POST', 'assets/update', { asset_id: bad, client_id: String(from), asset_notes: 'x' }), 400, 'asset_id');
      refused(await v1('POST', 'assets/create', { client_id: bad, asset_name: 'NEVER' }), 400, 'client_id');
      refused(await v1Query('clients/read', `client_id=${bad}`), 400, 'client_id');
      refused(await v1Query('contacts/read', `client_id=${bad}`), 400, 'client_id');
    }
    refused(await v1('POST', 'assets/create', { client_id: String(from), asset_name: 'NEVER', asset_location_id: '2147483648' }), 400, 'asset_location_id');
    refused(await v1Query('assets/read', 'limit=1e3'), 400, 'limit');
    refused(await v1Query('assets/read', 'offset=0x10'), 400, 'offset');
    expect((await v1Query('assets/read', `asset_id=${assetId}`)).json()).toMatchObject({ success: 'True' });
    expect((await v1('POST', 'assets/create', { client_id: from, asset_name: 'BY-NUMBER' })).json()).toMatchObject({ success: 'True' });
  });

  it('refuses v1 values that are not strings or numbers, naming the field, and changes nothing', async () => {
    const before = await assetState();
    const values: unknown[] = [{ toString: 'x' }, { toString: () => 'x' }, ['a', 'b'], { nested: { deep: 1 } }, true, false];
    for (const value of values) {
      refused(await v1('POST', 'assets/update', { asset_id: String(assetId), client_id: String(from), asset_name: value }), 400, 'asset_name');
      refused(await v1('POST', 'assets/create', { client_id: String(from), asset_name: value }), 400, 'asset_name');
      refused(await v1('POST', 'clients/create', { client_name: value }), 400, 'client_name');
      refused(await v1('POST', 'contacts/create', { client_id: String(from), contact_name: 'Ana', contact_email: value }), 400, 'contact_email');
      refused(await v1('POST', 'assets/update', { asset_id: value, client_id: String(from) }), 400, 'asset_id');
      refused(await v1('GET', 'assets/read', { asset_name: value }), 400, 'asset_name');
    }
    refused(await v1Query('assets/read', 'asset_name=a&asset_name=b'), 400, 'asset_name');
    expect(await assetState()).toEqual(before);
    // Numbers are read as their decimal text, as ITFlow's PHP does.
    expect((await v1('POST', 'assets/update', { asset_id: assetId, client_id: from, asset_notes: 42 })).json()).toEqual({ success: 'True', count: 1 });
    expect((await assetState()).data[0]!.asset_notes).toBe('42');
  });

  it('refuses text with NUL and other control characters with a 4xx naming the field, in writes and searches', async () => {
    const before = await assetState();
    for (const text of ['a\u0000b', 'x\u0001', '\u001b[31m', 'a\u007f']) {
      refused(await v1('POST', 'assets/update', { asset_id: String(assetId), client_id: String(from), asset_notes: text }), 400, 'asset_notes');
      refused(await v1('POST', 'clients/create', { client_name: text }), 400, 'client_name');
      refused(await v1('GET', 'assets/read', { asset_name: text }), 400, 'asset_name');
      refused(await v1Query('assets/read', `asset_serial=${encodeURIComponent(text)}`), 400, 'asset_serial');
      refused(await v1Query('contacts/read', `contact_email=${encodeURIComponent(text)}`), 400, 'contact_email');
      refused(await v2('POST', '/assets/transfers', { asset_ids: [assetId], to_client_id: to, reason: text, dry_run: false }), 422, 'reason');
    }
    expect(await assetState()).toEqual(before);
    // Line breaks and tabs are text, not control.
    expect((await v1('POST', 'assets/update', { asset_id: String(assetId), client_id: String(from), asset_notes: 'one\ntwo\tthree' })).json()).toEqual({
      success: 'True',
      count: 1,
    });
  });
});
