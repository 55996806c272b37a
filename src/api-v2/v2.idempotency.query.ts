// The kept answers of POSTs sent with an Idempotency-Key (see v2.idempotency.ts).
import type { DbOrTrx } from '../database.ts';

export interface KeptAnswer {
  id: number;
  requestHash: string;
  status: number | null;
  headers: Record<string, string>;
  body: string | null;
  createdAt: string;
}

export async function findKeptAnswer(db: DbOrTrx, apiKeyId: number, key: string): Promise<KeptAnswer | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['id', 'request_hash', 'response_status', 'response_headers', 'response_body', 'created_at'])
    .where('api_key_id', '=', apiKeyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    requestHash: row.request_hash,
    status: row.response_status,
    headers: row.response_headers ? (JSON.parse(row.response_headers) as Record<string, string>) : {},
    body: row.response_body,
    createdAt: row.created_at,
  };
}

/** Claims the key for a request now starting; null when another request holds it already. */
export async function claimKey(db: DbOrTrx, apiKeyId: number, key: string, requestHash: string, now: string): Promise<number | null> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({ api_key_id: apiKeyId, idempotency_key: key, request_hash: requestHash, created_at: now })
    .onConflict((oc) => oc.columns(['api_key_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function keepAnswer(db: DbOrTrx, id: number, status: number, headers: Record<string, string>, body: string): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ response_status: status, response_headers: JSON.stringify(headers), response_body: body })
    .where('id', '=', id)
    .execute();
}

export async function releaseKey(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('id', '=', id).execute();
}

/** Forgets answers kept longer than a day (the daily jobs). */
export async function purgeKeptAnswers(db: DbOrTrx, before: string): Promise<number> {
  return Number((await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);
}
