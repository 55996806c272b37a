import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { listAssetEvents } from '../history/history.repository.ts';
import { createLogin, revealLoginSecrets } from '../logins/login.service.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { SecretBox } from '../platform/secrets.ts';
import { createService } from '../services/service.service.ts';
import { createTag } from '../tags/tag.service.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { changeAssetTags, linkLogin, linkService, linkTicket, unlinkService } from './asset-links.service.ts';
import { addAssetNote, archiveAssetNote, deleteAssetNote, listAssetNotes, updateAssetNote } from './asset-note.service.ts';
import { createAsset, deleteAsset } from './asset.service.ts';

const box = new SecretBox(Buffer.alloc(32, 7));

describe.each(DIALECTS)('notes, tags and links on %s', (dialect) => {
  const t = useTestDb(dialect);
  beforeAll(async () => {
    for (const name of ['Backup', 'Leased']) await createTag(t.ctx, { name });
  });

  it('adds, edits, archives and deletes typed notes, each in history', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'SRV-09' });
    const note = await addAssetNote(t.ctx, asset.id, { type: 'repair', body: 'Replaced PSU' });
    expect(note).toMatchObject({ type: 'Repair', createdBy: 'Test Technician' });
    await expect(addAssetNote(t.ctx, asset.id, { type: 'Gossip', body: '' })).rejects.toBeInstanceOf(ValidationError);
    await updateAssetNote(t.ctx, note.id, { body: 'Replaced PSU 2' });
    await archiveAssetNote(t.ctx, note.id);
    expect(await listAssetNotes(t.ctx, asset.id)).toHaveLength(0);
    expect(await listAssetNotes(t.ctx, asset.id, true)).toHaveLength(1);
    await deleteAssetNote(t.ctx, note.id);
    const actions = (await listAssetEvents(t.ctx, asset.id)).events.map((e) => e.action);
    expect(actions).toEqual(['note_deleted', 'note_archived', 'note_updated', 'note_added', 'created']);
  });

  it('adds, removes and replaces tags with one event each', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'LT-77' });
    expect(await changeAssetTags(t.ctx, asset.id, ['backup'], 'add')).toBe(true);
    expect(await changeAssetTags(t.ctx, asset.id, ['Backup'], 'add')).toBe(false);
    expect(await changeAssetTags(t.ctx, asset.id, ['Leased'], 'replace')).toBe(true);
    const [last] = (await listAssetEvents(t.ctx, asset.id)).events;
    expect(last!.changes).toEqual([{ field: 'tags', old: ['Backup'], new: ['Leased'] }]);
  });

  it('links logins, services and tickets only within the client, and keeps logins when the asset goes', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const other = await makeClientWithRecords(t.ctx);
    const asset = await createAsset(t.ctx, { clientId: client.id, name: 'FW-01' });
    const login = await createLogin(t.ctx, box, { clientId: client.id, name: 'FW admin', username: 'admin', password: 's3cret!' });
    const foreignLogin = await createLogin(t.ctx, box, { clientId: other.client.id, name: 'Theirs', password: 'x' });
    const service = await createService(t.ctx, { clientId: client.id, name: 'VPN', importance: 'high' });
    const ticket = await createTicket(t.ctx, { clientId: client.id, subject: 'VPN drops' });

    expect(await linkLogin(t.ctx, asset.id, login.id)).toBe(true);
    await expect(linkLogin(t.ctx, asset.id, foreignLogin.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await linkService(t.ctx, asset.id, service.id)).toBe(true);
    expect(await linkService(t.ctx, asset.id, service.id)).toBe(false);
    expect(await linkTicket(t.ctx, asset.id, ticket.id)).toBe(true);
    expect(await unlinkService(t.ctx, asset.id, service.id)).toBe(true);
    const actions = (await listAssetEvents(t.ctx, asset.id)).events.map((e) => e.action);
    expect(actions).toEqual(['service_unlinked', 'ticket_linked', 'service_linked', 'login_linked', 'created']);

    await deleteAsset(t.ctx, asset.id);
    const kept = await t.store.db.selectFrom('logins').select(['id', 'asset_id']).where('id', '=', login.id).executeTakeFirstOrThrow();
    expect(kept.asset_id).toBeNull();
    const ticketLinks = await t.store.db.selectFrom('ticket_assets').selectAll().where('ticket_id', '=', ticket.id).execute();
    expect(ticketLinks).toEqual([]);
  });

  it('stores login secrets encrypted and reveals them with an audit entry', async () => {
    const { client } = await makeClientWithRecords(t.ctx);
    const login = await createLogin(t.ctx, box, { clientId: client.id, name: 'NAS', username: 'root', password: 'pa55word', otpSecret: 'jbsw y3dp ehpk 3pxp' });
    const raw = await t.store.db
      .selectFrom('logins')
      .select(['username_secret', 'password_secret', 'otp_secret'])
      .where('id', '=', login.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain('pa55word');
    expect(JSON.stringify(raw)).not.toContain('root');
    expect(await revealLoginSecrets(t.ctx, box, login.id)).toEqual({ username: 'root', password: 'pa55word', otpSecret: 'JBSWY3DPEHPK3PXP' });
    const audit = await t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'login.secret_revealed')
      .where('entity_id', '=', login.id)
      .execute();
    expect(audit).toHaveLength(1);
  });
});
