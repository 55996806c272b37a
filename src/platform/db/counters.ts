// Numbers handed out one by one (ticket numbers) and revision counters. Incrementing the row locks it
// until the transaction ends, so two writers can never be given the same number.
import { CompiledQuery, sql } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import type { DbOrTrx } from '../../database.ts';

export type { CounterTable } from './counter.table.ts';

export type CounterName = 'ticket_number' | 'access_revision';

/** The counter's next value, in the caller's transaction. */
export async function nextCounterValue(db: DbOrTrx, name: CounterName): Promise<number> {
  const row = await db.updateTable('counters').set({ value: sql`value + 1` }).where('name', '=', name).returning('value').executeTakeFirst();
  if (!row) throw new Error(`counter ${name} is missing; run the migrations`);
  return Number(row.value);
}

// Read on every API request: the text is fixed, so it skips Kysely's query building.
const READ_SQL = { sqlite: 'select value from counters where name = ?', postgres: 'select value from counters where name = $1' } as const;

export async function counterValue(db: DbOrTrx, dialect: DatabaseKind, name: CounterName): Promise<number> {
  const { rows } = await db.executeQuery<{ value: number }>(CompiledQuery.raw(READ_SQL[dialect], [name]));
  return Number(rows[0]?.value ?? 0);
}
