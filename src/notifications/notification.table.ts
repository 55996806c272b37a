import type { DateOnly, Id, Timestamp } from '../platform/db/columns.ts';

export interface NotificationTable {
  id: Id;
  user_id: number;
  /** Null for a notice about the user's own account (a locked second factor). */
  client_id: number | null;
  /** Null for an account notice and for a warranty digest (many assets, told at once). */
  asset_id: number | null;
  kind: 'warranty' | 'warranty_digest' | 'second_factor_locked' | 'webhook_disabled';
  /** A warranty alert: 45, 7 or 1 days before the warranty ends; null for other kinds. */
  days_before: number | null;
  /** A warranty alert: the day the warranty ends; a digest: the day it was written (one a day). */
  due_date: DateOnly | null;
  title: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
  dismissed_at: Timestamp | null;
}
