import type { Generated } from 'kysely';

export interface IdempotencyKeyTable {
  id: Generated<number>;
  api_key_id: number;
  idempotency_key: string;
  request_hash: string;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
  created_at: string;
}
