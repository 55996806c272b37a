// Case- and accent-insensitive matching in SQL, the same on both databases: `foldedLike(ctx, column,
// term)` compares the column folded as foldText folds the term ("Müller" and "MULLER" both become
// "muller"). SQLite calls foldText itself through a function every connection registers; PostgreSQL
// lower-cases and translates each accented letter (and each upper-case letter lower() may leave alone
// under a C locale) to its folded form, with combining marks dropped, from a table built by foldText.
import { sql, type RawBuilder } from 'kysely';
import type { DatabaseKind } from '../config.ts';
import { foldText } from '../fields.ts';
import { escapeLike } from './like.ts';

/** The SQLite function's name; registered on every connection by `registerFoldFunction`. */
export const FOLD_FUNCTION = 'steward_fold';

/** Latin (with its extensions), Greek and Cyrillic: the letters a technician's records hold. */
const RANGES: Array<[number, number]> = [
  [0x00c0, 0x024f],
  [0x0370, 0x04ff],
  [0x1e00, 0x1eff],
];

function translationTable(): { from: string; to: string } {
  let from = '';
  let to = '';
  for (const [first, last] of RANGES) {
    for (let cp = first; cp <= last; cp++) {
      const c = String.fromCodePoint(cp);
      const folded = foldText(c);
      if (folded !== c && [...folded].length === 1) {
        from += c;
        to += folded;
      }
    }
  }
  // Characters of `from` past the end of `to` are deleted by translate(): the combining marks of text
  // stored decomposed.
  for (let cp = 0x0300; cp <= 0x036f; cp++) from += String.fromCodePoint(cp);
  return { from, to };
}

const TABLE = translationTable();

/** The expression folded: lower case, accents removed. */
export function foldedSql(dialect: DatabaseKind, expr: RawBuilder<unknown>): RawBuilder<string> {
  if (dialect === 'sqlite') return sql<string>`${sql.raw(FOLD_FUNCTION)}(${expr})`;
  return sql<string>`translate(lower(${expr}), ${TABLE.from}, ${TABLE.to})`;
}

/** The column (text, or cast to text; null is no match) contains the term, both folded. */
export function foldedContains(dialect: DatabaseKind, expr: RawBuilder<unknown>, term: string): RawBuilder<boolean> {
  return sql<boolean>`${foldedSql(dialect, expr)} like ${`%${escapeLike(foldText(term))}%`} escape '\\'`;
}

/** The column starts with the term, both folded. */
export function foldedStartsWith(dialect: DatabaseKind, expr: RawBuilder<unknown>, term: string): RawBuilder<boolean> {
  return sql<boolean>`${foldedSql(dialect, expr)} like ${`${escapeLike(foldText(term))}%`} escape '\\'`;
}

interface FunctionHost {
  function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
}

/** Gives a SQLite connection the fold function the queries above call. */
export function registerFoldFunction(db: FunctionHost): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (value) => (typeof value === 'string' ? foldText(value) : value));
}
