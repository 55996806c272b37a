// The history as a technician reads it, over a real socket on each database: references by the name
// they had at the time (linked while they exist), a human label for every field of every event kind,
// what a link or interface event concerns, times people read, the same words in the history's CSV,
// and a deleted asset's timeline kept for administrators.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { createLocation, deleteLocation, updateLocation } from '../locations/location.service.ts';
import { loadConfig } from '../platform/config.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { addAssetNote } from './asset-note.service.ts';
import { linkTicket } from './asset-links.service.ts';
import { createAsset, deleteAsset, updateAsset } from './asset.service.ts';
import { addInterface } from './interface.service.ts';

const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('the history pages on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof listen>>;
  let hanaId: number;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    hanaId = (await createUser(t.ctx, { email: 'hana@story.test', name: 'Hana Admin', password: PASSWORD, role: 'admin' })).id;
    await createUser(t.ctx, { email: 'tom@story.test', name: 'Tom Tech', password: PASSWORD, role: 'technician' });
  });
  afterAll(async () => app.close());

  const signIn = async (email: string) => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email, password: PASSWORD });
    return web;
  };

  it('tells each event in words: names of the time, labels, what a link or port concerns, readable times', async () => {
    const { client, location: headOffice, network } = await makeClientWithRecords(t.ctx, 'Story Dental');
    const branch = await createLocation(t.ctx, { clientId: client.id, name: 'Branch' });
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'STORY-PC', locationId: headOffice.id });
    await updateAsset(t.ctx, asset.id, { locationId: branch.id });
    // Renamed and deleted afterwards: the history keeps the names it had.
    await updateLocation(t.ctx, branch.id, { name: 'Branch (old name)' });
    await updateAsset(t.ctx, asset.id, { locationId: null });
    await deleteLocation(t.ctx, headOffice.id);
    await addInterface(t.ctx, asset.id, { name: 'eth1', type: 'Ethernet', mac: '00:15:5d:01:02:03', networkId: network.id });
    await addAssetNote(t.ctx, asset.id, { type: 'Repair', body: 'Fan replaced' });
    const ticket = await createTicket(t.ctx, { clientId: client.id, subject: 'Slow boot' });
    await linkTicket(t.ctx, asset.id, ticket.id);

    const web = await signIn('tom@story.test');
    const page = (await web.get(`/assets/${asset.id}`)).body;
    const history = page.slice(page.indexOf('aria-label="History"'));
    expect(history).toMatch(
      /Location:<\/span> <del>Head Office<\/del> → <span class="history-new"><a href="\/locations\/\d+">Branch \(now Branch \(old name\)\)<\/a><\/span>/,
    );
    expect(history).toMatch(/Location:<\/span> <del><a href="\/locations\/\d+">Branch \(old name\)<\/a><\/del> → <span class="history-new">—<\/span>/);
    expect(history).toContain('<strong>Interface added</strong>: port eth1');
    expect(history).toMatch(/MAC address:<\/span> <del>—<\/del> → <span class="history-new">00:15:5[dD]:01:02:03<\/span>/);
    expect(history).toMatch(/Network:<\/span> <del>—<\/del> → <span class="history-new"><a href="\/networks\/\d+">LAN<\/a><\/span>/);
    expect(history).toContain('Text:</span> <del>—</del> → <span class="history-new">Fan replaced</span>');
    expect(history).toMatch(/<strong>Ticket linked<\/strong>: <a href="\/tickets\/\d+">#\d+ Slow boot<\/a>/);
    expect(history).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+" title="\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC" data-relative-time="true">just now<\/time>/);
    for (const raw of ['networkId', 'locationId', '>mac:', '>body:', 'ticket linked']) expect(history).not.toContain(raw);

    const csv = await web.get(`/assets/${asset.id}/history.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('When (UTC),Asset,Event,About,Detail,Field,Old value,New value,By,Source,IP address,Reason,Correlation id');
    expect(lines.some((l) => /,STORY-PC,Changed,,,Location,Head Office,Branch \(now Branch \(old name\)\),/.test(l))).toBe(true);
    expect(lines.some((l) => /,STORY-PC,Interface added,port eth1,,MAC address,—,00:15:5[dD]:01:02:03,/.test(l))).toBe(true);
    expect(lines.some((l) => /,STORY-PC,Ticket linked,#\d+ Slow boot,/.test(l))).toBe(true);
  });

  it("keeps a deleted asset's timeline reachable for administrators, and only for them", async () => {
    const { client } = await makeClientWithRecords(t.ctx, 'Gone Ltd');
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'GONE-PC', serial: 'SER-GONE-1' });
    await updateAsset(t.ctx, asset.id, { os: 'Windows 11' });
    await deleteAsset({ ...t.ctx, actor: { type: 'user', userId: hanaId, name: 'Hana Admin' } }, asset.id);

    const admin = await signIn('hana@story.test');
    const list = (await admin.get('/admin/deleted-assets')).body;
    expect(list).toContain(`<a href="/admin/deleted-assets/${asset.id}">GONE-PC</a>`);
    expect(list).toContain('SER-GONE-1');
    expect(list).toContain('Gone Ltd');
    expect(list).toContain('Hana Admin');
    const timeline = await admin.get(`/admin/deleted-assets/${asset.id}`);
    expect(timeline.statusCode).toBe(200);
    expect(timeline.body).toContain('<strong>Deleted</strong>');
    expect(timeline.body).toContain('Operating system:</span> <del>—</del> → <span class="history-new">Windows 11</span>');
    const csv = await admin.get(`/admin/deleted-assets/${asset.id}/history.csv`);
    expect(csv.body).toContain(',GONE-PC,Deleted,');

    const tech = await signIn('tom@story.test');
    expect((await tech.get('/admin/deleted-assets')).statusCode).toBe(403);
    expect((await tech.get(`/admin/deleted-assets/${asset.id}`)).statusCode).toBe(403);
    expect((await admin.get(`/admin/deleted-assets/${asset.id + 100000}`)).statusCode).toBe(404);
  });
});
