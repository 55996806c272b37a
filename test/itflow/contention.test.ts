// A write that meets other writers for longer than it may wait. ITFlow's scripts read `success` and
// nothing else, so /api/v1 answers such a write in ITFlow's envelope ({"success":"False"} naming the
// cause, with Retry-After) rather than a bare 503 they cannot tell from a crash (issue 14, point 4).
// Reproduced by holding SQLite's write lock from another process past STEWARD_DB_LOCK_TIMEOUT (1 s),
// and on PostgreSQL by holding a lock on the assets table past the same timeout.
import SQLite from '../../src/platform/db/sqlite-binding.ts';
import pg from 'pg';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { useFleet } from '../support/fleet.ts';
import { envelope, FORM, get, post, psJson, type Answer } from '../support/powershell.ts';
import { adminKey } from '../support/server.ts';

describe.each(DIALECTS)('v1 writes that meet a held lock on %s', (dialect) => {
  let key = '';
  const fleet = useFleet(dialect, { STEWARD_DB_LOCK_TIMEOUT: '1' }, async (env) => {
    key = await adminKey(env);
  });
  const port = () => fleet.servers[0]!.port;

  /** Takes the lock a create needs, from outside Steward, until released. */
  async function holdLock(): Promise<() => Promise<void>> {
    if (dialect === 'sqlite') {
      const other = new SQLite(join(fleet.env.STEWARD_DATA_DIR!, 'steward.db'));
      other.exec('begin immediate');
      return async () => {
        other.exec('rollback');
        other.close();
      };
    }
    const other = new pg.Client({ connectionString: fleet.env.STEWARD_DATABASE_URL });
    await other.connect();
    await other.query('begin');
    await other.query('lock table assets in access exclusive mode');
    return async () => {
      await other.query('rollback');
      await other.end();
    };
  }

  it('answers {"success":"False"} with Retry-After, writes nothing, and takes the write once the lock is gone', async () => {
    const made = envelope(await post(port(), '/api/v1/clients/create.php', psJson({ api_key: key, client_name: 'Locked Co' }), FORM));
    const clientId = String(made.data![0]!.insert_id);
    const body = psJson({ api_key: key, client_id: clientId, asset_name: 'WAITS-TOO-LONG' });
    const release = await holdLock();
    let answer: Answer;
    try {
      answer = await post(port(), '/api/v1/assets/create.php', body, FORM);
    } finally {
      await release();
    }
    expect(answer.status, answer.body).toBe(200);
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(envelope(answer)).toMatchObject({ success: 'False', message: expect.stringMatching(/busy|try again/i) });
    const read = envelope(await get(port(), `/api/v1/assets/read.php?api_key=${key}&asset_name=WAITS-TOO-LONG`));
    expect(read.success).toBe('False');
    expect(envelope(await post(port(), '/api/v1/assets/create.php', body, FORM)).success).toBe('True');
  }, 60_000);
});

// Reading an asset that another writer has locked past the timeout is "busy", never "does not exist":
// a load turns only a real absence into "not found" (issue 15: no `.catch(() => null)` on loads).
// PostgreSQL only: SQLite's readers never wait for a writer.
describe.each(DIALECTS.filter((d) => d === 'postgres'))('loads that meet a held lock on %s', (dialect) => {
  let key = '';
  const fleet = useFleet(dialect, { STEWARD_DB_LOCK_TIMEOUT: '1' }, async (env) => {
    key = await adminKey(env);
  });
  const port = () => fleet.servers[0]!.port;

  it('answers a transfer preview 503 busy, not "asset does not exist", while the asset cannot be read', async () => {
    const client = (name: string) =>
      post(port(), '/api/v1/clients/create.php', psJson({ api_key: key, client_name: name }), FORM).then((a) => String(envelope(a).data![0]!.insert_id));
    const from = await client('Locked From');
    const to = await client('Locked To');
    const assetId = envelope(await post(port(), '/api/v1/assets/create.php', psJson({ api_key: key, client_id: from, asset_name: 'READ-LOCKED' }), FORM))
      .data![0]!.insert_id;
    const preview = () =>
      fetch(`http://127.0.0.1:${port()}/api/v2/assets/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ asset_ids: [Number(assetId)], to_client_id: Number(to), dry_run: true }),
      });
    const other = new pg.Client({ connectionString: fleet.env.STEWARD_DATABASE_URL });
    await other.connect();
    let answer: Response;
    try {
      await other.query('begin');
      await other.query('lock table assets in access exclusive mode');
      answer = await preview();
    } finally {
      await other.query('rollback');
      await other.end();
    }
    const body = await answer.text();
    expect(answer.status, body).toBe(503);
    expect(body).not.toContain('does not exist');
    expect((await preview()).status).toBe(200);
  }, 60_000);
});
