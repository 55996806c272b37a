// ITFlow's wire format: values typed the way MySQL hands them to PHP (strings), timestamps as
// "YYYY-MM-DD HH:MM:SS", and the {"success":"True"|"False", …} envelope.

/** A number, flag or id as ITFlow sends it: a string. */
export function str(value: number | boolean | null | undefined, none: string | null = null): string | null {
  if (value === null || value === undefined) return none;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** An ISO instant as MySQL's DATETIME text (UTC). */
export function datetime(iso: string | null): string | null {
  return iso === null ? null : iso.slice(0, 19).replace('T', ' ');
}

export type V1Row = Record<string, string | null>;

export const NOT_FOUND = 'No resource (for this client and company) with the specified parameter(s).';

export function failure(message: string) {
  return { success: 'False', message };
}

export function created(id: number) {
  return { success: 'True', count: '1', data: [{ insert_id: id }] };
}

export function written(count: number) {
  return { success: 'True', count };
}
