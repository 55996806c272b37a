// API key scopes over a real socket, on each database: a read-only key, a key limited to some modules
// and one limited to a client are held to their scope on API v1 and v2 alike (the services authorize
// through the narrowed principal); a scope naming a client the key's user may not see is refused at
// creation; and the administrators' API keys page creates scoped keys and lists their scope in words.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import type { Requester } from '../../test/support/http.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { ValidationError } from '../platform/errors.ts';
import { createApiKey, listApiKeys } from './api-key.service.ts';
import { createUser } from './user.service.ts';

const PASSWORD = 'plum-orchard-lantern-47';
let n = 0;

type V1 = { success: string; message?: string; count?: number; data?: Array<Record<string, string | null>> };

describe.each(DIALECTS)('API key scopes on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  const http: Requester = (req) => site.http(req);

  /** A new user of this role (limited to `onlyClients` when given) and a key for them with this scope. */
  const keyFor = async (role: 'admin' | 'technician', scope: { readOnly?: boolean; modules?: string[]; clientIds?: number[] }, onlyClients: number[] = []) => {
    const email = `scoped-${++n}@keys.test`;
    const user = await createUser(t.ctx, { email, name: `Scoped ${n}`, password: PASSWORD, role });
    for (const clientId of onlyClients)
      await t.store.db.insertInto('user_client_access').values({ user_id: user.id, client_id: clientId, mode: 'allow' }).execute();
    return { email, secret: (await createApiKey(t.ctx, { userEmail: email, name: `key ${n}`, ...scope })).secret };
  };
  const v1 = async (resource: string, op: string, body: Record<string, unknown>) => {
    // Reads are GETs (with the key in the query, as ITFlow's scripts send it), writes POSTs.
    const res =
      op === 'read'
        ? await http({ url: `/api/v1/${resource}/read.php`, query: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) })
        : await http({ method: 'POST', url: `/api/v1/${resource}/${op}.php`, payload: body });
    return { status: res.statusCode, body: res.json() as V1 };
  };
  const v2 = (method: string, url: string, key: string, payload?: unknown) => http({ method, url, payload, headers: { authorization: `Bearer ${key}` } });

  it('a read-only key reads, and any write is refused: on v1 with its failure envelope, on v2 with a 403 problem', async () => {
    const a = await makeClientWithRecords(t.ctx, `RO Client ${++n}`);
    const b = await makeClientWithRecords(t.ctx, `RO Other ${++n}`);
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'RO-READABLE' });
    const { secret } = await keyFor('admin', { readOnly: true });

    const read = await v1('assets', 'read', { api_key: secret, asset_id: asset.id });
    expect(read.body).toMatchObject({ success: 'True', data: [expect.objectContaining({ asset_name: 'RO-READABLE' })] });
    const write = await v1('assets', 'create', { api_key: secret, client_id: a.client.id, asset_name: 'RO-NEVER' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ success: 'False', message: expect.stringContaining('needs write access') });
    expect((await v1('clients', 'create', { api_key: secret, client_name: 'RO Never Co' })).body.success).toBe('False');
    expect(await t.store.db.selectFrom('assets').select('id').where('name', '=', 'RO-NEVER').execute()).toEqual([]);
    expect(await t.store.db.selectFrom('clients').select('id').where('name', '=', 'RO Never Co').execute()).toEqual([]);

    expect((await v2('GET', `/api/v2/assets/${asset.id}/history`, secret)).statusCode).toBe(200);
    const moved = await v2('POST', '/api/v2/assets/transfers', secret, { asset_ids: [asset.id], to_client_id: b.client.id });
    expect(moved.statusCode).toBe(403);
    expect(moved.headers['content-type']).toContain('application/problem+json');
    expect(moved.json()).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringContaining('needs write access') });
    expect((await t.store.db.selectFrom('assets').select('archived_at').where('id', '=', asset.id).executeTakeFirstOrThrow()).archived_at).toBeNull();
  });

  it("a key limited to client A cannot see client B's records: 404 on v2, nothing on v1, and cannot write into B", async () => {
    const a = await makeClientWithRecords(t.ctx, `Scope A ${++n}`);
    const b = await makeClientWithRecords(t.ctx, `Scope B ${++n}`);
    const inA = await createAsset(t.ctx, { clientId: a.client.id, name: 'SCOPE-A-PC', serial: 'SCOPE-SERIAL-A' });
    const inB = await createAsset(t.ctx, { clientId: b.client.id, name: 'SCOPE-B-PC', serial: 'SCOPE-SERIAL-B' });
    // An administrator's key: administrators see every client, the key only A.
    const { secret } = await keyFor('admin', { clientIds: [a.client.id] });

    expect((await v2('GET', `/api/v2/assets/${inA.id}/history`, secret)).statusCode).toBe(200);
    const hidden = await v2('GET', `/api/v2/assets/${inB.id}/history`, secret);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ status: 404, title: 'Not found' });
    const missing = await v2('GET', '/api/v2/assets/987654/history', secret);
    expect(hidden.json()).toMatchObject({ detail: (missing.json() as { detail: string }).detail.replace('987654', String(inB.id)) });

    expect((await v1('assets', 'read', { api_key: secret, asset_id: inB.id })).body).toMatchObject({ success: 'False' });
    expect((await v1('assets', 'read', { api_key: secret, asset_serial: 'SCOPE-SERIAL-B' })).body).toMatchObject({ success: 'False' });
    expect((await v1('assets', 'read', { api_key: secret, asset_id: inA.id })).body).toMatchObject({ success: 'True', count: 1 });
    const all = (await v1('assets', 'read', { api_key: secret, limit: 500 })).body;
    expect(all.data?.map((r) => r.asset_client_id)).toEqual([String(a.client.id)]);
    const clients = (await v1('clients', 'read', { api_key: secret, limit: 500 })).body;
    expect(clients.data?.map((r) => r.client_name)).toEqual([a.client.name]);

    expect((await v1('assets', 'create', { api_key: secret, client_id: b.client.id, asset_name: 'SNEAKY' })).body).toEqual({
      success: 'False',
      message: `client_id: client ${b.client.id} does not exist`,
    });
    // A client-limited key is not an administrator: it cannot add clients either.
    expect((await v1('clients', 'create', { api_key: secret, client_name: 'Scoped New Co' })).body.success).toBe('False');
  });

  it('a key limited to some modules has no access to the others, on v1 and v2', async () => {
    const a = await makeClientWithRecords(t.ctx, `Modules ${++n}`);
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'MODULE-PC' });
    const { secret } = await keyFor('technician', { modules: ['client'] });

    expect((await v1('clients', 'read', { api_key: secret, client_id: a.client.id })).body).toMatchObject({ success: 'True', count: 1 });
    const assets = await v1('assets', 'read', { api_key: secret, asset_id: asset.id });
    expect(assets.status).toBe(403);
    expect(assets.body).toMatchObject({ success: 'False', message: expect.stringContaining('no access to assets') });
    const history = await v2('GET', `/api/v2/assets/${asset.id}/history`, secret);
    expect(history.statusCode).toBe(403);
    expect(history.json()).toMatchObject({ detail: expect.stringContaining('no access to assets') });
  });

  it("refuses a scope the key's user cannot have, naming the field", async () => {
    const a = await makeClientWithRecords(t.ctx, `Allowed ${++n}`);
    const b = await makeClientWithRecords(t.ctx, `Not allowed ${++n}`);
    const email = `limited-${++n}@keys.test`;
    await createUser(t.ctx, { email, name: 'Limited', password: PASSWORD, role: 'technician' });
    const user = await t.store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    await t.store.db.insertInto('user_client_access').values({ user_id: user.id, client_id: a.client.id, mode: 'allow' }).execute();
    const before = (await listApiKeys(t.ctx)).length;

    const refusal = async (scope: Record<string, unknown>) => {
      const error = await createApiKey(t.ctx, { userEmail: email, name: 'refused', ...scope }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues;
    };
    expect(await refusal({ clientIds: [a.client.id, b.client.id] })).toEqual([
      expect.objectContaining({ field: 'clients', code: 'not_visible', message: expect.stringContaining(`${b.client.name} (client ${b.client.id})`) }),
    ]);
    expect(await refusal({ clientIds: '987654' })).toEqual([expect.objectContaining({ field: 'clients', message: 'client 987654 does not exist' })]);
    expect(await refusal({ clientIds: 'one' })).toEqual([expect.objectContaining({ field: 'clients', code: 'id_invalid' })]);
    expect(await refusal({ clientIds: [] })).toEqual([expect.objectContaining({ field: 'clients', code: 'required' })]);
    expect(await refusal({ modules: 'support,wizardry' })).toEqual([
      expect.objectContaining({ field: 'modules', message: expect.stringContaining('"wizardry" is not a module') }),
    ]);
    expect(await refusal({ readOnly: 'maybe' })).toEqual([expect.objectContaining({ field: 'read_only' })]);
    expect((await listApiKeys(t.ctx)).length).toBe(before);

    await createApiKey(t.ctx, { userEmail: email, name: 'fine', clientIds: String(a.client.id), modules: 'support, client', readOnly: true });
    expect((await listApiKeys(t.ctx)).at(-1)).toMatchObject({
      name: 'fine',
      readOnly: true,
      modules: ['client', 'support'],
      clientIds: [a.client.id],
      scope: 'Read only · Clients, Assets · 1 client',
    });
  });

  it('the API keys page creates a scoped key, lists its scope in words, and refuses a client the user cannot see', async () => {
    const a = await makeClientWithRecords(t.ctx, `Page A ${++n}`);
    const b = await makeClientWithRecords(t.ctx, `Page B ${++n}`);
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'PAGE-PC' });
    await createUser(t.ctx, { email: `page-admin-${++n}@keys.test`, name: 'Page Admin', password: PASSWORD, role: 'admin' });
    const web = await site.signIn(`page-admin-${n}@keys.test`, PASSWORD);

    const form = await web.get('/admin/api-keys');
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/<input[^>]*name="read_only"[^>]*>/);
    expect(form.body).toContain('value="support"');
    expect(form.body).toMatch(new RegExp(`<option value="${a.client.id}"[^>]*>${a.client.name}</option>`));

    const made = await web.post('/admin/api-keys', {
      user: `page-admin-${n}@keys.test`,
      name: 'Reporting',
      expires: '',
      read_only: 'yes',
      modules: ['support'],
      clients: [String(a.client.id), String(b.client.id)],
    });
    expect(made.statusCode).toBe(200);
    const secret = /data-secret[^>]*>([^<]+)</.exec(made.body)![1]!.trim();
    const list = await web.get('/admin/api-keys');
    expect(list.body).toMatch(/<td>Reporting<\/td>[\s\S]*?Read only · Assets · 2 clients/);
    expect(list.body).toContain(`${a.client.name}, ${b.client.name}`);
    expect((await v1('assets', 'read', { api_key: secret, asset_id: asset.id })).body).toMatchObject({ success: 'True' });
    expect((await v1('assets', 'create', { api_key: secret, client_id: a.client.id, asset_name: 'PAGE-NEVER' })).status).toBe(403);
    expect((await v1('clients', 'read', { api_key: secret })).status).toBe(403);

    const limitedEmail = `page-limited-${++n}@keys.test`;
    const limited = await createUser(t.ctx, { email: limitedEmail, name: 'Page Limited', password: PASSWORD, role: 'technician' });
    await t.store.db.insertInto('user_client_access').values({ user_id: limited.id, client_id: a.client.id, mode: 'allow' }).execute();
    await web.get('/admin/api-keys');
    const refused = await web.post('/admin/api-keys', {
      user: limitedEmail,
      name: 'Too wide',
      expires: '',
      clients: [String(b.client.id)],
      modules: ['support'],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(`may not see ${b.client.name}`);
    expect(refused.body).toMatch(/id="f-module-support"[^>]*checked/);
    expect(refused.body).toMatch(new RegExp(`<option value="${b.client.id}"[^>]*selected`));
    expect(refused.body).not.toContain('data-secret');

    const plain = await web.post('/admin/api-keys', { user: limitedEmail, name: 'Unscoped', expires: '' });
    expect(plain.statusCode).toBe(200);
    expect((await web.get('/admin/api-keys')).body).toMatch(/<td>Unscoped<\/td>[\s\S]*?Same as its user/);
  });
});
