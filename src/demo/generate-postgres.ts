// The PostgreSQL side of `steward generate`: one transaction, rows sent in batches through unnest(),
// and the secondary indexes of the bulk-loaded tables rebuilt once at the end.
import type { Store } from '../platform/db/store.ts';
import type { Row, Writer } from './generate.types.ts';

export async function postgresWriter(store: Store, at: string): Promise<Writer> {
  const client = await store.pool!.connect();
  // Secondary indexes of the loaded tables (not those backing keys or constraints), rebuilt once at the
  // end from their own definitions: much faster than maintaining them row by row. DDL is
  // transactional here, so a failure leaves them exactly as they were.
  let indexes: Array<{ name: string; definition: string }> = [];
  try {
    await client.query('begin');
    indexes = (
      await client.query<{ name: string; definition: string }>(
        `select i.indexname as name, i.indexdef as definition from pg_indexes i
         where i.schemaname = current_schema() and i.tablename in ('assets', 'asset_interfaces', 'asset_events', 'asset_search')
           and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
      )
    ).rows;
    for (const index of indexes) await client.query(`drop index "${index.name}"`);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    client.release();
    throw error;
  }
  return {
    async clients(count) {
      const names = Array.from({ length: count }, (_, c) => `Generated Client ${c + 1}`);
      const res = await client.query<{ id: number }>(
        `insert into clients (name, type, favorite, created_at) select n, 'Generated', false, $2 from unnest($1::text[]) as n returning id`,
        [names, at],
      );
      return res.rows.map((r) => r.id);
    },
    async maxAssetId() {
      // A sequence that was never used reports last_value 1 with is_called false.
      const res = await client.query<{ n: string }>(
        `select greatest(coalesce(max(id), 0), (select case when is_called then last_value else 0 end from assets_id_seq)) as n from assets`,
      );
      return Number(res.rows[0]!.n);
    },
    async assets(rows) {
      const col = <K extends keyof Row>(k: K) => rows.map((r) => r[k]);
      await client.query(
        `insert into assets (id, client_id, name, type, make, model, serial, os, status, purchase_date, install_date, warranty_expire, favorite, version, created_at)
         select *, false, 1, $13::timestamptz from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::date[], $11::date[], $12::date[])`,
        [
          col('id'),
          col('client_id'),
          col('name'),
          col('type'),
          col('make'),
          col('model'),
          col('serial'),
          col('os'),
          col('status'),
          col('purchase_date'),
          col('install_date'),
          col('warranty_expire'),
          at,
        ],
      );
      await client.query(
        `insert into asset_interfaces (asset_id, name, mac, ip, is_primary, created_at)
         select a, '01', m, i, true, $4::timestamptz from unnest($1::int[], $2::text[], $3::text[]) as t(a, m, i)`,
        [col('id'), col('mac'), col('ip'), at],
      );
      await client.query(`insert into asset_search (asset_id, doc) select * from unnest($1::int[], $2::text[])`, [col('id'), col('doc')]);
      await client.query(
        `insert into asset_events (asset_id, client_id, asset_name, action, actor_type, actor_name, source, details, created_at)
         select a, c, n, 'created', 'system', 'steward generate', 'system', '{"generated":true}'::jsonb, $4::timestamptz
         from unnest($1::int[], $2::int[], $3::text[]) as t(a, c, n)`,
        [col('id'), col('client_id'), col('name'), at],
      );
    },
    async finish() {
      try {
        for (const index of indexes) await client.query(index.definition);
        await client.query(`select setval('assets_id_seq', (select max(id) from assets))`);
        await client.query('commit');
        await client.query('analyze assets, asset_interfaces, asset_search');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    async abort() {
      await client.query('rollback').catch(() => undefined);
      client.release();
    },
  };
}
