import type { Flag, RecordColumns, Timestamp } from '../platform/db/columns.ts';

export interface LoginTable extends RecordColumns {
  client_id: number;
  asset_id: number | null;
  contact_id: number | null;
  name: string;
  description: string | null;
  uri: string | null;
  uri_2: string | null;
  /** Encrypted (see platform/crypto.ts). */
  username_secret: string | null;
  password_secret: string | null;
  otp_secret: string | null;
  notes: string | null;
  favorite: Flag;
  password_changed_at: Timestamp | null;
}
