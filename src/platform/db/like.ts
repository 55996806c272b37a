// LIKE with a user's text inside: its own % and _ are escaped so they match themselves.
import { sql, type RawBuilder } from 'kysely';

export function likePattern(expr: RawBuilder<unknown>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`${expr} like ${pattern} escape '\\'`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
