// Which asset field each column of an import file holds, matched by heading in any order, case and
// spacing: ITFlow's import template, the shorter set in its documentation, its export headings, and
// Steward's own export headings, so that every export re-imports. Unknown headings are reported,
// never guessed.
import { ASSET_FIELDS, type AssetFieldDef, EDITABLE_FIELDS, type EditableField } from '../assets/asset-fields.ts';
import { EXPORT_COLUMNS, PLAIN_EXPORT_FIELDS } from '../csv/export-columns.ts';
import { foldText } from '../platform/fields.ts';

/** A reference field is imported by name, under a column named for what it points at. */
const REFERENCE_COLUMNS = { locationId: 'location', contactId: 'contact', vendorId: 'vendor' } as const satisfies Partial<Record<EditableField, string>>;
type ReferenceField = keyof typeof REFERENCE_COLUMNS;

export type ImportField = Exclude<EditableField, ReferenceField> | (typeof REFERENCE_COLUMNS)[ReferenceField] | 'client' | 'ip' | 'mac' | 'tags';

/** The column an asset field is imported from. */
export function importFieldOf(field: EditableField): ImportField {
  return field in REFERENCE_COLUMNS ? REFERENCE_COLUMNS[field as ReferenceField] : (field as Exclude<EditableField, ReferenceField>);
}

/** The columns that are not one field of the asset: its client, its primary addresses, its tags. */
const OTHER_COLUMNS = {
  client: { heading: 'Client', aliases: ['client', 'clientname'] },
  ip: { heading: 'Primary IP', aliases: ['primaryip', 'ip', 'ipaddress'] },
  mac: { heading: 'Primary MAC', aliases: ['primarymac', 'mac', 'macaddress'] },
  tags: { heading: 'Tags', aliases: ['tags'] },
};

/** The export's columns that are not an asset field of the same name, as the import calls them. */
const FROM_EXPORT_KEY: Record<string, ImportField> = {
  assigned_to: 'contact',
  location: 'location',
  vendor: 'vendor',
  client: 'client',
  primary_ip: 'ip',
  primary_mac: 'mac',
  tags: 'tags',
};

/** The order the mapping screen offers them in: the export's (ITFlow's first), so the two read alike. */
const ORDER: ImportField[] = Object.keys(EXPORT_COLUMNS).flatMap((key) => {
  const field = FROM_EXPORT_KEY[key] ?? PLAIN_EXPORT_FIELDS[key];
  return field ? [field as ImportField] : [];
});

function importColumns(): Record<ImportField, { heading: string; aliases: string[] }> {
  const columns = new Map<ImportField, { heading: string; aliases: string[] }>(
    Object.entries(OTHER_COLUMNS) as Array<[ImportField, { heading: string; aliases: string[] }]>,
  );
  for (const field of EDITABLE_FIELDS) {
    const def: AssetFieldDef = ASSET_FIELDS[field];
    if (def.csv) columns.set(importFieldOf(field), { heading: def.csv.heading, aliases: def.csv.aliases });
  }
  return Object.fromEntries(ORDER.filter((f) => columns.has(f)).map((f) => [f, columns.get(f)!])) as Record<
    ImportField,
    { heading: string; aliases: string[] }
  >;
}

/** Each field's heading as Steward writes it (the export's and the template's), then its aliases, folded. */
export const IMPORT_FIELDS = importColumns();

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
