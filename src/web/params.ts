// Reading ids from URLs and forms: a positive whole number in decimal that fits the database's integer
// columns (31 bits), or null for anything else (0x10, 1e3, 2147483648).
import { MAX_ID } from '../platform/text.ts';

export function positiveInt(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 && n <= MAX_ID ? n : null;
}
