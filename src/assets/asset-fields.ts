// Every field a user edits on an asset, described once: its column, its label, how it is checked, and
// how CSV names it. The rules, the form, the asset page, the history, the search index, the export and
// the import read this table, so a new plain field is one entry here (plus its column: a migration and
// asset.table.ts). Fields a page lays out by hand are listed there; any other appears after them.
import type { AssetTable } from './asset.table.ts';

export type AssetFieldKind =
  /** Free text up to `max` characters; `long` for a text area. */
  | 'text'
  /** A value of an administrator's list (type, status): checked against it. */
  | 'list'
  /** A calendar date, YYYY-MM-DD. */
  | 'date'
  /** Yes or no. */
  | 'flag'
  /** A record of the same client (location, contact, vendor). */
  | 'reference';

export interface AssetFieldDef {
  column: keyof AssetTable;
  label: string;
  kind: AssetFieldKind;
  /** Text: the longest value accepted (ITFlow's column length). */
  max?: number;
  /** Text: edited in a text area rather than one line. */
  long?: boolean;
  /** Reference: the table it points into, and what the record is called in messages. */
  ref?: { table: 'locations' | 'contacts' | 'vendors'; noun: string };
  /** Part of the text the asset search looks in. */
  searched?: boolean;
  /**
   * CSV: the heading Steward writes, then the headings an import accepts for it (folded: lower case,
   * letters and digits only). References are written and read by name; lists and flags as their value.
   */
  csv?: { heading: string; aliases: string[] };
}

export const ASSET_FIELDS = {
  name: { column: 'name', label: 'Name', kind: 'text', max: 200, searched: true, csv: { heading: 'Name', aliases: ['name', 'assetname'] } },
  description: {
    column: 'description',
    label: 'Description',
    kind: 'text',
    max: 255,
    long: true,
    searched: true,
    csv: { heading: 'Description', aliases: ['description'] },
  },
  type: { column: 'type', label: 'Type', kind: 'list', searched: true, csv: { heading: 'Type', aliases: ['type', 'assettype'] } },
  make: { column: 'make', label: 'Make', kind: 'text', max: 200, searched: true, csv: { heading: 'Make', aliases: ['make', 'manufacturer'] } },
  model: { column: 'model', label: 'Model', kind: 'text', max: 200, searched: true, csv: { heading: 'Model', aliases: ['model'] } },
  serial: { column: 'serial', label: 'Serial', kind: 'text', max: 200, searched: true, csv: { heading: 'Serial Number', aliases: ['serial', 'serialnumber'] } },
  os: {
    column: 'os',
    label: 'Operating system',
    kind: 'text',
    max: 200,
    searched: true,
    csv: { heading: 'Operating System', aliases: ['os', 'operatingsystem'] },
  },
  status: { column: 'status', label: 'Status', kind: 'list', searched: true, csv: { heading: 'Status', aliases: ['status'] } },
  uri: { column: 'uri', label: 'URI', kind: 'text', max: 500, csv: { heading: 'URI', aliases: ['uri'] } },
  uri2: { column: 'uri_2', label: 'URI 2', kind: 'text', max: 500, csv: { heading: 'URI 2', aliases: ['uri2'] } },
  uriClient: { column: 'uri_client', label: 'Client URI', kind: 'text', max: 500, csv: { heading: 'Client URI', aliases: ['clienturi'] } },
  purchaseReference: {
    column: 'purchase_reference',
    label: 'Purchase reference',
    kind: 'text',
    max: 200,
    csv: { heading: 'Purchase Reference', aliases: ['purchasereference'] },
  },
  purchaseDate: { column: 'purchase_date', label: 'Purchase date', kind: 'date', csv: { heading: 'Purchase Date', aliases: ['purchasedate'] } },
  installDate: { column: 'install_date', label: 'Install date', kind: 'date', csv: { heading: 'Install Date', aliases: ['installdate'] } },
  warrantyExpire: {
    column: 'warranty_expire',
    label: 'Warranty expires',
    kind: 'date',
    csv: { heading: 'Warranty Expire', aliases: ['warrantyexpire', 'warrantyexpires', 'warrantyexpiry'] },
  },
  physicalLocation: {
    column: 'physical_location',
    label: 'Physical location',
    kind: 'text',
    max: 200,
    searched: true,
    csv: { heading: 'Physical Location', aliases: ['physicallocation'] },
  },
  notes: { column: 'notes', label: 'Notes', kind: 'text', max: 65_535, long: true, csv: { heading: 'Notes', aliases: ['notes'] } },
  favorite: { column: 'favorite', label: 'Favorite', kind: 'flag', csv: { heading: 'Favorite', aliases: ['favorite', 'favourite'] } },
  locationId: {
    column: 'location_id',
    label: 'Location',
    kind: 'reference',
    ref: { table: 'locations', noun: 'location' },
    csv: { heading: 'Location', aliases: ['location'] },
  },
  contactId: {
    column: 'contact_id',
    label: 'Assigned to',
    kind: 'reference',
    ref: { table: 'contacts', noun: 'contact' },
    csv: { heading: 'Assigned To', aliases: ['assignedto', 'contact'] },
  },
  vendorId: {
    column: 'vendor_id',
    label: 'Vendor',
    kind: 'reference',
    ref: { table: 'vendors', noun: 'vendor' },
    csv: { heading: 'Vendor', aliases: ['vendor'] },
  },
} as const satisfies Record<string, AssetFieldDef>;

export type EditableField = keyof typeof ASSET_FIELDS;

type ValueOf<D> = D extends { kind: 'flag' } ? boolean : D extends { kind: 'reference' } ? number | null : string | null;

/** The editable fields' values as the domain holds them: text and dates as strings, flags as booleans, references as ids. */
export type AssetFields = { name: string } & { -readonly [F in Exclude<EditableField, 'name'>]: ValueOf<(typeof ASSET_FIELDS)[F]> };

/**
 * The fields the asset form and the asset page lay out by hand (asset-form.view.tsx,
 * asset-details-list.view.tsx); every other field follows them there, in a plain input or line of its kind.
 */
export const HAND_PLACED_FIELDS: ReadonlySet<EditableField> = new Set<EditableField>([
  'name',
  'type',
  'status',
  'make',
  'model',
  'serial',
  'os',
  'description',
  'contactId',
  'locationId',
  'physicalLocation',
  'vendorId',
  'purchaseReference',
  'purchaseDate',
  'installDate',
  'warrantyExpire',
  'uri',
  'uri2',
  'uriClient',
  'notes',
  'favorite',
]);

/** The fields a user edits, in the order history and forms list them. */
export const EDITABLE_FIELDS = Object.keys(ASSET_FIELDS) as EditableField[];

export function fieldsOfKind<K extends AssetFieldKind>(
  kind: K,
): Array<{ [F in EditableField]: (typeof ASSET_FIELDS)[F]['kind'] extends K ? F : never }[EditableField]> {
  return EDITABLE_FIELDS.filter((f) => ASSET_FIELDS[f].kind === kind) as never;
}

/** Domain field → column. */
export const ASSET_COLUMNS = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, ASSET_FIELDS[f].column])) as {
  [F in EditableField]: (typeof ASSET_FIELDS)[F]['column'];
};
