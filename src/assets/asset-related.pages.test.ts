// Notes, tags, the star and links to logins, services and tickets from the asset page, on each
// database; a login's secrets appear only when asked for, and each reveal is audited.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { createLogin } from '../logins/login.service.ts';
import { loadConfig } from '../platform/config.ts';
import { SecretBox } from '../platform/secrets.ts';
import { createService } from '../services/service.service.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { createAsset } from './asset.service.ts';

const box = new SecretBox(Buffer.alloc(32, 5));

describe.each(DIALECTS)('what hangs off an asset, on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof listen>>;
  let c: Awaited<ReturnType<typeof makeClientWithRecords>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store, secretBox: box });
    http = await listen(app);
    c = await makeClientWithRecords(t.ctx, 'Links Ltd');
    await createUser(t.ctx, { email: 'tech@links.test', name: 'Tia', password: 'plum-orchard-lantern-47', role: 'technician' });
    await createUser(t.ctx, { email: 'acct@links.test', name: 'Abe', password: 'plum-orchard-lantern-47', role: 'accountant' });
  });
  afterAll(async () => app.close());

  const signIn = async (email: string) => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    await web.post('/sign-in', { email, password: 'plum-orchard-lantern-47' });
    return web;
  };

  it('adds, edits and archives typed notes, replaces tags and stars the asset, all in its history', async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'NAS-1' });
    await t.store.db
      .insertInto('tags')
      .values([
        { name: 'Backup', created_at: new Date().toISOString() },
        { name: 'Critical', created_at: new Date().toISOString() },
      ])
      .execute();
    const web = await signIn('tech@links.test');
    await web.get(`/assets/${asset.id}`);
    await web.post(`/assets/${asset.id}/notes`, { type: 'Note', body: 'Disk 3 replaced' });
    const note = await t.store.db.selectFrom('asset_notes').select('id').where('asset_id', '=', asset.id).executeTakeFirstOrThrow();
    await web.post(`/assets/${asset.id}/notes/${note.id}/edit`, { body: 'Disk 3 replaced under warranty' });
    await web.post(`/assets/${asset.id}/tags`, { tags: 'backup, CRITICAL' });
    const star = await web.post(`/assets/${asset.id}/favorite`, { favorite: '1' });
    expect(star.statusCode).toBe(303);
    let page = await web.get(`/assets/${asset.id}`);
    expect(page.body).toContain('Disk 3 replaced under warranty');
    expect(page.body).toContain('value="Backup, Critical"');
    expect(page.body).toContain('aria-label="Unstar NAS-1"');
    await web.post(`/assets/${asset.id}/notes/${note.id}/archive`, {});
    page = await web.get(`/assets/${asset.id}`);
    expect(page.body).not.toContain('Disk 3 replaced under warranty</li>');
    const actions = (await listAssetEvents(t.ctx, asset.id)).events.map((e) => e.action);
    for (const action of ['note_added', 'note_updated', 'note_archived', 'tags_changed', 'updated']) expect(actions).toContain(action);

    // With htmx the star answers with just the new button.
    const fragment = await web.post(`/assets/${asset.id}/favorite`, { favorite: '0' }, { 'hx-request': 'true' });
    expect(fragment.body.startsWith('<form')).toBe(true);
    expect(fragment.body).toContain('aria-label="Star NAS-1"');
  });

  it("saves quick notes with or without JavaScript, and shows the rules' message in place when too long", async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'QN-1' });
    const web = await signIn('tech@links.test');
    await web.get(`/assets/${asset.id}`);
    const plain = await web.post(`/assets/${asset.id}/quick-notes`, { notes: 'Plain form' });
    expect(plain.headers.location).toBe(`/assets/${asset.id}`);
    const editor = await web.get(`/assets/${asset.id}/quick-notes/edit`);
    expect(editor.body.startsWith('<form id="quick-notes"')).toBe(true);
    const inPlace = await web.post(`/assets/${asset.id}/quick-notes`, { notes: 'In place' }, { 'hx-request': 'true' });
    expect(inPlace.body.startsWith('<div id="quick-notes">')).toBe(true);
    expect(inPlace.body).toContain('In place');
    const tooLong = await web.post(`/assets/${asset.id}/quick-notes`, { notes: 'x'.repeat(70_000) }, { 'hx-request': 'true' });
    expect(tooLong.body).toContain('invalid-feedback');
    const row = await t.store.db.selectFrom('assets').select('notes').where('id', '=', asset.id).executeTakeFirstOrThrow();
    expect(row.notes).toBe('In place');
  });

  it("links and unlinks logins, services and tickets of the client, and reveals a login's secrets only on request, audited", async () => {
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: 'FW-1' });
    const login = await createLogin(t.ctx, box, { clientId: c.client.id, name: 'FW admin', username: 'admin', password: 's3cr3t-P@ss' });
    const service = await createService(t.ctx, { clientId: c.client.id, name: 'Internet' });
    const ticket = await createTicket(t.ctx, { clientId: c.client.id, subject: 'VPN drops' });
    const web = await signIn('tech@links.test');
    await web.get(`/assets/${asset.id}`);
    await web.post(`/assets/${asset.id}/logins`, { login_id: String(login.id) });
    await web.post(`/assets/${asset.id}/services`, { service_id: String(service.id) });
    await web.post(`/assets/${asset.id}/tickets`, { ticket_id: String(ticket.id) });
    const page = await web.get(`/assets/${asset.id}`);
    expect(page.body).toContain('FW admin');
    expect(page.body).toContain('Internet');
    expect(page.body).toContain('VPN drops');
    expect(page.body).not.toContain('s3cr3t-P@ss');

    const reveal = await web.post(`/assets/${asset.id}/logins/${login.id}/reveal`, {});
    expect(reveal.body).toContain('s3cr3t-P@ss');
    expect(reveal.headers['cache-control']).toBe('no-store');
    const audit = await t.store.db.selectFrom('audit_log').select(['actor_name', 'entity_id']).where('action', '=', 'login.secret_revealed').execute();
    expect(audit).toEqual([{ actor_name: 'Tia', entity_id: login.id }]);

    const accountant = await signIn('acct@links.test');
    await accountant.get(`/assets/${asset.id}`);
    expect((await accountant.post(`/assets/${asset.id}/logins/${login.id}/reveal`, {})).statusCode).toBe(403);

    await web.get(`/assets/${asset.id}`);
    await web.post(`/assets/${asset.id}/services/${service.id}/unlink`, {});
    const after = await web.get(`/assets/${asset.id}/services/search?q=intern`);
    expect(after.body).toContain(`name="service_id" value="${service.id}"`);
    const actions = (await listAssetEvents(t.ctx, asset.id)).events.map((e) => e.action);
    for (const action of ['login_linked', 'service_linked', 'ticket_linked', 'service_unlinked']) expect(actions).toContain(action);
  });
});
