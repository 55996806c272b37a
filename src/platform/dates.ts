// Calendar-date arithmetic on YYYY-MM-DD strings (UTC), as dates are stored.
import { nowIso, type Ctx } from './context.ts';

export function todayOf(ctx: Pick<Ctx, 'now'>): string {
  return nowIso(ctx).slice(0, 10);
}

/** Whether `text` is a real calendar day written YYYY-MM-DD (2023-02-29 and 2023-13-01 are not). */
export function isCalendarDay(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day `years` later (29 February becomes 1 March in a common year). */
export function addYears(day: string, years: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}
