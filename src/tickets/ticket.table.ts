import type { RecordColumns, Timestamp } from '../platform/db/columns.ts';

export interface TicketTable extends RecordColumns {
  client_id: number;
  number: number;
  subject: string;
  details: string | null;
  priority: string | null;
  status: string;
  assignee_user_id: number | null;
  contact_id: number | null;
  created_by_user_id: number | null;
  closed_at: Timestamp | null;
  /** Set when the ticket became Resolved or Closed; cleared when it is reopened. */
  resolved_at: Timestamp | null;
}

export interface TicketAssetTable {
  ticket_id: number;
  asset_id: number;
}
