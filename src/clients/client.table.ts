import type { Flag, RecordColumns } from '../platform/db/columns.ts';

export interface ClientTable extends RecordColumns {
  name: string;
  type: string | null;
  website: string | null;
  notes: string | null;
  favorite: Flag;
}
