import type { RecordColumns } from '../platform/db/columns.ts';

export interface VendorTable extends RecordColumns {
  client_id: number;
  name: string;
  description: string | null;
  contact_name: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  account_number: string | null;
  notes: string | null;
}
