// What v1 accepts as a value. ITFlow is string-typed (PHP reads every parameter as text), so a value is
// a string, or a number read as its decimal text; null stands for "not sent". Anything else (an
// object, even one with its own toString, an array or a repeated parameter, a boolean) is refused
// with HTTP 400 naming the parameter, as is text with control characters and an id that is not a
// positive 31-bit integer in decimal.
import { ValidationError } from '../platform/errors.ts';
import { CONTROL_CHARACTER as CONTROL_CHARACTERS, excerpt, MAX_ID } from '../platform/text.ts';

const DIGITS = /^\s*[0-9]{1,10}\s*$/;

/** Input no request could mean: HTTP 400, where a rejected write is a 200 failure in ITFlow's envelope. */
export class MalformedInput extends ValidationError {}

function malformed(field: string, code: string, message: string): MalformedInput {
  return new MalformedInput([{ field, code, message }]);
}

/** Every parameter as text (or null), or MalformedInput naming the first that is not. */
export function textInput(raw: Record<string, unknown>): Record<string, string | null> {
  const entries: Array<[string, string | null]> = [];
  for (const [key, value] of Object.entries(raw)) {
    const field = CONTROL_CHARACTERS.test(key) ? JSON.stringify(key) : key;
    if (value === null || value === undefined) entries.push([key, null]);
    else if (typeof value === 'number' && Number.isFinite(value)) entries.push([key, String(value)]);
    else if (typeof value !== 'string') throw malformed(field, 'type', Array.isArray(value) ? 'is given more than once' : 'must be text or a number');
    else if (CONTROL_CHARACTERS.test(value) || field !== key) throw malformed(field, 'control_character', 'contains a control character');
    else {
      // A reference may be 0 (ITFlow's "none"); any other id-like value must be one.
      if (key.endsWith('_id') && value.trim() !== '' && decimalUpTo(value, MAX_ID) === null)
        throw malformed(key, 'id_invalid', `"${excerpt(value)}" is not an id`);
      entries.push([key, value]);
    }
  }
  return Object.fromEntries(entries);
}

/** A non-negative whole number in decimal digits, at most `max`; null otherwise. */
export function decimalUpTo(text: string, max: number): number | null {
  if (!DIGITS.test(text)) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

export function invalidId(field: string, raw: unknown): MalformedInput {
  return malformed(field, 'id_invalid', `"${excerpt(String(raw))}" is not an id`);
}

export function invalidCount(field: string, raw: unknown): MalformedInput {
  return malformed(field, 'invalid', `"${excerpt(String(raw))}" is not a whole number`);
}
