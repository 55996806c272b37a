import type { RecordColumns } from '../platform/db/columns.ts';

export type ListName = 'asset_type' | 'asset_status' | 'note_type' | 'interface_type';

export interface ListValueTable extends RecordColumns {
  list: ListName;
  name: string;
  description: string | null;
  icon: string | null;
  sort_order: number;
}
