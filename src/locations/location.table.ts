import type { Flag, RecordColumns } from '../platform/db/columns.ts';

export interface LocationTable extends RecordColumns {
  client_id: number;
  name: string;
  description: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
  phone: string | null;
  hours: string | null;
  notes: string | null;
  is_primary: Flag;
}
