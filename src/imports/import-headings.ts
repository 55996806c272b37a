// Which asset field each column of an import file holds, matched by heading in any order, case and
// spacing: ITFlow's import template, the shorter set in its documentation, its export headings, and
// Steward's own export headings, so that every export re-imports. Unknown headings are reported,
// never guessed.
import { foldText } from '../platform/fields.ts';

export type ImportField =
  | 'name'
  | 'description'
  | 'type'
  | 'make'
  | 'model'
  | 'serial'
  | 'os'
  | 'purchaseDate'
  | 'warrantyExpire'
  | 'installDate'
  | 'contact'
  | 'location'
  | 'physicalLocation'
  | 'notes'
  | 'client'
  | 'ip'
  | 'mac'
  | 'status'
  | 'vendor'
  | 'purchaseReference'
  | 'uri'
  | 'uri2'
  | 'uriClient'
  | 'favorite'
  | 'tags';

/** Each field's heading as Steward writes it (the export's and the template's), then its aliases, folded. */
export const IMPORT_FIELDS: Record<ImportField, { heading: string; aliases: string[] }> = {
  name: { heading: 'Name', aliases: ['name', 'assetname'] },
  description: { heading: 'Description', aliases: ['description'] },
  type: { heading: 'Type', aliases: ['type', 'assettype'] },
  make: { heading: 'Make', aliases: ['make', 'manufacturer'] },
  model: { heading: 'Model', aliases: ['model'] },
  serial: { heading: 'Serial Number', aliases: ['serial', 'serialnumber'] },
  os: { heading: 'Operating System', aliases: ['os', 'operatingsystem'] },
  purchaseDate: { heading: 'Purchase Date', aliases: ['purchasedate'] },
  warrantyExpire: { heading: 'Warranty Expire', aliases: ['warrantyexpire', 'warrantyexpires', 'warrantyexpiry'] },
  installDate: { heading: 'Install Date', aliases: ['installdate'] },
  contact: { heading: 'Assigned To', aliases: ['assignedto', 'contact'] },
  location: { heading: 'Location', aliases: ['location'] },
  physicalLocation: { heading: 'Physical Location', aliases: ['physicallocation'] },
  notes: { heading: 'Notes', aliases: ['notes'] },
  client: { heading: 'Client', aliases: ['client', 'clientname'] },
  ip: { heading: 'Primary IP', aliases: ['primaryip', 'ip', 'ipaddress'] },
  mac: { heading: 'Primary MAC', aliases: ['primarymac', 'mac', 'macaddress'] },
  status: { heading: 'Status', aliases: ['status'] },
  vendor: { heading: 'Vendor', aliases: ['vendor'] },
  purchaseReference: { heading: 'Purchase Reference', aliases: ['purchasereference'] },
  uri: { heading: 'URI', aliases: ['uri'] },
  uri2: { heading: 'URI 2', aliases: ['uri2'] },
  uriClient: { heading: 'Client URI', aliases: ['clienturi'] },
  favorite: { heading: 'Favorite', aliases: ['favorite', 'favourite'] },
  tags: { heading: 'Tags', aliases: ['tags'] },
};

/** Columns of Steward's own export that describe the record, not the device: read past quietly. */
const RECORD_COLUMNS = ['stewardid', 'archivedat', 'createdat'];

/** The headings of the downloadable template: ITFlow's export set, then the addresses and status. */
export const TEMPLATE_FIELDS: ImportField[] = [
  'name',
  'description',
  'type',
  'make',
  'model',
  'serial',
  'os',
  'purchaseDate',
  'warrantyExpire',
  'installDate',
  'contact',
  'location',
  'physicalLocation',
  'notes',
  'ip',
  'mac',
  'status',
  'tags',
];

const fold = (heading: string) => foldText(heading).replace(/[^a-z0-9]/g, '');
const FIELD_BY_ALIAS = new Map<string, ImportField>(
  (Object.entries(IMPORT_FIELDS) as Array<[ImportField, { aliases: string[] }]>).flatMap(([field, f]) => f.aliases.map((a) => [a, field] as const)),
);

export interface HeadingMap {
  /** The file's headings, as written. */
  headings: string[];
  /** The field each column fills, or null when the column is not imported. */
  columns: Array<ImportField | null>;
  /** Headings that name no field (reported, not imported). */
  unknown: string[];
  /** Headings naming a field an earlier column already fills (reported, not imported). */
  duplicates: string[];
}

export function mapHeadings(headings: string[]): HeadingMap {
  const guessed = headings.map((h) => FIELD_BY_ALIAS.get(fold(h)) ?? null);
  const out = useColumns(headings, guessed);
  out.unknown = headings.filter((h, i) => guessed[i] === null && fold(h) !== '' && !RECORD_COLUMNS.includes(fold(h)));
  return out;
}

/** The user's own choice of field per column (from the mapping screen); a field chosen twice counts once. */
export function useColumns(headings: string[], chosen: Array<ImportField | null>): HeadingMap {
  const seen = new Set<ImportField>();
  const out: HeadingMap = { headings, columns: [], unknown: [], duplicates: [] };
  headings.forEach((heading, i) => {
    const field = chosen[i] ?? null;
    if (field && seen.has(field)) {
      out.duplicates.push(heading);
      out.columns.push(null);
      return;
    }
    if (field) seen.add(field);
    out.columns.push(field);
  });
  return out;
}

export function isImportField(value: string): value is ImportField {
  return Object.hasOwn(IMPORT_FIELDS, value);
}
