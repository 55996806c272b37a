// Calendar-date arithmetic on YYYY-MM-DD strings (UTC), as dates are stored.
import { nowIso, type Ctx } from './context.ts';

export function todayOf(ctx: Pick<Ctx, 'now'>): string {
  return nowIso(ctx).slice(0, 10);
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
