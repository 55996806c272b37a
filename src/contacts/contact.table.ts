import type { RecordColumns } from '../platform/db/columns.ts';

export interface ContactTable extends RecordColumns {
  client_id: number;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  extension: string | null;
  mobile: string | null;
  department: string | null;
  location_id: number | null;
  notes: string | null;
}
