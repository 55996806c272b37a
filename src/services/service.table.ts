import type { DateOnly, RecordColumns } from '../platform/db/columns.ts';

export interface ServiceTable extends RecordColumns {
  client_id: number;
  name: string;
  description: string | null;
  category: string | null;
  importance: string | null;
  backup: string | null;
  review_due: DateOnly | null;
  notes: string | null;
}

export interface ServiceAssetTable {
  service_id: number;
  asset_id: number;
}
