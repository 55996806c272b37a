// An integrator's sync, end to end, against real `steward serve` processes on each database (SQLite: one
// server with its processes; PostgreSQL: two servers sharing the database), through a client typed by
// the declarations openapi-typescript generates from the live OpenAPI document (test/v2-sync/client.ts,
// type-checked here first): create 100 assets idempotently, run again with nothing created twice,
// update under If-Match, lose a race with 412, bulk-patch, receive the webhooks on a local receiver and
// verify their signatures, then kill every server in the middle of a delivery and see every event
// arrive, acknowledged exactly once, after a restart.
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/platform/context.ts';
import { setPrivateTargetsAllowed } from '../src/webhooks/webhook-target.ts';
import { apiTypesOf, currentDocument } from './support/api-types.ts';
import { runCli } from './support/cli.ts';
import { DIALECTS } from './support/databases.ts';
import { useFleet } from './support/fleet.ts';
import { startServer } from './support/server.ts';

const SYNC_DIR = fileURLToPath(new URL('./v2-sync/', import.meta.url));
const PASSWORD = 'plum-orchard-lantern-47';

/** What test/v2-sync/client.ts offers (it is type-checked on its own, against the generated types). */
type Call = (method: string, path: string, options?: object) => Promise<{ status: number; headers: Headers; body: unknown }>;
interface SyncClient {
  stewardV2(base: string, key: string): Call;
  registerWebhook(call: Call, url: string): Promise<string>;
  addClient(call: Call, name: string): Promise<number>;
  syncDevices(call: Call, clientId: number, count: number): Promise<Array<{ id: number; status: number; replayed: boolean }>>;
  countAssets(call: Call, clientId: number): Promise<number>;
  updateAndLoseARace(call: Call, id: number): Promise<{ updated: number; etagChanged: boolean; late: number; status: string | null }>;
  retire(call: Call, ids: number[]): Promise<number[]>;
  addAsset(call: Call, clientId: number, name: string): Promise<number>;
}

interface Received {
  deliveryId: string;
  event: { id: string; type: string; data: { id: number } };
  signed: boolean;
  acknowledged: boolean;
}

/** A webhook receiver on 127.0.0.1 that checks signatures and can hold a delivery without answering. */
function receiver(secret: () => string) {
  const received: Received[] = [];
  let holding = false;
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const header = String(req.headers['x-steward-signature'] ?? '');
      const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
      const signed = parts.v1 === createHmac('sha256', secret()).update(`${parts.t}.${body}`).digest('hex');
      const entry: Received = { deliveryId: String(req.headers['x-steward-delivery']), event: JSON.parse(body), signed, acknowledged: false };
      received.push(entry);
      if (holding) {
        held.push(res);
        return;
      }
      entry.acknowledged = true;
      res.end('ok');
    });
  });
  return {
    server,
    received,
    held,
    hold(on: boolean) {
      holding = on;
    },
    acknowledged: () => received.filter((r) => r.acknowledged),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(DIALECTS)('an integrator’s sync over API v2 on %s', (dialect) => {
  let key = '';
  const fleet = useFleet(dialect, {}, async (env) => {
    expect((await runCli(['user', 'create', '--email', 'sync@example.test', '--name', 'Sync', '--role', 'admin', '--password', PASSWORD], env)).code).toBe(0);
    const made = await runCli(['apikey', 'create', '--user', 'sync@example.test', '--name', 'RMM sync'], env);
    expect(made.code).toBe(0);
    key = made.stdout.trim();
  });
  let secret = '';
  const hook = receiver(() => secret);
  let call: Call;
  let sync: SyncClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    // The client compiles against the types generated from this version's document, or the test stops here.
    writeFileSync(`${SYNC_DIR}steward-api-v2.d.ts`, await apiTypesOf(await currentDocument()));
    const program = ts.createProgram([`${SYNC_DIR}client.ts`], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
    sync = (await import(`${SYNC_DIR}client.ts`)) as SyncClient;
    call = sync.stewardV2(fleet.servers[0]!.url, key);
    await setPrivateTargetsAllowed({ db: fleet.store.db, dialect, actor: SYSTEM_ACTOR, principal: null, source: 'cli' }, true);
  }, 120_000);
  afterAll(async () => {
    for (const res of hook.held) res.destroy();
    await new Promise((resolve) => hook.server.close(resolve));
  });

  it('syncs 100 assets idempotently, updates under If-Match, and gets every webhook exactly once across a crash', async () => {
    const port = (hook.server.address() as { port: number }).port;
    secret = await sync.registerWebhook(call, `http://127.0.0.1:${port}/steward`);
    const clientId = await sync.addClient(call, 'Sync Co');

    // Two runs of the same sync: the second creates nothing and gets the same answers back.
    const first = await sync.syncDevices(call, clientId, 100);
    const second = await sync.syncDevices(call, clientId, 100);
    expect(first.every((a) => a.status === 201 && !a.replayed)).toBe(true);
    expect(second.every((a) => a.status === 201 && a.replayed)).toBe(true);
    expect(second.map((a) => a.id)).toEqual(first.map((a) => a.id));
    expect(await sync.countAssets(call, clientId)).toBe(100);

    // An update under If-Match; a second writer holding the old version loses with 412.
    expect(await sync.updateAndLoseARace(call, first[0]!.id)).toEqual({ updated: 200, etagChanged: true, late: 412, status: 'Deployed' });
    expect(
      await sync.retire(
        call,
        first.slice(1, 11).map((a) => a.id),
      ),
    ).toEqual(Array(10).fill(200));

    // 100 created, 1 + 10 updated: each delivered, signed, once.
    await until('111 webhooks', () => hook.acknowledged().length >= 111);
    expect(hook.received.every((r) => r.signed)).toBe(true);
    const types = hook.acknowledged().map((r) => r.event.type);
    expect(types.filter((t) => t === 'asset.created')).toHaveLength(100);
    expect(types.filter((t) => t === 'asset.updated')).toHaveLength(11);

    // A delivery in flight when every server process is killed outright.
    hook.hold(true);
    const lastId = await sync.addAsset(call, clientId, 'WS-LAST');
    await until('the held delivery', () => hook.held.length === 1);
    for (const server of fleet.servers) {
      spawnSync('pkill', ['-KILL', '-P', String(server.child.pid)]);
      server.child.kill('SIGKILL');
      await server.exited;
    }
    for (const res of hook.held.splice(0)) res.destroy();
    hook.hold(false);
    // The dead process's lease on the delivery runs out (a minute, in real time).
    await fleet.store.db.updateTable('webhook_deliveries').set({ claimed_until: '2000-01-01T00:00:00.000Z' }).where('claimed_until', 'is not', null).execute();
    fleet.servers.splice(0, fleet.servers.length, await startServer(fleet.env));

    await until('the last asset’s webhook after the restart', () =>
      hook.acknowledged().some((r) => r.event.type === 'asset.created' && r.event.data.id === lastId),
    );
    const acknowledged = hook.acknowledged().map((r) => r.event.id);
    expect(new Set(acknowledged).size).toBe(112);
    expect(acknowledged).toHaveLength(112);
    expect(hook.received.filter((r) => r.event.data.id === lastId).every((r) => r.signed)).toBe(true);
  }, 180_000);
});
