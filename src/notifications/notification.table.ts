import type { DateOnly, Id, Timestamp } from '../platform/db/columns.ts';

export interface NotificationTable {
  id: Id;
  user_id: number;
  client_id: number;
  asset_id: number | null;
  kind: 'warranty';
  /** The alert: 45, 7 or 1 days before the warranty ends. */
  days_before: number;
  due_date: DateOnly;
  title: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
  dismissed_at: Timestamp | null;
}
