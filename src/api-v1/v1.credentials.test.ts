// /api/v1/credentials over a real socket, on each database: ITFlow's own create.ps1 and update.ps1
// bodies work unchanged, rows come in ITFlow's keys and typing, secrets are revealed (and audited) only
// to keys whose user may reveal them, and a key never reaches another client's credential.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { SecretBox } from '../platform/secrets.ts';

const POWERSHELL = 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031';
const FORM = 'application/x-www-form-urlencoded';

/** ConvertTo-Json's layout: CRLF, four spaces, `"name" : "value"`. */
const psJson = (fields: Record<string, string>) =>
  `{\r\n${Object.entries(fields)
    .map(([k, v]) => `    ${JSON.stringify(k)} : ${JSON.stringify(v)}`)
    .join(',\r\n')}\r\n}`;

/** The body of ITFlow's credentials/create.ps1, word for word (its here-string, CRLF line breaks). */
const createPs1Body = (apiKey: string, credKey: string, clientId: number) =>
  [
    '{',
    `    "api_key" : "${apiKey}",`,
    `    "api_key_decrypt_password" : "${credKey}",`,
    '    "login_name" : "SRV-03 ILO",',
    '    "login_description" : "Lights out for SRV-03",',
    '    "login_uri" : "https://10.0.0.1",',
    '    "login_uri_2" : "",',
    '    "login_username" : "admin",',
    '    "login_password" : "Passw0rd",',
    '    "login_otp_secret" : "",',
    '    "login_note" : "Very important login entry",',
    '    "login_important" : "0",',
    '    "login_contact_id" : "0",',
    '    "login_vendor_id" : "0",',
    '    "login_asset_id" : "0",',
    '    "login_software_id" : 0,',
    `    "client_id" : "${clientId}"`,
    '}',
  ].join('\r\n');

const ROW_KEYS = [
  'credential_id',
  'credential_name',
  'credential_description',
  'credential_category',
  'credential_uri',
  'credential_uri_2',
  'credential_username',
  'credential_password',
  'credential_otp_secret',
  'credential_note',
  'credential_favorite',
  'credential_created_at',
  'credential_updated_at',
  'credential_archived_at',
  'credential_accessed_at',
  'credential_password_changed_at',
  'credential_folder_id',
  'credential_contact_id',
  'credential_asset_id',
  'credential_client_id',
];
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const NOT_FOUND = { success: 'False', message: 'No resource (for this client and company) with the specified parameter(s).' };
const DECRYPT_PASSWORD = 'JKyA0daoyOv7oKpw-never-logged';

type Envelope = { success: string; count?: number | string; message?: string; data?: Array<Record<string, string | number | null>> };

