// Bulk synthetic data for benchmarks: N assets (each with a primary interface, a search entry and a
// "created" history event) spread over K new clients. Writes through the drivers directly, in large
// batches, because a million rows through the per-asset rules would take too long to be practical;
// the rows it writes are the same shape those rules write.
import { foldText } from '../platform/fields.ts';
import type { Store } from '../platform/db/store.ts';

export interface GenerateOptions {
  assets: number;
  clients?: number;
  now?: Date;
}

const TYPES = ['Laptop', 'Desktop', 'Server', 'Switch', 'Firewall/Router', 'Printer', 'Virtual Machine', 'Access Point', 'Mobile Phone', 'Display'];
const PREFIX: Record<string, string> = { Laptop: 'LT', Desktop: 'WS', Server: 'SRV', Switch: 'SW', 'Firewall/Router': 'FW', Printer: 'PRN', 'Virtual Machine': 'VM', 'Access Point': 'AP', 'Mobile Phone': 'MOB', Display: 'DSP' };
const MAKES = [['Dell', 'Latitude 7440'], ['Lenovo', 'ThinkPad T14'], ['HP', 'EliteDesk 800 G9'], ['Dell', 'PowerEdge R650'], ['Cisco', 'Catalyst 9200'], ['Fortinet', 'FortiGate 60F'], ['Brother', 'HL-L6210DW'], ['VMware', 'Virtual Platform'], ['Ubiquiti', 'U6 Pro'], ['Apple', 'iPhone 15']];
const OS = ['Windows 11 Pro', 'Windows 11 Pro', 'Windows Server 2022', 'IOS-XE 17.9', 'FortiOS 7.4', null, 'Ubuntu 24.04', 'UniFi 7', 'iOS 18', null];
const STATUSES = ['Deployed', 'Deployed', 'Deployed', 'Ready to Deploy', 'Out for Repair', 'Retired'];
const BATCH = 5_000;

interface Row {
  id: number; client_id: number; name: string; type: string; make: string; model: string; serial: string;
  os: string | null; status: string; purchase_date: string; warranty_expire: string; install_date: string;
  mac: string; ip: string; doc: string;
}

export async function generateAssets(store: Store, options: GenerateOptions): Promise<{ assets: number; clients: number }> {
  const clientCount = options.clients ?? Math.max(1, Math.round(options.assets / 5_000));
  const at = (options.now ?? new Date()).toISOString();
  const write = store.dialect === 'sqlite' ? sqliteWriter(store, at) : await postgresWriter(store, at);
  const clientIds = await write.clients(clientCount);
  const firstId = (await write.maxAssetId()) + 1;
  for (let start = 0; start < options.assets; start += BATCH) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(start + BATCH, options.assets); i++) rows.push(makeRow(firstId + i, clientIds[i % clientIds.length]!, i));
    await write.assets(rows);
  }
  await write.finish();
  return { assets: options.assets, clients: clientCount };
}

