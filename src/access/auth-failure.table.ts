import type { Id, Timestamp } from '../platform/db/columns.ts';

export interface AuthFailureTable {
  id: Id;
  /** What failed: a sign-in, a second factor, an API key. */
  scope: string;
  /** Who or where: an address, or an account. */
  subject: string;
  created_at: Timestamp;
}
