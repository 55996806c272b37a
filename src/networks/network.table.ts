import type { RecordColumns } from '../platform/db/columns.ts';

export interface NetworkTable extends RecordColumns {
  client_id: number;
  name: string;
  description: string | null;
  vlan: number | null;
  cidr: string | null;
  gateway: string | null;
  dhcp_range: string | null;
  primary_dns: string | null;
  secondary_dns: string | null;
  location_id: number | null;
  notes: string | null;
}
