// `steward apikey create` with a scope and `apikey list` showing it, through the real command on each
// database: read only, modules and clients; a scope the key's user cannot have is refused in one line
// naming the field, and the key made acts with the narrowed rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../src/accounts/api-key.service.ts';
import { canSeeClient } from '../src/access/access.ts';
import { createClient } from '../src/clients/client.service.ts';
import type { Ctx } from '../src/platform/context.ts';
import { openStore, type Store } from '../src/platform/db/store.ts';
import { runCli as run } from './support/cli.ts';
import { createEmptyDatabase, DIALECTS } from './support/databases.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe.each(DIALECTS)('steward apikey with scopes on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-apikey-cli-'));
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let store: Store;
  let ctx: Ctx;
  let clients: { a: number; b: number };

  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    env = { STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: db.url };
    const migrated = await run(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const user = await run(['user', 'create', '--email', 'sync@cli.test', '--name', 'Sync', '--role', 'technician'], env, 'plum-orchard-lantern-47\n');
    expect(user.code, user.stderr).toBe(0);
    store = openStore({ kind: dialect, url: db.url });
    ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: 'test setup' }, principal: null, source: 'system' };
    clients = { a: (await createClient(ctx, { name: 'CLI Allowed' })).id, b: (await createClient(ctx, { name: 'CLI Hidden' })).id };
    const { id } = await store.db.selectFrom('users').select('id').where('email', '=', 'sync@cli.test').executeTakeFirstOrThrow();
    await store.db.insertInto('user_client_access').values({ user_id: id, client_id: clients.a, mode: 'allow' }).execute();
  });
  afterAll(async () => {
    await store.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a scoped key, lists its scope, and the key acts with no more than it', async () => {
    const made = await run(
      ['apikey', 'create', '--user', 'sync@cli.test', '--name', 'reporting', '--read-only', '--modules', 'support,client', '--clients', String(clients.a)],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^\S{30,}$/);
    const plain = await run(['apikey', 'create', '--user', 'sync@cli.test', '--name', 'everything'], env);
    expect(plain.code, plain.stderr).toBe(0);

    const list = await run(['apikey', 'list'], env);
    expect(list.stdout).toMatch(/\treporting\tsync@cli\.test\t\S+…\tRead only · Clients, Assets · 1 client\tno expiry\tnever used/);
    expect(list.stdout).toMatch(/\teverything\tsync@cli\.test\t\S+…\tSame as its user\t/);
    const json = JSON.parse((await run(['apikey', 'list', '--json'], env)).stdout) as unknown[];
    expect(json).toEqual([
      expect.objectContaining({
        name: 'reporting',
        readOnly: true,
        modules: ['client', 'support'],
        clientIds: [clients.a],
        scope: 'Read only · Clients, Assets · 1 client',
      }),
      expect.objectContaining({ name: 'everything', readOnly: false, modules: null, clientIds: null, scope: 'Same as its user' }),
    ]);

    const auth = await authenticateApiKey(ctx, secret);
    expect(auth?.principal.levels).toEqual({ client: 1, support: 1, credential: 0, sales: 0, financial: 0, reporting: 0 });
    expect(canSeeClient(auth!.principal, clients.a)).toBe(true);
    expect(canSeeClient(auth!.principal, clients.b)).toBe(false);
  });

  it.each([
    [['--clients', 'B'], /clients: sync@cli\.test may not see/],
    [['--modules', 'support,wizardry'], /modules: "wizardry" is not a module; modules are client, support, credential/],
    [['--modules', ''], /modules: name at least one module/],
  ])('refuses %j in one line naming the field, and makes no key', async (extra, message) => {
    const args = extra.map((a) => (a === 'B' ? String(clients.b) : a));
    const keys = () => store.db.selectFrom('api_keys').select('id').execute();
    const before = await keys();
    const res = await run(['apikey', 'create', '--user', 'sync@cli.test', '--name', 'too wide', ...args], env);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
    if (extra[1] === 'B') expect(res.stderr).toContain(`sync@cli.test may not see CLI Hidden (client ${clients.b})`);
    expect(await keys()).toEqual(before);
  });

  it('shows the new options in its help', async () => {
    const help = await run(['apikey', 'create', '--help'], env);
    for (const option of ['--read-only', '--modules <list>', '--clients <ids>']) expect(help.stdout).toContain(option);
  });
});
