// The columns an asset export can have, and how `--columns`/`columns=` names them. Kept apart from the
// export itself so the CLI can describe them without loading the database code.
import { ASSET_FIELDS, type AssetFieldDef, EDITABLE_FIELDS, type EditableField } from '../assets/asset-fields.ts';
import { isKeyOf } from '../platform/lookup.ts';

/** One asset's values for the export: its plain fields by column name, and the names it refers to. */
export interface ExportRow {
  id: number;
  name: string;
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
  [column: string]: string | number | boolean | null | undefined;
}

type Column = { heading: string; value: (r: ExportRow) => string | null };

/** Export key → the asset field it writes as stored, for every field that is not a reference (written by name). */
export const PLAIN_EXPORT_FIELDS: Record<string, EditableField> = Object.fromEntries(
  EDITABLE_FIELDS.filter((f) => ASSET_FIELDS[f].kind !== 'reference').map((f) => [ASSET_FIELDS[f].column, f]),
);

function plainColumn(field: EditableField): Column {
  const def: AssetFieldDef = ASSET_FIELDS[field];
  const { column, kind } = def;
  const heading = def.csv?.heading ?? def.label;
  if (kind === 'date') return { heading, value: (r) => date(r[column] as string | null) };
  if (kind === 'flag') return { heading, value: (r) => (r[column] ? 'yes' : '') };
  return { heading, value: (r) => (r[column] ?? null) as string | null };
}

const NAMED: Record<string, Column> = {
  assigned_to: { heading: 'Assigned To', value: (r) => r.contact_name },
  location: { heading: 'Location', value: (r) => r.location_name },
  client: { heading: 'Client', value: (r) => r.client_name },
  primary_ip: { heading: 'Primary IP', value: (r) => r.ip },
  primary_mac: { heading: 'Primary MAC', value: (r) => r.mac },
  vendor: { heading: 'Vendor', value: (r) => r.vendor_name },
  tags: { heading: 'Tags', value: (r) => r.tags ?? '' },
  archived_at: { heading: 'Archived At', value: (r) => r.archived_at },
  created_at: { heading: 'Created At', value: (r) => r.created_at },
  id: { heading: 'Steward ID', value: (r) => String(r.id) },
};

/** File order; the first fourteen are ITFlow's export. A field added to ASSET_FIELDS follows `favorite`. */
const ORDER = [
  'name',
  'description',
  'type',
  'make',
  'model',
  'serial',
  'os',
  'purchase_date',
  'warranty_expire',
  'install_date',
  'assigned_to',
  'location',
  'physical_location',
  'notes',
  'client',
  'primary_ip',
  'primary_mac',
  'status',
  'vendor',
  'purchase_reference',
  'uri',
  'uri_2',
  'uri_client',
  'favorite',
];
const RECORD_KEYS = ['tags', 'archived_at', 'created_at', 'id'];
const keys = [...ORDER, ...Object.keys(PLAIN_EXPORT_FIELDS).filter((k) => !ORDER.includes(k)), ...RECORD_KEYS];

/** Every exportable column, in file order. */
export const EXPORT_COLUMNS: Record<string, Column> = Object.fromEntries(
  keys.map((k): [string, Column] => [k, NAMED[k] ?? plainColumn(PLAIN_EXPORT_FIELDS[k]!)]),
);
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
