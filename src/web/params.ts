// Reading ids from URLs and forms: a positive whole number, or null for anything else.
export function positiveInt(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}
