// Backups that cannot half-work, on each database: `steward backup` while a real server takes writes,
// `steward restore` into an empty place, every table compared, and a login's password decrypted with the
// restored key. And the key check: Steward refuses to start on a database whose secrets its key cannot
// open, instead of quietly making a new key.
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revealLoginSecrets, createLogin } from '../src/logins/login.service.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { DatabaseKind } from '../src/platform/config.ts';
import { openStore, type Store } from '../src/platform/db/store.ts';
import { loadSecretBox } from '../src/platform/secrets.ts';
import { runCli } from './support/cli.ts';
import { createEmptyDatabase, DIALECTS } from './support/databases.ts';
import { requesterAt, type Requester } from './support/http.ts';
import { adminKey, createClientV1, freePort, startServer, type RunningServer } from './support/server.ts';

/** Every table's rows, in a stable order, as JSON text per table. */
async function tableContents(store: Store, dialect: DatabaseKind): Promise<Record<string, string>> {
  const tables =
    dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like 'asset_search_%' order by name`.execute(
            store.db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
            store.db,
          )
        ).rows.map((r) => r.name);
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db)).rows;
    out[table] = JSON.stringify(rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v))).sort());
  }
  return out;
}

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  const dirs = [
    mkdtempSync(join(tmpdir(), 'steward-backup-a-')),
    mkdtempSync(join(tmpdir(), 'steward-backup-b-')),
    mkdtempSync(join(tmpdir(), 'steward-backup-c-')),
  ];
  const drops: Array<() => Promise<void>> = [];
  const urls: string[] = [];
  let server: RunningServer;
  let http: Requester;
  let key = '';
  let clientId = 0;
  let loginId = 0;
  const envOf = (i: number) => ({ STEWARD_DATA_DIR: dirs[i]!, STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : urls[i]! });
  const storeOf = (i: number) => openStore({ kind: dialect, url: dialect === 'sqlite' ? join(dirs[i]!, 'steward.db') : urls[i]! });

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const db = await createEmptyDatabase(dialect);
      urls.push(db.url);
      drops.push(db.drop);
    }
    key = await adminKey(envOf(0));
    server = await startServer(envOf(0));
    http = requesterAt(server.port);
    clientId = await createClientV1(http, key, 'Backup Co');
    const store = storeOf(0);
    try {
      const ctx: Ctx = { db: store.db, dialect, actor: { type: 'system', name: 'test' }, principal: null, source: 'system' };
      loginId = (
        await createLogin(ctx, loadSecretBox({ dataDir: dirs[0]!, secretKey: null }), {
          clientId,
          name: 'Firewall admin',
          username: 'admin',
          password: 'S3cret!-backup',
        })
      ).id;
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    for (const drop of drops) await drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while the server takes writes, restores into an empty place, and the copy is consistent and complete', async () => {
    let running = true;
    const acknowledged: string[] = [];
    let n = 0;
    const load = Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        while (running) {
          const name = `LOAD-${w}-${n++}`;
          const res = await http({
            method: 'POST',
            url: '/api/v1/assets/create.php',
            payload: { api_key: key, client_id: String(clientId), asset_name: name },
          });
          expect(res.statusCode).toBe(200);
          acknowledged.push(name);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = acknowledged.length;
    const file = join(dirs[0]!, 'under-load.tar.gz');
    const made = await runCli(['backup', '--output', file, '--include-key'], envOf(0));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/wrote .*under-load\.tar\.gz/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await load;
    expect(acknowledged.length).toBeGreaterThan(before);

    const restored = await runCli(['restore', file], envOf(1));
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('the secret key opens the restored secrets');
    const copy = storeOf(1);
    try {
      const names = new Set((await copy.db.selectFrom('assets').select('name').execute()).map((r) => r.name));
      // Everything acknowledged before the backup began is in it.
      for (const name of acknowledged.slice(0, before)) expect(names.has(name)).toBe(true);
      // A consistent snapshot: every asset with its primary interface and its creation in the history.
      const orphans = await copy.db
        .selectFrom('assets as a')
        .where((eb) =>
          eb.or([
            eb.not(
              eb.exists(eb.selectFrom('asset_interfaces as i').select('i.id').whereRef('i.asset_id', '=', 'a.id').where('i.is_primary', '=', sql.lit(true))),
            ),
            eb.not(eb.exists(eb.selectFrom('asset_events as e').select('e.id').whereRef('e.asset_id', '=', 'a.id').where('e.action', '=', 'created'))),
          ]),
        )
        .select('a.id')
        .execute();
      expect(orphans).toEqual([]);
      const ctx: Ctx = { db: copy.db, dialect, actor: { type: 'system', name: 'test' }, principal: null, source: 'system' };
      const secrets = await revealLoginSecrets(ctx, loadSecretBox({ dataDir: dirs[1]!, secretKey: null }), loginId);
      expect(secrets).toMatchObject({ username: 'admin', password: 'S3cret!-backup' });
    } finally {
      await copy.close();
    }
  }, 180_000);

  it('restores a backup of a quiet server table for table, and refuses to restore over data', async () => {
    const file = join(dirs[0]!, 'quiet.tar.gz');
    const made = await runCli(['backup', '--output', file], envOf(0));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain('does not include the secret key');
    // Without the key in the backup, the admin brings the key file they kept apart.
    copyFileSync(join(dirs[0]!, 'secret.key'), join(dirs[2]!, 'secret.key'));
    const restored = await runCli(['restore', file], envOf(2));
    expect(restored.code, restored.stderr).toBe(0);
    const [source, copy] = [storeOf(0), storeOf(2)];
    try {
      const [a, b] = [await tableContents(source, dialect), await tableContents(copy, dialect)];
      expect(Object.keys(b)).toEqual(Object.keys(a));
      for (const table of Object.keys(a)) expect(b[table], table).toBe(a[table]);
    } finally {
      await source.close();
      await copy.close();
    }
    const again = await runCli(['restore', file], envOf(2));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds data/);
  }, 120_000);

  it("refuses to start when the secret key does not open the database's secrets, saying how to supply it", async () => {
    const keyFile = join(dirs[2]!, 'secret.key');
    const kept = `${keyFile}.kept`;
    renameSync(keyFile, kept);
    try {
      const missing = await runCli(['serve'], { ...envOf(2), STEWARD_PORT: String(await freePort()) });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/holds secrets encrypted with a key that is not here.*secret\.key/);
      expect(existsSync(keyFile)).toBe(false);
      const wrong = await runCli(['serve'], {
        ...envOf(2),
        STEWARD_PORT: String(await freePort()),
        STEWARD_SECRET_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/STEWARD_SECRET_KEY does not open this database's secrets/);
    } finally {
      renameSync(kept, keyFile);
    }
  }, 60_000);
});
