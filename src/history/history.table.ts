import type { Id, Json, Timestamp } from '../platform/db/columns.ts';

export interface AssetEventTable {
  id: Id;
  asset_id: number;
  client_id: number;
  asset_name: string;
  action: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_user_id: number | null;
  actor_api_key_id: number | null;
  actor_name: string;
  source: 'web' | 'api' | 'import' | 'cli' | 'system' | 'transfer';
  ip: string | null;
  reason: string | null;
  correlation_id: string | null;
  changes: Json;
  details: Json;
  created_at: Timestamp;
}
