// An import follows the asset form's rules, through the import screens over a real socket and through
// `steward import assets`, on each database: no asset lands in an archived client, an update row may
// repeat the asset's own (since archived) type and status, and a client that does not exist is a
// field error naming the client, never a database error.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { runCli } from '../../test/support/cli.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import type { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset, updateAsset } from '../assets/asset.service.ts';
import { archiveClient, createClient } from '../clients/client.service.ts';
import { addListValue, setListValueArchived } from '../lists/list.service.ts';
import type { ListName } from '../lists/list.table.ts';

describe.each(DIALECTS)('asset import under the form rules on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  beforeAll(async () => {
    await createUser(t.ctx, { email: 'rules@imp.test', name: 'Rules', password: 'correct horse', role: 'admin' });
  });

  const assetsOf = (clientId: number) =>
    t.store.db.selectFrom('assets').select(['name', 'type', 'status', 'model']).where('client_id', '=', clientId).orderBy('name').execute();
  /** Uploads a file (into a client, or into the clients its Client column names) and opens its preview. */
  const preview = async (web: WebClient, client: number | null, file: string) => {
    await web.get(client ? `/clients/${client}/assets/import` : '/assets/import');
    const uploaded = await web.upload('/imports', { kind: 'assets', client: client ? String(client) : '', asset: '' }, { name: 'rules.csv', content: file });
    expect(uploaded.statusCode).toBe(302);
    const importUrl = uploaded.headers.location as string;
    await web.get(importUrl);
    return { importUrl, page: await web.get(`${importUrl}/preview`) };
  };
  const archiveValue = async (list: ListName, name: string) => {
    const { id } = await t.store.db.selectFrom('list_values').select('id').where('list', '=', list).where('name', '=', name).executeTakeFirstOrThrow();
    await setListValueArchived(t.ctx, id, true);
  };

  it('adds no asset to an archived client, as the asset form refuses to, and says so naming the client', async () => {
    const client = await createClient(t.ctx, { name: 'Gone Co' });
    await archiveClient(t.ctx, client.id);
    const web = await site.signIn('rules@imp.test');
    const { importUrl, page } = await preview(web, client.id, 'Name,Model\r\nPC-ARCHIVED,T14\r\n');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(importUrl);
    expect((await web.get(importUrl)).body).toContain(`client ${client.id} is archived; restore it first`);

    const committed = await web.post(`${importUrl}/commit`, {});
    expect(committed.statusCode).toBe(422);
    expect(committed.body).toContain(`client: client ${client.id} is archived; restore it first`);
    expect(await assetsOf(client.id)).toEqual([]);
  });

  it('rejects a row whose Client column names an archived client, naming the column, and imports the others', async () => {
    const live = await createClient(t.ctx, { name: 'Column Live Co' });
    const gone = await createClient(t.ctx, { name: 'Column Gone Co' });
    await archiveClient(t.ctx, gone.id);
    const web = await site.signIn('rules@imp.test');
    const { importUrl, page } = await preview(web, null, 'Name,Client\r\nPC-LIVE,column live co\r\nPC-GONE,Column Gone Co\r\n');
    expect(page.body).toContain('data-count="create">1<');
    expect(page.body).toContain('data-count="rejected">1<');
    expect(page.body).toContain(`Client: client ${gone.id} is archived; restore it first`);
    await web.post(`${importUrl}/commit`, { valid_only: '1' });
    expect((await assetsOf(live.id)).map((a) => a.name)).toEqual(['PC-LIVE']);
    expect(await assetsOf(gone.id)).toEqual([]);
  });

  it("accepts an update row repeating the asset's own type and status though both are archived since, as the form does", async () => {
    const client = await createClient(t.ctx, { name: 'Keep Co' });
    await addListValue(t.ctx, 'asset_type', 'Mainframe');
    await addListValue(t.ctx, 'asset_status', 'Mothballed');
    const kept = await createAsset(t.ctx, { clientId: client.id, name: 'MF-1', type: 'Mainframe', status: 'Mothballed', model: 'z15' });
    await createAsset(t.ctx, { clientId: client.id, name: 'MF-2', type: 'Server', model: 'z15' });
    await archiveValue('asset_type', 'Mainframe');
    await archiveValue('asset_status', 'Mothballed');
    // The form's rule: the asset's current value stays acceptable.
    expect((await updateAsset(t.ctx, kept.id, { type: 'mainframe', status: 'MOTHBALLED' })).changed).toBe(false);

    const web = await site.signIn('rules@imp.test');
    const file = 'Name,Type,Status,Model\r\nmf-1,mainframe,mothballed,z16\r\nMF-2,Mainframe,,z16\r\nMF-3,Mainframe,Mothballed,z16\r\n';
    const { importUrl, page } = await preview(web, client.id, file);
    expect(page.body).toContain('data-count="update">1<');
    expect(page.body).toContain('Changes: Model');
    expect(page.body).toContain('data-count="rejected">2<');
    expect(page.body).toContain('Type: &quot;Mainframe&quot; is not a known asset type');
    expect(page.body).toContain('Status: &quot;Mothballed&quot; is not a known asset status');
    await web.post(`${importUrl}/commit`, { valid_only: '1' });
    expect(await assetsOf(client.id)).toEqual([
      { name: 'MF-1', type: 'Mainframe', status: 'Mothballed', model: 'z16' },
      { name: 'MF-2', type: 'Server', status: null, model: 'z15' },
    ]);
  });

  describe('steward import assets', () => {
    const env = () => ({ STEWARD_DATABASE_URL: t.url, STEWARD_LOG_LEVEL: 'silent' });
    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('assets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('answers a client that does not exist with a field error naming the client, writing nothing', async () => {
      const before = await count();
      const res = await runCli(['import', 'assets', '-', '--client', '987654'], env(), 'Name\r\nPC-NOWHERE\r\n');
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toBe('steward: client: client 987654 does not exist');
      expect(await count()).toBe(before);
    });

    it('refuses an archived client by name of the field, as the form does', async () => {
      const client = await createClient(t.ctx, { name: 'CLI Gone Co' });
      await archiveClient(t.ctx, client.id);
      const res = await runCli(['import', 'assets', '-', '--client', String(client.id)], env(), 'Name\r\nPC-CLI\r\n');
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toBe(`steward: client: client ${client.id} is archived; restore it first`);
      expect(await assetsOf(client.id)).toEqual([]);
    });

    it('rejects a Client column naming no client as that column, never as a database error', async () => {
      const res = await runCli(['import', 'assets', '-', '--json'], env(), 'Name,Client\r\nPC-X,987654\r\nPC-Y,No Such Co\r\n');
      expect(res.code, res.stderr).toBe(2);
      const report = JSON.parse(res.stdout) as { rejected: Array<{ line: number; problems: Array<{ field: string; message: string }> }> };
      expect(report.rejected.map((r) => [r.line, r.problems.map((p) => `${p.field}: ${p.message}`)])).toEqual([
        [2, ['Client: no client named "987654"']],
        [3, ['Client: no client named "No Such Co"']],
      ]);
    });
  });
});
