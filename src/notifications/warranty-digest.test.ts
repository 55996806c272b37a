// Notifications at scale (issue 16, point 12), on each database: a register full of warranties that
// ended long ago gives each user one digest, not one notification per asset, and a rerun the same day
// adds nothing; an end missed later is told in the next day's digest, once; upcoming alerts go on as
// before. The list shows 50 a page, and "mark all read" and "dismiss all" take thousands at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { generateAssets } from '../demo/generate.ts';
import { addDays, todayOf } from '../platform/dates.ts';
import { digestTitle, runWarrantyAlerts } from './warranty-alerts.ts';

describe('a digest title', () => {
  it('counts warranties and clients in words', () => {
    expect(digestTitle(312, 4, null)).toBe('312 warranties ended before today across 4 clients');
    expect(digestTitle(1, 1, '2026-12-01')).toBe('1 warranty ended since 2026-12-01 with no alert, across 1 client');
  });
});

describe.each(DIALECTS)('warranty digests and the notification list on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);
  let today: string;
  let admin: number;
  let tech: number;
  let clients: number[];

  beforeAll(async () => {
    today = todayOf(t.ctx);
    await generateAssets(t.store, { assets: 2_000, clients: 4 });
    // Every one of them ended years ago, with no alert ever sent.
    await t.store.db.updateTable('assets').set({ purchase_date: '2016-03-31', install_date: '2016-04-02', warranty_expire: '2019-03-31' }).execute();
    clients = (await t.store.db.selectFrom('clients').select('id').orderBy('id').execute()).map((c) => c.id);
    admin = (await createUser(t.ctx, { email: 'admin@digest.test', name: 'Admin', password: 'correct horse', role: 'admin' })).id;
    tech = (await createUser(t.ctx, { email: 'tech@digest.test', name: 'Tech', password: 'correct horse', role: 'technician' })).id;
    await t.store.db.insertInto('user_client_access').values({ user_id: tech, client_id: clients[0]!, mode: 'allow' }).execute();
  });

  const notificationsOf = async (userId: number) =>
    (await t.store.db.selectFrom('notifications').select(['kind', 'title']).where('user_id', '=', userId).orderBy('id').execute()).map(
      (n) => `${n.kind}: ${n.title}`,
    );

  it('tells each user of 2,000 long-ended warranties in one digest, once a day, while upcoming alerts go on', async () => {
    await createAsset(t.ctx, { clientId: clients[0]!, name: 'SOON-7', warrantyExpire: addDays(today, 7) });
    const first = await runWarrantyAlerts(t.ctx, today);
    expect(first.assets).toBe(1);
    expect(await notificationsOf(admin)).toEqual([
      expect.stringMatching(/^warranty: Warranty of SOON-7 \(.*\) ends in 7 days/),
      'warranty_digest: 2000 warranties ended before today across 4 clients',
    ]);
    expect((await notificationsOf(tech)).filter((n) => n.startsWith('warranty_digest'))).toEqual([
      'warranty_digest: 500 warranties ended before today across 1 client',
    ]);
    const total = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('user_id', 'in', [admin, tech])
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await total()).toBe(4);

    // Again the same day (a restart, a second server): nothing new.
    expect(await runWarrantyAlerts(t.ctx, today)).toMatchObject({ created: 0, digests: 0 });
    expect(await total()).toBe(4);

    // A warranty ending in 2 days, and the job not running until 5 days on: its end was missed, and the
    // next digest says so; the 2,000 told already are not told again.
    await createAsset(t.ctx, { clientId: clients[0]!, name: 'MISSED-2', warrantyExpire: addDays(today, 2) });
    await runWarrantyAlerts(t.ctx, addDays(today, 5));
    expect((await notificationsOf(tech)).filter((n) => n.startsWith('warranty_digest'))).toEqual([
      'warranty_digest: 500 warranties ended before today across 1 client',
      `warranty_digest: 1 warranty ended since ${today} with no alert, across 1 client`,
    ]);
    await runWarrantyAlerts(t.ctx, addDays(today, 6));
    expect((await notificationsOf(admin)).filter((n) => n.startsWith('warranty_digest'))).toHaveLength(2);

    // The digest leads to the expired warranties.
    const web = await site.signIn('tech@digest.test');
    const list = await web.get('/notifications');
    expect(list.body).toContain('href="/assets?warranty=expired"');
    expect(list.body).toContain('500 warranties ended before today across 1 client');
  });

  it('pages a list of 3,000, marks them all read and dismisses them all at once', async () => {
    const user = await createUser(t.ctx, { email: 'many@digest.test', name: 'Many', password: 'correct horse', role: 'admin' });
    const at = new Date().toISOString();
    const rows = Array.from({ length: 3_000 }, (_, i) => ({
      user_id: user.id,
      client_id: null,
      asset_id: null,
      kind: 'second_factor_locked' as const,
      days_before: null,
      due_date: null,
      title: `Notice ${String(i + 1).padStart(4, '0')}`,
      created_at: at,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await t.store.db
        .insertInto('notifications')
        .values(rows.slice(i, i + 200))
        .execute();

    const web = await site.signIn('many@digest.test');
    const unread = (html: string) => Number(/data-unread="true">(\d+)</.exec(html)?.[1] ?? 0);
    const first = await web.get('/notifications');
    expect(unread(first.body)).toBe(3_000);
    expect(first.body.match(/data-notification="/g)).toHaveLength(50);
    expect(first.body).toContain('Notice 3000');
    expect(first.body).toContain('Page 1 of 60 (3000)');
    const second = await web.get('/notifications?page=2');
    expect(second.body).toContain('Page 2 of 60 (3000)');
    expect(second.body).toContain('Notice 2950');
    expect(second.body).not.toContain('Notice 2951');
    expect(second.body).toContain('href="/notifications"');
    expect(second.body).toContain('href="/notifications?page=3"');

    // Reading one from page 2 stays on page 2.
    const one = /data-notification="(\d+)"/.exec(second.body)![1]!;
    expect((await web.post('/notifications/read', { id: one, page: '2' })).headers.location).toBe('/notifications?page=2');

    expect((await web.post('/notifications/read', {})).headers.location).toBe('/notifications');
    const read = await web.get('/notifications');
    expect(unread(read.body)).toBe(0);
    expect(read.body).not.toContain('Mark all read');
    const left = await t.store.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', user.id)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);

    await web.post('/notifications/dismiss', {});
    const after = await web.get('/notifications');
    expect(after.body).toContain('Nothing new.');
    expect(after.body).not.toContain('Page 1 of');
  });
});
