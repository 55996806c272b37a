// /api/v1/tickets: read, create and resolve over a real socket, on each database, with the bodies ITFlow's
// own PowerShell scripts send (a JSON document labelled as a form, every value a string).
import { Migrator } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords, makeKeyedUsers } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createApiKey } from '../accounts/api-key.service.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createClient } from '../clients/client.service.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { MIGRATION_NAMES, migrationProvider } from '../migrations/index.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { openStore } from '../platform/db/store.ts';
import { createTicket, updateTicket } from '../tickets/ticket.service.ts';

/** ITFlow's tickets columns, in its order (ITFlow's db.sql; ../shared/reference/itflow-schema.md). */
const COLUMNS = [
  'ticket_id',
  'ticket_prefix',
  'ticket_number',
  'ticket_source',
  'ticket_category',
  'ticket_subject',
  'ticket_details',
  'ticket_priority',
  'ticket_status',
  'ticket_sla_id',
  'ticket_billable',
  'ticket_schedule',
  'ticket_onsite',
  'ticket_vendor_ticket_number',
  'ticket_feedback',
  'ticket_url_key',
  'ticket_created_at',
  'ticket_updated_at',
  'ticket_due_at',
  'ticket_resolved_at',
  'ticket_archived_at',
  'ticket_first_response_at',
  'ticket_response_due_at',
  'ticket_resolution_due_at',
  'ticket_response_sla_met',
  'ticket_resolution_sla_met',
  'ticket_response_sla_alert_stage',
  'ticket_resolution_sla_alert_stage',
  'ticket_closed_at',
  'ticket_created_by',
  'ticket_assigned_to',
  'ticket_closed_by',
  'ticket_vendor_id',
  'ticket_client_id',
  'ticket_contact_id',
  'ticket_location_id',
  'ticket_asset_id',
  'ticket_quote_id',
  'ticket_invoice_id',
  'ticket_project_id',
  'ticket_recurring_ticket_id',
  'ticket_order',
];
/** A single read LEFT JOINs ticket_statuses, so its row carries the status's columns too. */
const STATUS_COLUMNS = [
  'ticket_status_id',
  'ticket_status_name',
  'ticket_status_color',
  'ticket_status_active',
  'ticket_status_pauses_sla',
  'ticket_status_order',
];

/** ConvertTo-Json's layout, as Windows PowerShell sends it: CRLF, four spaces, `"name" : "value"`. */
const psJson = (fields: Record<string, string>) =>
  `{\r\n${Object.entries(fields)
    .map(([k, v]) => `    ${JSON.stringify(k)} : ${JSON.stringify(v)}`)
    .join(',\r\n')}\r\n}`;

type Envelope = { success: string; count?: number | string; data?: Array<Record<string, string | null>>; message?: string };

