// Numbers handed out one by one (ticket numbers) and revision counters. Incrementing the row locks it
// until the transaction ends, so two writers can never be given the same number.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../database.ts';

export interface CounterTable {
  name: string;
  value: number;
}

export type CounterName = 'ticket_number' | 'access_revision';

/** The counter's next value, in the caller's transaction. */
export async function nextCounterValue(db: DbOrTrx, name: CounterName): Promise<number> {
  const row = await db.updateTable('counters').set({ value: sql`value + 1` }).where('name', '=', name).returning('value').executeTakeFirst();
  if (!row) throw new Error(`counter ${name} is missing; run the migrations`);
  return Number(row.value);
}

export async function counterValue(db: DbOrTrx, name: CounterName): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst();
  return Number(row?.value ?? 0);
}
