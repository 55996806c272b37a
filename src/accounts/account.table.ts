import type { DateOnly, Flag, Id, Json, RecordColumns, Timestamp } from '../platform/db/columns.ts';

export interface RoleTable extends RecordColumns {
  name: string;
  description: string | null;
  is_admin: Flag;
}

export interface RolePermissionTable {
  role_id: number;
  module: string;
  level: number;
}

export interface UserTable extends RecordColumns {
  email: string;
  name: string;
  password_hash: string;
  role_id: number;
  status: 'active' | 'disabled';
  totp_secret: string | null;
  totp_recovery_codes: Json;
  page_size: number | null;
  last_login_at: Timestamp | null;
  /** Set by an administrator's password reset: the user chooses a new one before anything else. */
  must_change_password: Flag;
}

export interface UserClientAccessTable {
  user_id: number;
  client_id: number;
  mode: 'allow' | 'deny';
}

export interface ApiKeyTable {
  id: Id;
  user_id: number;
  name: string;
  prefix: string;
  secret_hash: string;
  expires_on: DateOnly | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  last_used_ip: string | null;
  revoked_at: Timestamp | null;
  /** Scopes (narrowing the user's rights): read only; module names and client ids, comma-separated, null for all. */
  read_only: Flag;
  scope_modules: string | null;
  scope_client_ids: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  second_factor_done: Flag;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}
