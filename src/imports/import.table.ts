import type { Json, Timestamp } from '../platform/db/columns.ts';

export interface ImportTable {
  id: string;
  kind: 'assets' | 'interfaces';
  user_id: number | null;
  /** The client imported into; null when each row names its client. */
  client_id: number | null;
  /** For an interface import: the asset. */
  asset_id: number | null;
  file_name: string;
  file_size: number;
  /** uploaded → committed (or still uploaded when abandoned). */
  status: 'uploaded' | 'committed';
  options: Json;
  summary: Json;
  created_at: Timestamp;
  committed_at: Timestamp | null;
}
