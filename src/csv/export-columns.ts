// The columns an asset export can have, and how `--columns`/`columns=` names them. Kept apart from the
// export itself so the CLI can describe them without loading the database code.
import { isKeyOf } from '../platform/lookup.ts';

export interface ExportRow {
  id: number;
  name: string;
  description: string | null;
  type: string | null;
  make: string | null;
  model: string | null;
  serial: string | null;
  os: string | null;
  status: string | null;
  uri: string | null;
  uri_2: string | null;
  uri_client: string | null;
  purchase_reference: string | null;
  purchase_date: string | null;
  warranty_expire: string | null;
  install_date: string | null;
  physical_location: string | null;
  notes: string | null;
  favorite: number | boolean;
  created_at: string;
  updated_at: string | null;
  archived_at: string | null;
  client_name: string;
  contact_name: string | null;
  location_name: string | null;
  vendor_name: string | null;
  ip: string | null;
  mac: string | null;
  tags?: string;
}

type Column = { heading: string; value: (r: ExportRow) => string | null };

/** Every exportable column, in file order; the first fourteen are ITFlow's export. */
export const EXPORT_COLUMNS: Record<string, Column> = {
  name: { heading: 'Name', value: (r) => r.name },
  description: { heading: 'Description', value: (r) => r.description },
  type: { heading: 'Type', value: (r) => r.type },
  make: { heading: 'Make', value: (r) => r.make },
  model: { heading: 'Model', value: (r) => r.model },
  serial: { heading: 'Serial Number', value: (r) => r.serial },
  os: { heading: 'Operating System', value: (r) => r.os },
  purchase_date: { heading: 'Purchase Date', value: (r) => date(r.purchase_date) },
  warranty_expire: { heading: 'Warranty Expire', value: (r) => date(r.warranty_expire) },
  install_date: { heading: 'Install Date', value: (r) => date(r.install_date) },
  assigned_to: { heading: 'Assigned To', value: (r) => r.contact_name },
  location: { heading: 'Location', value: (r) => r.location_name },
  physical_location: { heading: 'Physical Location', value: (r) => r.physical_location },
  notes: { heading: 'Notes', value: (r) => r.notes },
  client: { heading: 'Client', value: (r) => r.client_name },
  primary_ip: { heading: 'Primary IP', value: (r) => r.ip },
  primary_mac: { heading: 'Primary MAC', value: (r) => r.mac },
  status: { heading: 'Status', value: (r) => r.status },
  vendor: { heading: 'Vendor', value: (r) => r.vendor_name },
  purchase_reference: { heading: 'Purchase Reference', value: (r) => r.purchase_reference },
  uri: { heading: 'URI', value: (r) => r.uri },
  uri_2: { heading: 'URI 2', value: (r) => r.uri_2 },
  uri_client: { heading: 'Client URI', value: (r) => r.uri_client },
  favorite: { heading: 'Favorite', value: (r) => (r.favorite ? 'yes' : '') },
  tags: { heading: 'Tags', value: (r) => r.tags ?? '' },
  archived_at: { heading: 'Archived At', value: (r) => r.archived_at },
  created_at: { heading: 'Created At', value: (r) => r.created_at },
  id: { heading: 'Steward ID', value: (r) => String(r.id) },
};
export const DEFAULT_EXPORT_COLUMNS = Object.keys(EXPORT_COLUMNS).slice(0, 14);

const date = (d: string | null) => (d === null ? null : d.slice(0, 10));

/** `default`, `all`, or a comma-separated list of column keys; an unknown key is an error naming it. */
export function exportColumns(spec: string | undefined): string[] {
  if (!spec || spec === 'default') return DEFAULT_EXPORT_COLUMNS;
  if (spec === 'all') return Object.keys(EXPORT_COLUMNS);
  const keys = spec
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const unknown = keys.filter((k) => !isKeyOf(EXPORT_COLUMNS, k));
  if (unknown.length || keys.length === 0) {
    throw new Error(
      `--columns: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ') || '(none given)'}; use default, all, or some of: ${Object.keys(EXPORT_COLUMNS).join(', ')}`,
    );
  }
  return keys;
}
