import type { Flag, Id, Timestamp } from '../platform/db/columns.ts';

export interface WebhookTable {
  id: Id;
  name: string;
  url: string;
  /** JSON array of types and patterns; [] means every event. */
  events: string;
  secret: string;
  active: Flag;
  consecutive_failures: number;
  failing_since: Timestamp | null;
  disabled_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp | null;
}

export interface WebhookEventTable {
  id: Id;
  event_id: string;
  type: string;
  client_id: number | null;
  occurred_at: Timestamp;
  body: string;
  dispatched_at: Timestamp | null;
}

export interface WebhookDeliveryTable {
  id: Id;
  webhook_id: number;
  event_id: number;
  delivery_key: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  claim_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface WebhookAttemptTable {
  id: Id;
  delivery_id: number;
  attempted_at: Timestamp;
  status_code: number | null;
  ok: Flag;
  duration_ms: number;
  error: string | null;
  request_excerpt: string | null;
  response_excerpt: string | null;
}
