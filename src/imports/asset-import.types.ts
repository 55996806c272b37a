// The shapes of an asset import: its options, each row's verdict and the report. Apart from the import
// itself so that its batch checker and the rejected-rows file can use them without an import cycle.
import type { FieldIssue } from '../platform/errors.ts';
import type { HeadingMap, ImportField } from './import-headings.ts';
import type { ImportPhase } from './import-record.ts';

/** Where the rows a committed import rejected are kept, as a stored file. */
export interface RejectedRowsTarget {
  id: string;
  purpose: string;
  name: string;
}

export type MatchMode = 'none' | 'name' | 'serial';
export const MATCH_MODES: MatchMode[] = ['none', 'name', 'serial'];

/** What a reference cell naming a record the client does not have does to its row. */
export type MissingMode = 'create' | 'empty' | 'reject';
export const MISSING_MODES: MissingMode[] = ['create', 'empty', 'reject'];
/** The columns naming another record of the client, each with its own choice. */
export type ReferenceColumn = 'location' | 'contact' | 'vendor';
export const REFERENCE_COLUMN_NAMES: ReferenceColumn[] = ['location', 'contact', 'vendor'];
export type MissingModes = Record<ReferenceColumn, MissingMode>;
export const DEFAULT_MISSING: MissingModes = { location: 'create', contact: 'create', vendor: 'create' };

/** Records an import creates because its rows name them: how many of each. */
export type CreatedCounts = Record<'locations' | 'contacts' | 'vendors', number>;

export interface AssetImportOptions {
  /** The client to import into; null to take each row's Client column (by client name). */
  clientId: number | null;
  match: MatchMode;
  /** Per reference column, what a name the client does not have does (default: create it). */
  missing?: Partial<MissingModes>;
  validOnly?: boolean;
  dryRun?: boolean;
  /** The field each column fills, as chosen on the mapping screen; by default, matched by heading. */
  columns?: Array<ImportField | null>;
  /** The import's id (an upload's); a new one by default. */
  importId?: string;
  file?: { name: string; size: number };
  /** Every row's verdict (as the check pass finds it), in file order, with the row's cells as read. */
  onRow?: (verdict: RowVerdict, cells: string[]) => void;
  /** The columns as matched, once the heading row is read. */
  onHeadings?: (headings: HeadingMap) => void;
  /** How many verdicts the report keeps (default: all). Counts always cover every row. */
  keepRows?: number;
  /** After each row of each pass: which pass, and how many rows it has done. */
  onProgress?: (phase: ImportPhase, rows: number) => void;
  /** Keep the rows the committed import rejected as a stored file (written in the import's transaction). */
  rejectedFile?: RejectedRowsTarget;
}

export interface RowVerdict {
  line: number;
  name: string;
  verdict: 'create' | 'update' | 'unchanged' | 'rejected';
  assetId?: number;
  /** For an update: the headings of the fields that change. */
  changes?: string[];
  problems?: FieldIssue[];
  /** Worth knowing, not wrong: a name repeated in the file when nothing is matched, a reference left empty. */
  warnings?: string[];
  /** What the row brings into being besides itself: "will create location 'Head Office'". */
  creates?: string[];
}

export type VerdictCounts = Record<RowVerdict['verdict'], number>;

export interface ImportReport {
  importId: string;
  headings: HeadingMap;
  rows: RowVerdict[];
  counts: VerdictCounts;
  committed: boolean;
  dryRun: boolean;
  /** Records created (or, in a preview, to create) because rows name them, with their first names. */
  created?: { counts: CreatedCounts; names: Record<keyof CreatedCounts, string[]> };
}
