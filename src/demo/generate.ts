// Bulk synthetic data for benchmarks: N assets (each with a primary interface, a search entry and a
// "created" history event) spread over K new clients. Writes through the drivers directly, in large
// batches, because a million rows through the per-asset rules would take too long to be practical;
// the rows it writes are the same shape those rules write.
import { foldText } from '../platform/fields.ts';
import type { Store } from '../platform/db/store.ts';
import type { Row } from './generate.types.ts';
import { postgresWriter } from './generate-postgres.ts';
import { sqliteWriter } from './generate-sqlite.ts';

export interface GenerateOptions {
  assets: number;
  clients?: number;
  now?: Date;
  /** After each batch: how many assets are written so far. */
  onProgress?: (assets: number) => void;
}

const TYPES = ['Laptop', 'Desktop', 'Server', 'Switch', 'Firewall/Router', 'Printer', 'Virtual Machine', 'Access Point', 'Mobile Phone', 'Display'];
const PREFIX: Record<string, string> = {
  Laptop: 'LT',
  Desktop: 'WS',
  Server: 'SRV',
  Switch: 'SW',
  'Firewall/Router': 'FW',
  Printer: 'PRN',
  'Virtual Machine': 'VM',
  'Access Point': 'AP',
  'Mobile Phone': 'MOB',
  Display: 'DSP',
};
const MAKES = [
  ['Dell', 'Latitude 7440'],
  ['Lenovo', 'ThinkPad T14'],
  ['HP', 'EliteDesk 800 G9'],
  ['Dell', 'PowerEdge R650'],
  ['Cisco', 'Catalyst 9200'],
  ['Fortinet', 'FortiGate 60F'],
  ['Brother', 'HL-L6210DW'],
  ['VMware', 'Virtual Platform'],
  ['Ubiquiti', 'U6 Pro'],
  ['Apple', 'iPhone 15'],
];
const OS = ['Windows 11 Pro', 'Windows 11 Pro', 'Windows Server 2022', 'IOS-XE 17.9', 'FortiOS 7.4', null, 'Ubuntu 24.04', 'UniFi 7', 'iOS 18', null];
const STATUSES = ['Deployed', 'Deployed', 'Deployed', 'Ready to Deploy', 'Out for Repair', 'Retired'];
const BATCH = 5_000;

export async function generateAssets(store: Store, options: GenerateOptions): Promise<{ assets: number; clients: number }> {
  const clientCount = options.clients ?? Math.max(1, Math.round(options.assets / 5_000));
  const at = (options.now ?? new Date()).toISOString();
  const write = store.dialect === 'sqlite' ? await sqliteWriter(store, at) : await postgresWriter(store, at);
  try {
    const clientIds = await write.clients(clientCount);
    const firstId = (await write.maxAssetId()) + 1;
    for (let start = 0; start < options.assets; start += BATCH) {
      const rows: Row[] = [];
      for (let i = start; i < Math.min(start + BATCH, options.assets); i++) rows.push(makeRow(firstId + i, clientIds[i % clientIds.length]!, i));
      await write.assets(rows);
      options.onProgress?.(start + rows.length);
    }
  } catch (error) {
    await write.abort?.();
    throw error;
  }
  await write.finish();
  return { assets: options.assets, clients: clientCount };
}

export function makeRow(id: number, clientId: number, i: number): Row {
  const t = i % TYPES.length;
  const type = TYPES[t]!;
  const [make, model] = MAKES[t]!;
  const serial = (((id * 2_654_435_761) >>> 0).toString(36) + id.toString(36)).toUpperCase();
  const name = `${PREFIX[type]}-${(id % 100_000).toString().padStart(5, '0')}-${((id * 7919) % 46_656).toString(36).toUpperCase()}`;
  const year = 2019 + (id % 7);
  const month = String(1 + (id % 12)).padStart(2, '0');
  const day = String(1 + (id % 28)).padStart(2, '0');
  const mac = ['02', ...[(id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, (i * 31) & 255].map((b) => b.toString(16).padStart(2, '0'))]
    .join(':')
    .toUpperCase();
  const ip = `10.${(id >>> 16) & 255}.${(id >>> 8) & 255}.${id & 255 || 1}`;
  const os = OS[t] ?? null;
  const status = STATUSES[id % STATUSES.length]!;
  const doc = foldAscii([name, type, make, model, serial, os, status, ip, mac, mac.replaceAll(':', '')].filter(Boolean).join('\n'));
  return {
    id,
    client_id: clientId,
    name,
    type,
    make: make!,
    model: model!,
    serial,
    os,
    status,
    purchase_date: `${year}-${month}-${day}`,
    install_date: `${year}-${month}-${day}`,
    warranty_expire: `${year + 3}-${month}-${day}`,
    mac,
    ip,
    doc,
  };
}

/** The generated text is ASCII, for which folding is lower-casing; anything else takes the full path. */
function foldAscii(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : foldText(text);
}

export type { Row, Writer } from './generate.types.ts';
