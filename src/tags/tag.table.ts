import type { RecordColumns } from '../platform/db/columns.ts';

export interface TagTable extends RecordColumns {
  name: string;
  color: string | null;
  description: string | null;
}

export interface AssetTagTable {
  asset_id: number;
  tag_id: number;
}
