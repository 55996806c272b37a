import type { Flag, Timestamp } from '../db/columns.ts';

export interface StoredFileTable {
  id: string;
  purpose: string;
  name: string;
  size: number;
  complete: Flag;
  created_at: Timestamp;
}

export interface StoredFileChunkTable {
  file_id: string;
  seq: number;
  data: Buffer;
}
