import type { Json, Timestamp } from '../platform/db/columns.ts';

export interface ImportTable {
  id: string;
  kind: 'assets' | 'interfaces' | 'locations' | 'contacts';
  user_id: number | null;
  /** The client imported into; null when each row names its client. */
  client_id: number | null;
  /** For an interface import: the asset. */
  asset_id: number | null;
  file_name: string;
  /** Bytes received so far while `receiving`; the whole file's after. */
  file_size: number;
  /** receiving (the upload is being parsed) → uploaded → committed (or still uploaded when abandoned). */
  status: 'receiving' | 'uploaded' | 'committed';
  options: Json;
  summary: Json;
  created_at: Timestamp;
  committed_at: Timestamp | null;
  /** The encoding the upload was read in (UTF-8, UTF-16LE, UTF-16BE, Windows-1252); null for an import from the command line. */
  encoding: string | null;
}

/** One record of an uploaded file, as parsed at upload. */
export interface ImportRowTable {
  import_id: string;
  /** 0 for the heading row, then 1, 2, … in file order. */
  seq: number;
  /** The line of the file where the record starts. */
  line: number;
  /** The cells, as a JSON array of strings. */
  cells: string;
  /** The length of `cells`. */
  size: number;
}
