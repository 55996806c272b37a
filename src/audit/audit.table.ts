import type { Id, Json, Timestamp } from '../platform/db/columns.ts';

export interface AuditLogTable {
  id: Id;
  created_at: Timestamp;
  action: string;
  outcome: 'success' | 'failure';
  actor_user_id: number | null;
  actor_api_key_id: number | null;
  actor_name: string | null;
  client_id: number | null;
  entity_type: string | null;
  entity_id: number | null;
  ip: string | null;
  user_agent: string | null;
  details: Json;
}
