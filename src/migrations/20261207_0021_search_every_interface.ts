// The search text of an asset now holds the addresses of every interface, not only the primary's
// (a laptop's Wi-Fi MAC, a server's management port). Rewrites it for the assets that have more than
// one interface, with the same builder the asset rules use.
import { sql, type Kysely } from 'kysely';
import { searchDocument } from '../assets/search-text.ts';
import { assetRowToAsset, interfaceRowToInterface } from '../assets/asset.ts';
import type { Kit } from './schema-kit.ts';

const BATCH = 500;

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  let after = 0;
  for (;;) {
    const ids = (
      await db
        .selectFrom('asset_interfaces')
        .select('asset_id')
        .where('asset_id', '>', after)
        .groupBy('asset_id')
        .having(sql`count(*)`, '>', 1)
        .orderBy('asset_id')
        .limit(BATCH)
        .execute()
    ).map((r) => r.asset_id as number);
    if (ids.length === 0) return;
    after = ids.at(-1)!;
    const [assets, interfaces] = await Promise.all([
      db.selectFrom('assets').selectAll().where('id', 'in', ids).execute(),
      db.selectFrom('asset_interfaces').selectAll().where('asset_id', 'in', ids).orderBy('is_primary', 'desc').orderBy('name').orderBy('id').execute(),
    ]);
    for (const row of assets) {
      const own = interfaces.filter((i) => i.asset_id === row.id).map((i) => interfaceRowToInterface(i as Parameters<typeof interfaceRowToInterface>[0]));
      const doc = searchDocument(assetRowToAsset(row as Parameters<typeof assetRowToAsset>[0]), own);
      if (kit.dialect === 'sqlite') {
        await sql`delete from asset_search where rowid = ${row.id}`.execute(db);
        await sql`insert into asset_search (rowid, doc) values (${row.id}, ${doc})`.execute(db);
      } else {
        await sql`insert into asset_search (asset_id, doc) values (${row.id}, ${doc}) on conflict (asset_id) do update set doc = excluded.doc`.execute(db);
      }
    }
  }
}
