// Many rows into one table, a few hundred per statement, as precompiled SQL: building a query object
// for hundreds of rows costs more than the database takes to write them. The statement's text is the
// same for every full chunk, so SQLite's statement cache prepares it once.
import { CompiledQuery } from 'kysely';
import type { Ctx } from '../context.ts';

const texts = new Map<string, string>();

/** `table` and `columns` are names from the code, never from input. */
export async function bulkInsert(
  ctx: Ctx,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  rowsPerStatement = Math.floor(8_000 / columns.length),
): Promise<void> {
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const part = rows.slice(start, start + rowsPerStatement);
    const params: unknown[] = [];
    for (const row of part) for (const value of row) params.push(value);
    await ctx.db.executeQuery(CompiledQuery.raw(statement(ctx.dialect, table, columns, part.length), params));
  }
}

function statement(dialect: Ctx['dialect'], table: string, columns: readonly string[], count: number): string {
  const key = `${dialect}:${table}:${columns.join(',')}:${count}`;
  let text = texts.get(key);
  if (!text) {
    let n = 0;
    const row = () => `(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: count }, row).join(', ')}`;
    if (texts.size > 200) texts.clear();
    texts.set(key, text);
  }
  return text;
}
