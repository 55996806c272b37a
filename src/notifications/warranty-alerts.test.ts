// The warranty alert job on each database, with dates moved by the test rather than by waiting: alerts
// at 45, 7 and 1 days, only for users who may see the client, never for archived assets or clients,
// never twice (reruns, restarts, missed days), then read and dismissed in the web UI, and the
// dashboard limited to the user's clients.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { archiveAsset, createAsset } from '../assets/asset.service.ts';
import { archiveClient, createClient } from '../clients/client.service.ts';
import { addDays, todayOf } from '../platform/dates.ts';
import { alertDue, runWarrantyAlerts } from './warranty-alerts.ts';

describe('which alert is due', () => {
  it('is the nearest of 45, 7 and 1 days not yet passed, and none outside 0–45 days', () => {
    expect([46, 45, 30, 8, 7, 5, 2, 1, 0, -1].map(alertDue)).toEqual([null, 45, 45, 45, 7, 7, 7, 1, 1, null]);
  });
});

describe.each(DIALECTS)('warranty alerts on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);

  it('alerts the right users once per alert, catches up missed days, and shows them on the dashboard', async () => {
    const today = todayOf(t.ctx);
    const a = await createClient(t.ctx, { name: 'Alert Client A' });
    const b = await createClient(t.ctx, { name: 'Alert Client B' });
    const gone = await createClient(t.ctx, { name: 'Alert Client Archived' });
    const admin = await createUser(t.ctx, { email: 'admin@alerts.test', name: 'Admin', password: 'correct horse', role: 'admin' });
    const tech = await createUser(t.ctx, { email: 'tech@alerts.test', name: 'Tech', password: 'correct horse', role: 'technician' });
    await t.store.db.insertInto('user_client_access').values({ user_id: tech.id, client_id: a.id, mode: 'allow' }).execute();
    const off = await createUser(t.ctx, { email: 'off@alerts.test', name: 'Off', password: 'correct horse', role: 'admin' });
    await t.store.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', off.id).execute();

    const a45 = await createAsset(t.ctx, { clientId: a.id, name: 'A-45', warrantyExpire: addDays(today, 45) });
    await createAsset(t.ctx, { clientId: a.id, name: 'A-7', warrantyExpire: addDays(today, 7) });
    const archived = await createAsset(t.ctx, { clientId: a.id, name: 'A-ARCHIVED', warrantyExpire: addDays(today, 7) });
    await archiveAsset(t.ctx, archived.id);
    await createAsset(t.ctx, { clientId: b.id, name: 'B-1', warrantyExpire: addDays(today, 1) });
    await createAsset(t.ctx, { clientId: gone.id, name: 'GONE-7', warrantyExpire: addDays(today, 7) });
    await archiveClient(t.ctx, gone.id);
    await createAsset(t.ctx, { clientId: a.id, name: 'A-LATER', warrantyExpire: addDays(today, 46) });

    const mine = async (userId: number) =>
      (await t.store.db.selectFrom('notifications').select(['title', 'days_before']).where('user_id', '=', userId).orderBy('id').execute()).map(
        (n) => `${n.title.split(' ')[2]}@${n.days_before}`,
      );
    const first = await runWarrantyAlerts(t.ctx, today);
    expect(first.assets).toBe(3);
    expect(first.created).toBe(
      Number(
        (
          await t.store.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    expect((await mine(admin.id)).sort()).toEqual(['A-45@45', 'A-7@7', 'B-1@1']);
    expect((await mine(tech.id)).sort()).toEqual(['A-45@45', 'A-7@7']);
    expect(await mine(off.id)).toEqual([]);

    // A rerun the same day (or after a restart) says nothing new.
    expect((await runWarrantyAlerts(t.ctx, today)).created).toBe(0);
    // 38 days on, A-45 has 7 days left: its 7-day alert; A-LATER now has 8: its 45-day one. Days 1–37
    // were missed, and nothing else is owed for them (A-7's 1-day alert has passed unsent, as it ended).
    await runWarrantyAlerts(t.ctx, addDays(today, 38));
    expect((await mine(tech.id)).sort()).toEqual(['A-45@45', 'A-45@7', 'A-7@7', 'A-LATER@45']);
    // The last day: the 1-day alert, once.
    await runWarrantyAlerts(t.ctx, addDays(today, 44));
    await runWarrantyAlerts(t.ctx, addDays(today, 44));
    expect((await mine(tech.id)).filter((n) => n === 'A-45@1')).toHaveLength(1);
    expect(a45.id).toBeGreaterThan(0);

    const web = await site.signIn('tech@alerts.test');
    const dashboard = await web.get('/dashboard');
    const unread = (html: string) => Number(/data-unread="true">(\d+)</.exec(html)?.[1] ?? 0);
    // A-45 at 45, 7 and 1 days; A-7 at 7; A-LATER at 45 and (2 days left on day 44) 7.
    expect(unread(dashboard.body)).toBe(6);
    expect(dashboard.body).toContain('Warranty of A-45 (Alert Client A) ends');
    expect(dashboard.body).not.toContain('B-1');
    const list = await web.get('/notifications');
    const newest = /data-notification="(\d+)"/.exec(list.body)![1]!;
    await web.post('/notifications/read', { id: newest });
    expect(unread((await web.get('/notifications')).body)).toBe(5);
    await web.post('/notifications/dismiss', {});
    const after = await web.get('/notifications');
    expect(after.body).toContain('Nothing new.');
    expect(unread(after.body)).toBe(0);
  });
});
