// Parallel writers, the way MSPs run Steward: RMM agents creating and updating assets through API v1
// while technicians save forms, against real `steward serve` processes — on SQLite with the default
// number of processes, and on PostgreSQL with two servers sharing the database. Nothing may fail for
// lack of a lock, no answer may be a 5xx, and no accepted change may be lost.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.ts';
import { useFleet } from './support/fleet.ts';
import type { HttpResponse } from './support/http.ts';
import { adminKey, createClientV1 } from './support/server.ts';
import { WebClient } from './support/web-client.ts';

const WRITERS = 8;
const CREATES_EACH = 100;
const UPDATERS = 4;
const UPDATES_EACH = 50;

interface Tally {
  ok: number;
  failed: Array<{ status: number; body: string }>;
}

function tally(): Tally {
  return { ok: 0, failed: [] };
}

function count(t: Tally, res: HttpResponse, ok: (res: HttpResponse) => boolean): boolean {
  if (ok(res)) {
    t.ok++;
    return true;
  }
  t.failed.push({ status: res.statusCode, body: res.body.slice(0, 300) });
  return false;
}

const v1Ok = (res: HttpResponse) => res.statusCode === 200 && (res.json() as { success?: string }).success === 'True';

describe.each(DIALECTS)('parallel writers on %s', (dialect) => {
  // SQLite: one server with the default number of processes. PostgreSQL: two servers on one database.
  let key = '';
  let clientId = 0;
  const fleet = useFleet(dialect, {}, async (env) => {
    key = await adminKey(env, 'rmm@example.test');
  });
  beforeAll(async () => {
    clientId = await createClientV1(fleet.http[0]!, key, 'Parallel Co');
  });
  const server = (i: number) => fleet.server(i);

  it(`takes ${WRITERS} writers × ${CREATES_EACH} creates and ${UPDATERS} × ${UPDATES_EACH} updates of one asset through API v1 without a failure or a lost update`, async () => {
    const first = await server(0)({
      method: 'POST',
      url: '/api/v1/assets/create.php',
      payload: { api_key: key, client_id: String(clientId), asset_name: 'CONTENDED-01' },
    });
    expect(v1Ok(first), first.body).toBe(true);
    const assetId = Number((first.json() as { data: Array<{ insert_id: string }> }).data[0]!.insert_id);

    const creates = tally();
    const updates = tally();
    const accepted: string[] = [];
    await Promise.all([
      ...Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < CREATES_EACH; i++) {
          const res = await server(w)({
            method: 'POST',
            url: '/api/v1/assets/create.php',
            payload: { api_key: key, client_id: String(clientId), asset_name: `W${w}-${i}`, asset_serial: `SN-${w}-${i}` },
          });
          count(creates, res, v1Ok);
        }
      }),
      ...Array.from({ length: UPDATERS }, async (_, u) => {
        for (let i = 0; i < UPDATES_EACH; i++) {
          const description = `set by updater ${u}, round ${i}`;
          const res = await server(u)({
            method: 'POST',
            url: '/api/v1/assets/update.php',
            payload: { api_key: key, client_id: String(clientId), asset_id: String(assetId), asset_description: description },
          });
          if (count(updates, res, v1Ok)) accepted.push(description);
        }
      }),
    ]);

    expect(creates.failed).toEqual([]);
    expect(updates.failed).toEqual([]);
    expect(creates.ok).toBe(WRITERS * CREATES_EACH);
    const stored = await fleet.store.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(WRITERS * CREATES_EACH + 1);

    // Every accepted update is in the history, each event's old value the previous one's new value.
    const events = await fleet.store.db
      .selectFrom('asset_events')
      .select(['id', 'action', 'changes'])
      .where('asset_id', '=', assetId)
      .where('action', '=', 'updated')
      .orderBy('id')
      .execute();
    const chain = events.map((e) => {
      const changes = (typeof e.changes === 'string' ? JSON.parse(e.changes) : e.changes) as Array<{ field: string; old: unknown; new: unknown }>;
      return changes.find((c) => c.field === 'description')!;
    });
    expect(chain.map((c) => c.new).sort()).toEqual([...accepted].sort());
    let previous: unknown = null;
    for (const change of chain) {
      expect(change.old).toBe(previous);
      previous = change.new;
    }
    const asset = await fleet.store.db.selectFrom('assets').select(['description', 'version']).where('id', '=', assetId).executeTakeFirstOrThrow();
    expect(asset.description).toBe(previous);
    expect(asset.version).toBe(accepted.length + 1);
  }, 300_000);

  it('takes parallel web forms: asset creates and 36 ticket creates, each ticket with its own number', async () => {
    const signIn = async (i: number) => {
      const web = new WebClient(server(i));
      await web.get('/sign-in');
      const res = await web.post('/sign-in', { email: 'rmm@example.test', password: 'correct horse' });
      expect(res.statusCode).toBe(303);
      await web.get(`/clients/${clientId}/tickets/new`);
      return web;
    };
    const browsers = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(i)));
    const forms = tally();
    await Promise.all([
      ...browsers.map(async (web, b) => {
        for (let i = 0; i < 6; i++) {
          const res = await web.post(`/clients/${clientId}/tickets/new`, { subject: `Printer jam ${b}-${i}`, status: 'New', priority: 'Low' });
          count(forms, res, (r) => r.statusCode === 303);
        }
      }),
      ...browsers.map(async (web, b) => {
        for (let i = 0; i < 10; i++) {
          const res = await web.post(`/assets/new?client_id=${clientId}`, { name: `FORM-${b}-${i}`, type: 'Laptop' });
          count(forms, res, (r) => r.statusCode === 303);
        }
      }),
    ]);
    expect(forms.failed).toEqual([]);
    const tickets = await fleet.store.db.selectFrom('tickets').select('number').where('client_id', '=', clientId).execute();
    expect(tickets).toHaveLength(36);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(36);
    const formAssets = await fleet.store.db.selectFrom('assets').select('id').where('client_id', '=', clientId).where('name', 'like', 'FORM-%').execute();
    expect(formAssets).toHaveLength(60);
  }, 300_000);

  it('logged nothing at error level while under load', () => {
    for (const s of fleet.servers) expect(s.output()).not.toMatch(/"level":(50|60)/);
  });
});
