// Transfer of many assets in one action (target: 500 assets in under 5 s on SQLite): each copied with
// its two interfaces, tags and notes, the originals archived, all in one transaction.
//
//   npm run bench:transfer                  500 assets out of 10,000, on SQLite
//   npm run bench:transfer -- --count 2000 --pg
import { parseArgs } from 'node:util';
import { loadPrincipal } from '../src/access/access.ts';
import { createUser } from '../src/accounts/user.service.ts';
import { addInterface } from '../src/assets/interface.service.ts';
import { addAssetNote } from '../src/assets/asset-note.service.ts';
import { generateAssets } from '../src/demo/generate.ts';
import type { Ctx } from '../src/platform/context.ts';
import { transferAssets } from '../src/transfers/transfer.service.ts';
import { freshPostgres, freshSqlite, type BenchDatabase } from './databases.ts';

const { values } = parseArgs({ options: { count: { type: 'string' }, pg: { type: 'boolean' } } });
const count = Number(values.count ?? 500);

async function run(label: string, db: BenchDatabase): Promise<void> {
  try {
    const ctx: Ctx = { db: db.store.db, dialect: db.store.dialect, actor: { type: 'system', name: 'bench' }, principal: null, source: 'system' };
    await generateAssets(db.store, { assets: 10_000, clients: 2 });
    const user = await createUser(ctx, { email: 'bench@transfer.test', name: 'Bench', password: 'fern-quilt-38', role: 'admin' });
    const principal = (await loadPrincipal(ctx, user.id))!;
    const clients = await ctx.db.selectFrom('clients').select('id').orderBy('id').execute();
    const ids = (await ctx.db.selectFrom('assets').select('id').where('client_id', '=', clients[0]!.id).orderBy('id').limit(count).execute()).map((r) => r.id);
    for (const id of ids.slice(0, 50)) {
      await addInterface(ctx, id, { name: 'wlan0', mac: null, ip: 'DHCP' });
      await addAssetNote(ctx, id, { type: 'Note', body: 'Checked before transfer' });
    }
    const started = performance.now();
    const result = await transferAssets({ ...ctx, actor: { type: 'user', userId: user.id, name: 'Bench' } }, principal, {
      assetIds: ids,
      toClientId: clients[1]!.id,
      reason: 'bench',
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${label}: transferred ${result.transfers.length} assets in one action in ${seconds.toFixed(2)} s (${Math.round(result.transfers.length / seconds)} assets/s; target: 500 in under 5 s on SQLite)`,
    );
  } finally {
    await db.drop();
  }
}

await run('SQLite', await freshSqlite());
if (values.pg) await run('PostgreSQL', await freshPostgres(process.env.STEWARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));