describe.each(DIALECTS)('/api/v1 tickets on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  let keys: Record<'tech' | 'limited' | 'accountant' | 'admin', string>;
  let a: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let b: Awaited<ReturnType<typeof makeClientWithRecords>>;
  let techUserId = 0;
  let noSupportKey = '';

  beforeAll(async () => {
    a = await makeClientWithRecords(t.ctx, 'Alpha Dental');
    b = await makeClientWithRecords(t.ctx, 'Beta Law');
    keys = await makeKeyedUsers(
      t.ctx,
      { tech: 'technician', limited: 'technician', accountant: 'accountant', admin: 'admin' },
      { name: 'limited', clientId: a.client.id },
    );
    techUserId = (await t.ctx.db.selectFrom('users').select('id').where('name', '=', 'tech').executeTakeFirstOrThrow()).id;
    // A role that sees clients but not the support module (assets and tickets).
    const { id: roleId } = await t.ctx.db
      .insertInto('roles')
      .values({ name: 'Front desk', description: null, is_admin: 0, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('role_permissions')
      .values([
        { role_id: roleId, module: 'client', level: 2 },
        { role_id: roleId, module: 'support', level: 0 },
      ])
      .execute();
    await createUser(t.ctx, { email: 'desk@tickets.test', name: 'Desk', password: 'fern-quilt-38', role: 'Front desk' });
    noSupportKey = (await createApiKey(t.ctx, { userEmail: 'desk@tickets.test', name: 'desk key' })).secret;
    await createUser(t.ctx, { email: 'admin@tickets.test', name: 'Admin', password: 'correct horse', role: 'admin' });
  });

  const read = async (query: Record<string, string | number>) =>
    (
      await site.http({ method: 'GET', url: '/api/v1/tickets/read.php', query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) })
    ).json() as Envelope;
  /** A POST as Windows PowerShell's Invoke-RestMethod sends a JSON body without -ContentType. */
  const psPost = async (operation: string, fields: Record<string, string>) =>
    site.http({
      method: 'POST',
      url: `/api/v1/tickets/${operation}.php`,
      payload: psJson(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const post = async (operation: string, body: Record<string, unknown>) =>
    site.http({ method: 'POST', url: `/api/v1/tickets/${operation}.php`, payload: body });
  const one = async (id: number) => (await read({ api_key: keys.tech, ticket_id: id })).data![0]!;
  const insertId = (answer: Envelope) => Number((answer.data![0] as unknown as { insert_id: number }).insert_id);
  const ticketCount = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const fail = (message: string) => ({ success: 'False', message });
  const NOT_FOUND = fail('No resource (for this client and company) with the specified parameter(s).');
  const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

  it("creates a ticket from create.ps1's body and reads it back in ITFlow's columns, order and typing", async () => {
    const answer = await psPost('create', {
      api_key: keys.tech,
      ticket_subject: 'Having issues with database',
      ticket_details: 'User X is having issues with the database',
      ticket_priority: 'Low',
      ticket_assigned_to: '0',
      ticket_contact_id: '0',
      client_id: String(a.client.id),
    });
    const created = answer.json() as Envelope;
    expect(created).toMatchObject({ success: 'True', count: '1' });
    const id = insertId(created);

    const single = await read({ api_key: keys.tech, ticket_id: id });
    expect(single).toMatchObject({ success: 'True', count: 1 });
    const row = single.data![0]!;
    expect(Object.keys(row)).toEqual([...COLUMNS, ...STATUS_COLUMNS]);
    expect(Object.values(row).every((v) => v === null || typeof v === 'string')).toBe(true);
    expect(row).toMatchObject({
      ticket_id: String(id),
      ticket_prefix: '#',
      ticket_number: expect.stringMatching(/^\d+$/),
      ticket_subject: 'Having issues with database',
      ticket_details: 'User X is having issues with the database',
      ticket_priority: 'Low',
      ticket_status: '1',
      ticket_sla_id: '0',
      ticket_billable: '0',
      ticket_onsite: '0',
      ticket_schedule: null,
      ticket_source: null,
      ticket_category: null,
      ticket_created_at: expect.stringMatching(DATETIME),
      ticket_updated_at: null,
      ticket_resolved_at: null,
      ticket_closed_at: null,
      ticket_archived_at: null,
      ticket_response_sla_met: null,
      ticket_response_sla_alert_stage: '0',
      ticket_resolution_sla_alert_stage: '0',
      ticket_created_by: String(techUserId),
      ticket_assigned_to: '0',
      ticket_closed_by: '0',
      ticket_vendor_id: '0',
      ticket_client_id: String(a.client.id),
      ticket_contact_id: '0',
      ticket_location_id: '0',
      ticket_asset_id: '0',
      ticket_quote_id: '0',
      ticket_invoice_id: '0',
      ticket_project_id: '0',
      ticket_recurring_ticket_id: '0',
      ticket_order: '0',
      ticket_status_id: '1',
      ticket_status_name: 'New',
      ticket_status_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
      ticket_status_active: '1',
      ticket_status_pauses_sla: '0',
    });

    // The list has the ticket's own columns only, as ITFlow's list query does not join the statuses.
    const list = await read({ api_key: keys.tech, client_id: a.client.id });
    const listed = list.data!.find((r) => r.ticket_id === String(id))!;
    expect(Object.keys(listed)).toEqual(COLUMNS);
    expect(listed).toEqual(Object.fromEntries(COLUMNS.map((c) => [c, row[c]])));

    // A contact and an assignee read back when given; a priority in another case is stored as Steward lists it.
    const assigned = (
      await psPost('create', {
        api_key: keys.tech,
        ticket_subject: 'Printer offline',
        ticket_priority: 'high',
        ticket_assigned_to: String(techUserId),
        ticket_contact_id: String(a.contact.id),
        client_id: String(a.client.id),
      })
    ).json() as Envelope;
    expect(await one(insertId(assigned))).toMatchObject({
      ticket_priority: 'High',
      ticket_assigned_to: String(techUserId),
      ticket_contact_id: String(a.contact.id),
      ticket_details: '',
    });
  });

  it('links a ticket created with ticket_asset_id to that asset, shown on the asset page and in its history', async () => {
    const asset = await createAsset(t.ctx, { clientId: a.client.id, name: 'ALPHA-PC-7' });
    const created = (
      await psPost('create', { api_key: keys.tech, ticket_subject: 'Fan noise', ticket_asset_id: String(asset.id), client_id: String(a.client.id) })
    ).json() as Envelope;
    expect(created.success).toBe('True');
    const row = await one(insertId(created));
    expect(row.ticket_asset_id).toBe(String(asset.id));

    const browser = await site.signIn('admin@tickets.test');
    const page = await browser.get(`/assets/${asset.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`#${row.ticket_number} Fan noise`);
    const events = await listAssetEvents(t.ctx, asset.id);
    expect(events.events.map((e) => e.action)).toContain('ticket_linked');
  });

  it("resolves a ticket with resolve.ps1's body once; a second resolve answers False and changes nothing", async () => {
    const { id } = await createTicket(t.ctx, { clientId: a.client.id, subject: 'VPN drops', status: 'Open' });
    const answer = await psPost('resolve', { api_key: keys.tech, ticket_id: String(id), client_id: String(a.client.id) });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ success: 'True', count: 1 });
    const resolved = await one(id);
    expect(resolved).toMatchObject({
      ticket_status: '4',
      ticket_status_id: '4',
      ticket_status_name: 'Resolved',
      ticket_resolved_at: expect.stringMatching(DATETIME),
      ticket_closed_at: null,
    });

    expect((await psPost('resolve', { api_key: keys.tech, ticket_id: String(id), client_id: String(a.client.id) })).json()).toEqual(
      fail(`ticket ${id} is already resolved`),
    );
    expect((await one(id)).ticket_resolved_at).toBe(resolved.ticket_resolved_at);

    // A closed ticket is resolved too; reopening one in the web clears the time it was resolved.
    const closed = await createTicket(t.ctx, { clientId: a.client.id, subject: 'Old request', status: 'Closed' });
    expect(await one(closed.id)).toMatchObject({
      ticket_status: '5',
      ticket_status_name: 'Closed',
      ticket_resolved_at: expect.stringMatching(DATETIME),
      ticket_closed_at: expect.stringMatching(DATETIME),
    });
    expect((await post('resolve', { api_key: keys.tech, ticket_id: closed.id, client_id: a.client.id })).json()).toEqual(
      fail(`ticket ${closed.id} is already resolved`),
    );
    await updateTicket(t.ctx, id, { status: 'Open' });
    expect(await one(id)).toMatchObject({ ticket_status: '2', ticket_status_name: 'Open', ticket_resolved_at: null });
    expect((await post('resolve', { api_key: keys.tech, ticket_id: id, client_id: a.client.id })).json()).toEqual({ success: 'True', count: 1 });

    expect((await post('resolve', { api_key: keys.tech, client_id: a.client.id })).json()).toEqual(fail('ticket_id: is required'));
    expect((await post('resolve', { api_key: keys.tech, ticket_id: id })).json()).toEqual(fail('client_id: is required'));
    expect((await post('resolve', { api_key: keys.tech, ticket_id: 999_999, client_id: a.client.id })).json()).toEqual(
      fail(`ticket 999999 does not exist for client ${a.client.id}`),
    );
  });

  it("keeps a limited key to its own clients' tickets, and a key without the support module out", async () => {
    const ours = await createTicket(t.ctx, { clientId: a.client.id, subject: 'Alpha only' });
    const theirs = await createTicket(t.ctx, { clientId: b.client.id, subject: 'Beta only' });

    expect(await read({ api_key: keys.limited, ticket_id: theirs.id })).toEqual(NOT_FOUND);
    expect(await read({ api_key: keys.limited, client_id: b.client.id })).toEqual(NOT_FOUND);
    const visible = await read({ api_key: keys.limited, limit: 500 });
    expect(new Set(visible.data!.map((r) => r.ticket_client_id))).toEqual(new Set([String(a.client.id)]));
    expect(visible.data!.map((r) => r.ticket_id)).toContain(String(ours.id));
    // client_id narrows even a single read.
    expect(await read({ api_key: keys.tech, ticket_id: ours.id, client_id: b.client.id })).toEqual(NOT_FOUND);

    // Resolving another client's ticket, or naming the wrong client, answers as a missing ticket and touches nothing.
    expect((await post('resolve', { api_key: keys.limited, ticket_id: theirs.id, client_id: b.client.id })).json()).toEqual(
      fail(`ticket ${theirs.id} does not exist for client ${b.client.id}`),
    );
    expect((await post('resolve', { api_key: keys.tech, ticket_id: theirs.id, client_id: a.client.id })).json()).toEqual(
      fail(`ticket ${theirs.id} does not exist for client ${a.client.id}`),
    );
    expect(await one(theirs.id)).toMatchObject({ ticket_status: '1', ticket_resolved_at: null, ticket_updated_at: null });
    expect((await post('create', { api_key: keys.limited, ticket_subject: 'Sneaky', client_id: b.client.id })).json()).toEqual(
      fail(`client_id: client ${b.client.id} does not exist`),
    );

    // Read access reads; creating and resolving need write access; no support access at all is refused outright.
    expect((await read({ api_key: keys.accountant, ticket_id: ours.id })).success).toBe('True');
    for (const [operation, body] of [
      ['create', { ticket_subject: 'No', client_id: a.client.id }],
      ['resolve', { ticket_id: ours.id, client_id: a.client.id }],
    ] as const) {
      const refused = await post(operation, { api_key: keys.accountant, ...body });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ success: 'False', message: expect.stringContaining('this needs write access') });
    }
    const outright = await site.http({ method: 'GET', url: '/api/v1/tickets/read.php', query: { api_key: noSupportKey } });
    expect(outright.statusCode).toBe(403);
    expect(outright.json()).toMatchObject({ success: 'False', message: expect.stringContaining('this needs read access') });
    expect((await one(ours.id)).ticket_status).toBe('1');
  });

  it('refuses references to another client and values Steward does not keep, naming the v1 field, and writes nothing', async () => {
    const theirAsset = await createAsset(t.ctx, { clientId: b.client.id, name: 'BETA-SRV' });
    const base = { api_key: keys.tech, ticket_subject: 'Refused', client_id: String(a.client.id) };
    const before = await ticketCount();
    const refusals: Array<[Record<string, string>, string]> = [
      [{ ticket_asset_id: String(theirAsset.id) }, `ticket_asset_id: asset ${theirAsset.id} does not exist for this client`],
      [{ ticket_contact_id: String(b.contact.id) }, `ticket_contact_id: contact ${b.contact.id} does not exist for this client`],
      [{ ticket_priority: 'Critical' }, 'ticket_priority: "Critical" is not one of Low, Medium, High, Urgent'],
      [{ ticket_assigned_to: '999999' }, 'ticket_assigned_to: user 999999 does not exist'],
      [{ ticket_assigned_to: 'bob' }, 'ticket_assigned_to: "bob" is not a record id'],
      [{ ticket_billable: '1' }, 'ticket_billable: Steward does not keep this for tickets; send 0 or leave it out'],
      [{ ticket_vendor_id: String(a.vendor.id) }, 'ticket_vendor_id: Steward does not keep this for tickets; send 0 or leave it out'],
      [{ ticket_vendor_ticket_id: '4711' }, 'ticket_vendor_ticket_id: Steward does not keep this for tickets; send 0 or leave it out'],
      [{ ticket_subject: '' }, 'ticket_subject: is required'],
      [{ ticket_subject: 's'.repeat(501) }, 'ticket_subject: is 501 characters long; the limit is 500'],
      [{ client_id: '0' }, 'client_id: is required (every Steward ticket belongs to a client)'],
      [{ client_id: '' }, 'client_id: is required (every Steward ticket belongs to a client)'],
    ];
    for (const [fields, message] of refusals) {
      const answer = await psPost('create', { ...base, ...fields });
      expect(answer.statusCode, message).toBe(200);
      expect(answer.json()).toEqual(fail(message));
    }
    expect((await psPost('create', { ...base, ticket_asset_id: String(theirAsset.id), ticket_contact_id: String(b.contact.id) })).json()).toEqual(
      fail(`ticket_contact_id: contact ${b.contact.id} does not exist for this client; ticket_asset_id: asset ${theirAsset.id} does not exist for this client`),
    );
    // The assignee must be able to see the ticket's client.
    const limitedId = (await t.ctx.db.selectFrom('users').select('id').where('name', '=', 'limited').executeTakeFirstOrThrow()).id;
    expect((await psPost('create', { ...base, client_id: String(b.client.id), ticket_assigned_to: String(limitedId) })).json()).toEqual(
      fail(`ticket_assigned_to: user ${limitedId} may not see this client`),
    );
    expect(await ticketCount()).toBe(before);
    expect((await listAssetEvents(t.ctx, theirAsset.id)).events.map((e) => e.action)).not.toContain('ticket_linked');

    // ITFlow's "none" for each of them passes silently.
    const quiet = await post('create', {
      ...base,
      ticket_billable: 0,
      ticket_vendor_id: '',
      ticket_vendor_ticket_id: '0',
      ticket_asset_id: '0',
      ticket_contact_id: '',
      ticket_assigned_to: '',
    });
    expect(quiet.json()).toMatchObject({ success: 'True' });
    expect(await ticketCount()).toBe(before + 1);
  });

  it('reads one client with client_id, pages with limit and offset (50 by default), ordered by id', async () => {
    const client = await createClient(t.ctx, { name: 'Paging Co' });
    const ids: number[] = [];
    for (let i = 1; i <= 52; i++) ids.push((await createTicket(t.ctx, { clientId: client.id, subject: `Ticket ${i}` })).id);
    const idsOf = (e: Envelope) => e.data!.map((r) => Number(r.ticket_id));

    const firstPage = await read({ api_key: keys.tech, client_id: client.id });
    expect(firstPage.count).toBe(50);
    expect(idsOf(firstPage)).toEqual(ids.slice(0, 50));
    expect(idsOf(await read({ api_key: keys.tech, client_id: client.id, limit: 2 }))).toEqual(ids.slice(0, 2));
    expect(idsOf(await read({ api_key: keys.tech, client_id: client.id, limit: 2, offset: 2 }))).toEqual(ids.slice(2, 4));
    expect(idsOf(await read({ api_key: keys.tech, client_id: client.id, offset: 50 }))).toEqual(ids.slice(50));
    expect(await read({ api_key: keys.tech, client_id: client.id, offset: 52 })).toEqual(NOT_FOUND);
    expect(await read({ api_key: keys.tech, ticket_id: 999_999 })).toEqual(NOT_FOUND);

    const everyone = await read({ api_key: keys.tech, limit: 1000 });
    const all = idsOf(everyone);
    expect(all).toEqual([...all].sort((x, y) => x - y));
    expect(all).toEqual(expect.arrayContaining(ids));
    expect(new Set(everyone.data!.map((r) => r.ticket_client_id)).size).toBeGreaterThan(1);

    const bad = await site.http({ method: 'GET', url: '/api/v1/tickets/read.php', query: { api_key: keys.tech, limit: 'lots' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual(fail('limit: "lots" is not a whole number'));
  });
});

describe.each(DIALECTS)('the ticket_resolved_at migration on %s', (dialect) => {
  it('gives tickets already resolved or closed the best time Steward has, and open ones none', async () => {
    const { url, drop } = await createEmptyDatabase(dialect);
    const store = openStore({ kind: dialect, url });
    try {
      const before = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('20261201_0014_ticket_resolved') - 1]!;
      expect((await new Migrator({ db: store.db, provider: migrationProvider(dialect) }).migrateTo(before)).error).toBeUndefined();
      const { id: clientId } = await store.db
        .insertInto('clients')
        .values({ name: 'Old Tickets', created_at: '2026-01-01T08:00:00.000Z' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ticket = (number: number, status: string, updatedAt: string | null, closedAt: string | null) => ({
        client_id: clientId,
        number,
        subject: `${status} one`,
        status,
        created_at: '2026-01-01T09:00:00.000Z',
        updated_at: updatedAt,
        closed_at: closedAt,
      });
      await store.db
        .insertInto('tickets')
        .values([
          ticket(1, 'Open', '2026-01-02T10:00:00.000Z', null),
          ticket(2, 'Resolved', '2026-01-03T11:00:00.000Z', null),
          ticket(3, 'Resolved', null, null),
          ticket(4, 'Closed', '2026-01-05T13:00:00.000Z', '2026-01-04T12:00:00.000Z'),
        ])
        .execute();

      await migrateToLatest(store);
      const rows = await store.db.selectFrom('tickets').select(['number', 'resolved_at']).orderBy('number').execute();
      expect(rows.map((r) => (r.resolved_at === null ? null : new Date(r.resolved_at).toISOString()))).toEqual([
        null,
        '2026-01-03T11:00:00.000Z',
        '2026-01-01T09:00:00.000Z',
        '2026-01-04T12:00:00.000Z',
      ]);
    } finally {
      await store.close();
      await drop();
    }
  });
});