export function makeRow(id: number, clientId: number, i: number): Row {
  const t = i % TYPES.length;
  const type = TYPES[t]!;
  const [make, model] = MAKES[t]!;
  const serial = (((id * 2_654_435_761) >>> 0).toString(36) + id.toString(36)).toUpperCase();
  const name = `${PREFIX[type]}-${(id % 100_000).toString().padStart(5, '0')}-${(id * 7919 % 46_656).toString(36).toUpperCase()}`;
  const year = 2019 + (id % 7);
  const month = String(1 + (id % 12)).padStart(2, '0');
  const day = String(1 + (id % 28)).padStart(2, '0');
  const mac = ['02', ...[(id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, (i * 31) & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':').toUpperCase();
  const ip = `10.${(id >>> 16) & 255}.${(id >>> 8) & 255}.${id & 255 || 1}`;
  const os = OS[t] ?? null;
  const status = STATUSES[id % STATUSES.length]!;
  const doc = foldAscii([name, type, make, model, serial, os, status, ip, mac, mac.replaceAll(':', '')].filter(Boolean).join('\n'));
  return {
    id, client_id: clientId, name, type, make: make!, model: model!, serial, os, status,
    purchase_date: `${year}-${month}-${day}`, install_date: `${year}-${month}-${day}`, warranty_expire: `${year + 3}-${month}-${day}`,
    mac, ip, doc,
  };
}

/** The generated text is ASCII, for which folding is lower-casing; anything else takes the full path. */
function foldAscii(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : foldText(text);
}

interface Writer {
  clients(count: number): Promise<number[]>;
  maxAssetId(): Promise<number>;
  assets(rows: Row[]): Promise<void>;
  finish(): Promise<void>;
}

function sqliteWriter(store: Store, at: string): Writer {
  const db = store.sqlite!;
  // Bulk-load settings, restored in finish(): the generated rows are consistent by construction, so
  // per-row foreign-key checks only cost time; a larger page cache keeps the indexes in memory.
  const cacheSize = db.pragma('cache_size', { simple: true });
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -1000000');
  const insertAsset = db.prepare(
    `insert into assets (id, client_id, name, type, make, model, serial, os, status, purchase_date, install_date, warranty_expire, favorite, version, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?)`,
  );
  const insertInterface = db.prepare(`insert into asset_interfaces (asset_id, name, mac, ip, is_primary, created_at) values (?, '01', ?, ?, 1, ?)`);
  const insertSearch = db.prepare(`insert into asset_search (rowid, doc) values (?, ?)`);
  const insertEvent = db.prepare(
    `insert into asset_events (asset_id, client_id, asset_name, action, actor_type, actor_name, source, details, created_at)
     values (?, ?, ?, 'created', 'system', 'steward generate', 'system', '{"generated":true}', ?)`,
  );
  const batch = db.transaction((rows: Row[]) => {
    for (const r of rows) {
      insertAsset.run(r.id, r.client_id, r.name, r.type, r.make, r.model, r.serial, r.os, r.status, r.purchase_date, r.install_date, r.warranty_expire, at);
      insertInterface.run(r.id, r.mac, r.ip, at);
      insertSearch.run(r.id, r.doc);
      insertEvent.run(r.id, r.client_id, r.name, at);
    }
  });
  return {
    async clients(count) {
      const insert = db.prepare(`insert into clients (name, type, favorite, created_at) values (?, 'Generated', 0, ?) returning id`);
      const ids: number[] = [];
      db.transaction(() => {
        for (let c = 1; c <= count; c++) ids.push((insert.get(`Generated Client ${c}`, at) as { id: number }).id);
      })();
      return ids;
    },
    async maxAssetId() {
      const row = db.prepare(`select coalesce(max(seq), 0) as n from sqlite_sequence where name = 'assets'`).get() as { n: number } | undefined;
      return row?.n ?? 0;
    },
    async assets(rows) {
      batch(rows);
    },
    async finish() {
      db.pragma('foreign_keys = ON');
      db.pragma(`cache_size = ${Number(cacheSize)}`);
      db.pragma('optimize');
    },
  };
}

async function postgresWriter(store: Store, at: string): Promise<Writer> {
  const client = await store.pool!.connect();
  await client.query('begin');
  // Rebuilding the trigram index once is much faster than maintaining it row by row.
  await client.query('drop index if exists asset_search_doc');
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
      const res = await client.query<{ n: string }>(`select greatest(coalesce(max(id), 0), (select last_value from assets_id_seq)) as n from assets`);
      return Number(res.rows[0]!.n);
    },
    async assets(rows) {
      const col = <K extends keyof Row>(k: K) => rows.map((r) => r[k]);
      await client.query(
        `insert into assets (id, client_id, name, type, make, model, serial, os, status, purchase_date, install_date, warranty_expire, favorite, version, created_at)
         select *, false, 1, $13::timestamptz from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::date[], $11::date[], $12::date[])`,
        [col('id'), col('client_id'), col('name'), col('type'), col('make'), col('model'), col('serial'), col('os'), col('status'), col('purchase_date'), col('install_date'), col('warranty_expire'), at],
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
        await client.query('create index asset_search_doc on asset_search using gin (doc gin_trgm_ops)');
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
  };
}