describe.each(DIALECTS)('/api/v1/credentials on %s', (dialect) => {
  const t = useTestDb(dialect);
  const logLines: string[] = [];
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'tech' | 'limited' | 'accountant', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'info' }, store: t.store, logger, secretBox: new SecretBox(Buffer.alloc(32, 5)) });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Dental');
    b = await makeClientWithRecords(t.ctx, 'Beta Law');
    keys = await makeKeyedUsers(
      t.ctx,
      { admin: 'admin', tech: 'technician', limited: 'technician', accountant: 'accountant' },
      { name: 'limited', clientId: a.client.id },
    );
  });
  afterAll(async () => app.close());

  const read = async (query: Record<string, string | number>) =>
    (await http({ url: '/api/v1/credentials/read.php', query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) })).json() as Envelope;
  const post = (operation: 'create' | 'update', body: Record<string, unknown> | string, headers: Record<string, string> = {}) =>
    http({ method: 'POST', url: `/api/v1/credentials/${operation}.php`, payload: body, headers });
  const create = async (body: Record<string, unknown>) => {
    const answer = (await post('create', body)).json() as Envelope;
    expect(answer, JSON.stringify(answer)).toMatchObject({ success: 'True', count: '1' });
    return Number((answer.data![0] as { insert_id: number }).insert_id);
  };
  const one = async (apiKey: string, id: number) => (await read({ api_key: apiKey, credential_id: id })).data![0]!;
  const reveals = async (id: number) =>
    (await t.store.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'login.secret_revealed').where('entity_id', '=', id).execute()).length;
  const fail = (message: string) => ({ success: 'False', message });

  it("creates a credential from credentials/create.ps1's body as Windows PowerShell sends it, and reads it back in ITFlow's keys", async () => {
    const answer = await post('create', createPs1Body(keys.admin, DECRYPT_PASSWORD, a.client.id), { 'content-type': FORM, 'user-agent': POWERSHELL });
    const made = answer.json() as Envelope;
    expect(made, answer.body).toMatchObject({ success: 'True', count: '1', data: [{ insert_id: expect.any(Number) }] });
    const id = Number((made.data![0] as { insert_id: number }).insert_id);

    const row = await one(keys.admin, id);
    expect(Object.keys(row)).toEqual(ROW_KEYS);
    expect(row).toEqual({
      credential_id: String(id),
      credential_name: 'SRV-03 ILO',
      credential_description: 'Lights out for SRV-03',
      credential_category: null,
      credential_uri: 'https://10.0.0.1',
      credential_uri_2: null,
      credential_username: 'admin',
      credential_password: 'Passw0rd',
      credential_otp_secret: null,
      credential_note: 'Very important login entry',
      credential_favorite: '0',
      credential_created_at: expect.stringMatching(DATETIME),
      credential_updated_at: null,
      credential_archived_at: null,
      credential_accessed_at: null,
      credential_password_changed_at: expect.stringMatching(DATETIME),
      credential_folder_id: '0',
      credential_contact_id: '0',
      credential_asset_id: '0',
      credential_client_id: String(a.client.id),
    });

    const updated = await post(
      'update',
      psJson({
        api_key: keys.admin,
        api_key_decrypt_password: DECRYPT_PASSWORD,
        credential_id: String(id),
        credential_username: 'new_username',
        credential_password: 'changedPassword-123',
        client_id: String(a.client.id),
      }),
      { 'content-type': FORM, 'user-agent': POWERSHELL },
    );
    expect(updated.json()).toEqual({ success: 'True', count: 1 });
    expect(await one(keys.admin, id)).toMatchObject({
      credential_name: 'SRV-03 ILO',
      credential_username: 'new_username',
      credential_password: 'changedPassword-123',
      credential_note: 'Very important login entry',
    });
  });

  it('creates, updates and reads with credential_* names: asset link, contact, TOTP key, favorite, and only the fields sent change', async () => {
    const fw = await createAsset(t.ctx, { clientId: a.client.id, name: 'FW-01' });
    const nas = await createAsset(t.ctx, { clientId: a.client.id, name: 'NAS-01' });
    const id = await create({
      api_key: keys.tech,
      client_id: String(a.client.id),
      credential_name: 'Firewall admin',
      credential_description: 'FortiGate',
      credential_uri: 'https://10.0.0.1',
      credential_uri_2: 'https://fw.alpha.example',
      credential_username: 'root',
      credential_password: 'Sup3r$ecret',
      credential_otp_secret: 'jbsw y3dp ehpk 3pxp',
      credential_note: 'Rotate yearly',
      credential_favorite: '1',
      credential_contact_id: String(a.contact.id),
      credential_asset_id: String(fw.id),
      credential_vendor_id: '0',
      credential_software_id: '',
      credential_folder_id: 0,
    });
    const linked = await t.store.db.selectFrom('logins').select(['asset_id', 'contact_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(linked).toEqual({ asset_id: fw.id, contact_id: a.contact.id });
    expect((await listAssetEvents(t.ctx, fw.id)).events.map((e) => e.action)).toContain('login_linked');
    expect(await one(keys.tech, id)).toMatchObject({
      credential_uri_2: 'https://fw.alpha.example',
      credential_username: 'root',
      credential_password: 'Sup3r$ecret',
      credential_otp_secret: 'JBSWY3DPEHPK3PXP',
      credential_favorite: '1',
      credential_contact_id: String(a.contact.id),
      credential_asset_id: String(fw.id),
    });

    await t.store.db.updateTable('logins').set({ password_changed_at: '2020-01-02T03:04:05.000Z' }).where('id', '=', id).execute();
    const moved = await post('update', {
      api_key: keys.tech,
      credential_id: id,
      client_id: a.client.id,
      credential_asset_id: String(nas.id),
      credential_description: 'FortiGate 60F',
    });
    expect(moved.json()).toEqual({ success: 'True', count: 1 });
    let row = await one(keys.tech, id);
    expect(row).toMatchObject({
      credential_name: 'Firewall admin',
      credential_description: 'FortiGate 60F',
      credential_uri_2: 'https://fw.alpha.example',
      credential_password: 'Sup3r$ecret',
      credential_otp_secret: 'JBSWY3DPEHPK3PXP',
      credential_favorite: '1',
      credential_contact_id: String(a.contact.id),
      credential_asset_id: String(nas.id),
      credential_password_changed_at: '2020-01-02 03:04:05',
      credential_updated_at: expect.stringMatching(DATETIME),
    });
    expect((await listAssetEvents(t.ctx, fw.id)).events.map((e) => e.action)).toContain('login_unlinked');
    expect((await listAssetEvents(t.ctx, nas.id)).events.map((e) => e.action)).toContain('login_linked');

    await post('update', {
      api_key: keys.tech,
      credential_id: id,
      client_id: a.client.id,
      credential_password: 'N3w-pass',
      credential_otp_secret: 'GEZDGNBVGY3TQOJQ',
      credential_favorite: '0',
      credential_asset_id: '0',
      credential_contact_id: '',
    });
    row = await one(keys.tech, id);
    expect(row).toMatchObject({
      credential_password: 'N3w-pass',
      credential_otp_secret: 'GEZDGNBVGY3TQOJQ',
      credential_favorite: '0',
      credential_asset_id: '0',
      credential_contact_id: '0',
      credential_username: 'root',
    });
    expect(row.credential_password_changed_at).not.toBe('2020-01-02 03:04:05');
    expect(row.credential_password_changed_at).toMatch(DATETIME);

    const c = await create({ api_key: keys.tech, client_id: a.client.id, credential_name: 'Second', credential_password: 'x' });
    const listed = await read({ api_key: keys.tech, client_id: a.client.id });
    expect(listed.data!.map((r) => r.credential_id)).toEqual(expect.arrayContaining([String(id), String(c)]));
    const paged = await read({ api_key: keys.tech, client_id: a.client.id, limit: 1, offset: 1 });
    expect(paged.count).toBe(1);
    expect(paged.data![0]!.credential_id).toBe(listed.data![1]!.credential_id);
    expect(await read({ api_key: keys.tech, client_id: b.client.id })).toEqual(NOT_FOUND);

    // Old names still work (read.ps1's example filters by login_id); a current name sent wins over its old one.
    const both = await create({
      api_key: keys.tech,
      client_id: a.client.id,
      credential_name: 'Current name',
      login_name: 'Old name',
      login_password: 'old-pass',
      login_important: '1',
    });
    expect((await read({ api_key: keys.tech, login_id: both })).data).toEqual([
      expect.objectContaining({ credential_name: 'Current name', credential_password: 'old-pass', credential_favorite: '1' }),
    ]);
  });

  it('reveals secrets to keys whose user may reveal them, one audit entry per credential shown; a key without logins gets 403', async () => {
    const c = await makeClientWithRecords(t.ctx, 'Gamma Audit');
    const first = await create({
      api_key: keys.admin,
      client_id: c.client.id,
      credential_name: 'Switch',
      credential_username: 'admin',
      credential_password: 'sw-pass',
    });
    const second = await create({ api_key: keys.admin, client_id: c.client.id, credential_name: 'Printer', credential_password: 'pr-pass' });
    expect([await reveals(first), await reveals(second)]).toEqual([0, 0]);

    const asAdmin = await read({ api_key: keys.admin, client_id: c.client.id });
    expect(asAdmin.data!.map((r) => [r.credential_name, r.credential_username, r.credential_password])).toEqual([
      ['Switch', 'admin', 'sw-pass'],
      ['Printer', null, 'pr-pass'],
    ]);
    expect([await reveals(first), await reveals(second)]).toEqual([1, 1]);

    const asTech = await read({ api_key: keys.tech, credential_id: second });
    expect(asTech.data![0]).toMatchObject({ credential_password: 'pr-pass' });
    expect([await reveals(first), await reveals(second)]).toEqual([1, 2]);
    const entry = await t.store.db
      .selectFrom('audit_log')
      .select(['actor_api_key_id', 'client_id', 'actor_name'])
      .where('action', '=', 'login.secret_revealed')
      .where('entity_id', '=', second)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ client_id: c.client.id, actor_api_key_id: expect.any(Number), actor_name: expect.stringContaining('tech') });

    for (const answer of [
      await http({ url: '/api/v1/credentials/read.php', query: { api_key: keys.accountant } }),
      await post('create', { api_key: keys.accountant, client_id: c.client.id, credential_name: 'No', credential_password: 'x' }),
      await post('update', { api_key: keys.accountant, client_id: c.client.id, credential_id: first, credential_name: 'No' }),
    ]) {
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ success: 'False', message: expect.stringContaining('access to logins') });
    }
    expect(await reveals(first)).toBe(1);
  });

  it("keeps a key limited to one client away from another client's credentials, reading and updating", async () => {
    const ours = await create({ api_key: keys.admin, client_id: a.client.id, credential_name: 'Ours', credential_password: 'ours-pass' });
    const theirs = await create({ api_key: keys.admin, client_id: b.client.id, credential_name: 'Theirs', credential_password: 'theirs-pass' });
    expect(await read({ api_key: keys.limited, credential_id: theirs })).toEqual(NOT_FOUND);
    expect(await read({ api_key: keys.limited, client_id: b.client.id })).toEqual(NOT_FOUND);
    const visible = await read({ api_key: keys.limited, limit: 500 });
    expect(visible.data!.every((r) => r.credential_client_id === String(a.client.id))).toBe(true);
    expect(visible.data!.map((r) => r.credential_id)).toContain(String(ours));

    const missing = fail(`credential ${theirs} does not exist for client ${b.client.id}`);
    expect((await post('update', { api_key: keys.limited, credential_id: theirs, client_id: b.client.id, credential_password: 'hijacked' })).json()).toEqual(
      missing,
    );
    expect((await post('update', { api_key: keys.admin, credential_id: theirs, client_id: a.client.id, credential_name: 'Moved' })).json()).toEqual(
      fail(`credential ${theirs} does not exist for client ${a.client.id}`),
    );
    expect((await post('update', { api_key: keys.admin, credential_id: 999_999, client_id: b.client.id, credential_name: 'Ghost' })).json()).toEqual(
      fail(`credential 999999 does not exist for client ${b.client.id}`),
    );
    expect((await post('create', { api_key: keys.limited, client_id: b.client.id, credential_name: 'Sneaky', credential_password: 'x' })).json()).toEqual(
      fail(`client_id: client ${b.client.id} does not exist`),
    );
    expect(await one(keys.admin, theirs)).toMatchObject({ credential_name: 'Theirs', credential_password: 'theirs-pass', credential_updated_at: null });
  });

  it('refuses a missing password, a foreign or unknown reference, links Steward lacks and over-long values, naming the field, and writes nothing', async () => {
    const foreignAsset = await createAsset(t.ctx, { clientId: b.client.id, name: 'B-SRV' });
    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('logins')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const base = { api_key: keys.tech, client_id: a.client.id, credential_name: 'Refused' };
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ ...base }, 'credential_password: is required'],
      [{ ...base, credential_password: '' }, 'credential_password: is required'],
      [{ ...base, login_password: '   ' }, 'credential_password: is required'],
      [{ ...base, credential_name: '', credential_password: 'x' }, 'credential_name: is required'],
      [
        { ...base, credential_password: 'x', credential_asset_id: String(foreignAsset.id) },
        `credential_asset_id: asset ${foreignAsset.id} does not exist for this client`,
      ],
      [
        { ...base, credential_password: 'x', credential_contact_id: String(b.contact.id) },
        `credential_contact_id: contact ${b.contact.id} does not exist for this client`,
      ],
      [{ ...base, credential_password: 'x', credential_vendor_id: String(a.vendor.id) }, 'credential_vendor_id: Steward does not link credentials to vendors'],
      [{ ...base, credential_password: 'x', login_software_id: 3 }, 'login_software_id: Steward does not link credentials to software'],
      [{ ...base, credential_password: 'x', credential_folder_id: '2' }, 'credential_folder_id: Steward does not keep credentials in folders'],
      [{ ...base, credential_password: 'x', credential_otp_secret: 'not base32!' }, 'credential_otp_secret: is not a base32 TOTP secret'],
      [{ ...base, credential_password: 'p'.repeat(501) }, 'credential_password: is 501 characters long; the limit is 500'],
      [{ ...base, credential_password: 'x', credential_uri_2: 'u'.repeat(501) }, 'credential_uri_2: is 501 characters long; the limit is 500'],
      [{ ...base, client_id: '', credential_password: 'x' }, 'client_id: is required'],
    ];
    for (const [body, message] of refusals) expect((await post('create', body)).json(), message).toEqual(fail(message));
    expect(await count()).toBe(before);

    const id = await create({ ...base, credential_name: 'Kept', credential_password: 'kept-pass' });
    const update = { api_key: keys.tech, credential_id: id, client_id: a.client.id };
    for (const [body, message] of [
      [{ ...update, credential_name: 'n'.repeat(201) }, 'credential_name: is 201 characters long; the limit is 200'],
      [
        { ...update, credential_name: 'Renamed', credential_asset_id: String(foreignAsset.id) },
        `credential_asset_id: asset ${foreignAsset.id} does not exist for this client`,
      ],
      [{ ...update, credential_name: 'Renamed', login_vendor_id: '7' }, 'login_vendor_id: Steward does not link credentials to vendors'],
      [{ api_key: keys.tech, client_id: a.client.id, credential_name: 'Renamed' }, 'credential_id: is required'],
    ] as Array<[Record<string, unknown>, string]>)
      expect((await post('update', body)).json(), message).toEqual(fail(message));
    expect(await one(keys.tech, id)).toMatchObject({ credential_name: 'Kept', credential_asset_id: '0', credential_updated_at: null });
  });

  it('accepts api_key_decrypt_password in the body or the query string, ignores it, and never logs or echoes it', async () => {
    const id = await create({
      api_key: keys.admin,
      api_key_decrypt_password: DECRYPT_PASSWORD,
      client_id: a.client.id,
      credential_name: 'Decrypt test',
      credential_password: 'dt-pass',
    });
    const inQuery = await http({
      url: '/api/v1/credentials/read.php',
      query: { api_key: keys.admin, api_key_decrypt_password: DECRYPT_PASSWORD, credential_id: String(id) },
    });
    const inBody = await http({
      url: '/api/v1/credentials/read.php',
      query: { credential_id: String(id) },
      payload: { api_key: keys.admin, api_key_decrypt_password: DECRYPT_PASSWORD },
    });
    const wrong = await http({
      url: '/api/v1/credentials/read.php',
      query: { api_key: keys.admin, api_key_decrypt_password: 'not the right one', credential_id: String(id) },
    });
    const without = await http({ url: '/api/v1/credentials/read.php', query: { api_key: keys.admin, credential_id: String(id) } });
    for (const answer of [inQuery, inBody, wrong, without]) {
      expect(answer.json()).toMatchObject({ success: 'True', count: 1, data: [{ credential_name: 'Decrypt test', credential_password: 'dt-pass' }] });
      expect(answer.body).not.toContain(DECRYPT_PASSWORD);
    }
    const updated = await post('update', {
      api_key: keys.admin,
      api_key_decrypt_password: DECRYPT_PASSWORD,
      credential_id: id,
      client_id: a.client.id,
      credential_note: 'noted',
    });
    expect(updated.json()).toEqual({ success: 'True', count: 1 });
    expect(updated.body).not.toContain(DECRYPT_PASSWORD);

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(DECRYPT_PASSWORD);
    const audit = await t.store.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain(DECRYPT_PASSWORD);
    expect((await http({ method: 'POST', url: '/api/v1/credentials/read.php', payload: { api_key: keys.admin } })).statusCode).toBe(405);
  });
});
