// /api/v2/tickets over a real socket on each database: create (numbered, with assets), read, patch
// (status stamps, assignee, If-Match), list with a filter and a sort, bulk create, archive, restore and
// delete through the tickets service; another client's ticket is "not found" for a key limited to one
// client; a read-only role may not write; bad fields are named in snake_case.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { createAsset } from '../assets/asset.service.ts';
import { loadConfig } from '../platform/config.ts';
import { createTicket } from '../tickets/ticket.service.ts';

type Rec = {
  id: number;
  number: number;
  display: string;
  subject: string;
  status: string;
  priority: string | null;
  asset_ids: number[];
  closed_at: string | null;
};
type Problem = { errors: Array<{ field: string }> };

describe.each(DIALECTS)('/api/v2/tickets on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let keys: Record<'admin' | 'onlyB' | 'reader', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    a = await makeClientWithRecords(t.ctx, 'Alpha Co');
    b = await makeClientWithRecords(t.ctx, 'Beta Co');
    keys = await makeKeyedUsers(t.ctx, { admin: 'admin', onlyB: 'technician', reader: 'accountant' }, { name: 'onlyB', clientId: b.client.id });
  });
  afterAll(async () => app.close());

  const call = (method: string, url: string, payload?: unknown, key = keys.admin, headers: Record<string, string> = {}) =>
    http({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('creates, reads, patches, lists by filter and sort, bulk-creates, archives, restores and deletes', async () => {
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'PC-7' });
    const created = await call('POST', '/api/v2/tickets', { client_id: a.client.id, subject: 'Printer jams', contact_id: a.contact.id, asset_ids: [asset.id] });
    expect(created.statusCode).toBe(201);
    const rec = created.json() as Rec;
    expect(rec).toMatchObject({ subject: 'Printer jams', status: 'New', priority: 'Low', contact_id: a.contact.id, asset_ids: [asset.id], closed_at: null });
    expect(rec.display).toBe(`#${rec.number} Printer jams`);
    const read = await call('GET', `/api/v2/tickets/${rec.id}`);
    expect(read.json()).toEqual(rec);

    const tech = await createUser(t.ctx, { email: 'tess@tickets.test', name: 'Tess', password: 'plum-orchard-lantern-47', role: 'technician' });
    const patched = await call('PATCH', `/api/v2/tickets/${rec.id}`, { status: 'closed', assignee_user_id: tech.id }, keys.admin, {
      'if-match': read.headers.etag as string,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'Closed', assignee_user_id: tech.id, closed_at: expect.any(String), resolved_at: expect.any(String) });

    const bulk = await call('POST', '/api/v2/tickets', [
      { client_id: a.client.id, subject: 'Wi-Fi slow', priority: 'High' },
      { client_id: a.client.id, subject: 'New starter', priority: 'Medium' },
    ]);
    expect(bulk.statusCode).toBe(200);
    const list = (await call('GET', `/api/v2/tickets?client_id=${a.client.id}&status__in=new,open`)).json() as { results: Rec[] };
    expect(list.results.map((r) => r.subject)).toEqual(['New starter', 'Wi-Fi slow']);
    const byPriority = (await call('GET', `/api/v2/tickets?client_id=${a.client.id}&sort=priority,number`)).json() as { results: Rec[] };
    expect(byPriority.results.map((r) => r.priority)).toEqual(['High', 'Low', 'Medium']);

    expect((await call('POST', `/api/v2/tickets/${rec.id}/archive`)).json()).toMatchObject({ archived_at: expect.any(String) });
    expect((await call('POST', `/api/v2/tickets/${rec.id}/restore`)).json()).toMatchObject({ archived_at: null });
    expect((await call('DELETE', `/api/v2/tickets/${rec.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/tickets/${rec.id}`)).statusCode).toBe(404);
  });

  it('hides other clients’ tickets from a limited key, refuses writes to a read-only role, and names bad fields', async () => {
    const hidden = await createTicket(t.ctx, { clientId: a.client.id, subject: 'Hidden' });
    expect((await call('GET', `/api/v2/tickets/${hidden.id}`, undefined, keys.onlyB)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v2/tickets/${hidden.id}`, { status: 'Open' }, keys.onlyB)).statusCode).toBe(404);
    expect((await call('POST', '/api/v2/tickets', { client_id: b.client.id, subject: 'Nope' }, keys.reader)).statusCode).toBe(403);

    const bad = await call('POST', '/api/v2/tickets', { client_id: a.client.id, subject: 'Bad', contact_id: b.contact.id, assignee_user_id: 999999 });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as Problem).errors.map((e) => e.field).sort()).toEqual(['assignee_user_id', 'contact_id']);
  });
});
