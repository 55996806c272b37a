// How v2 checks requests against its TypeBox schemas. Bodies are JSON and must already have the
// schema's types: nothing is coerced (`"dry_run": "false"` is not false, `"7"` is not 7). Query strings
// are text, so each value is read by the type its schema names, strictly: whole numbers in decimal
// digits only, booleans as true or false, every parameter at most once. Text anywhere may not carry
// control characters (the databases refuse NUL; the others are never meant as text).
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { CONTROL_CHARACTER as CONTROL_CHARACTERS, excerpt, MAX_ID } from '../platform/text.ts';
import { ValidationError, type FieldIssue } from '../platform/errors.ts';

/** What Fastify's error handler reads from a failed validation (Ajv's shape, which v2.plugin maps to fields). */
interface Issue {
  instancePath: string;
  message: string;
}

export const v2ValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  // A body that is one record or an array of them (a bulk write): checked as whichever it is.
  const either = schema.anyOf as TSchema[] | undefined;
  if (httpPart === 'body' && either?.length === 2 && either[1]!.type === 'array' && either[0]!.type === 'object') {
    const one = v2ValidatorCompiler({ schema: either[0]!, httpPart, method: '', url: '' });
    const many = v2ValidatorCompiler({ schema: either[1]!, httpPart, method: '', url: '' });
    return (data: unknown) => (Array.isArray(data) ? many(data) : one(data));
  }
  // A bulk write's array: only its size and that it holds objects here; each item is checked on its own
  // (checkItem), so one bad item is reported on its index and, with atomic=false, the others still apply.
  if (httpPart === 'body' && schema.type === 'array' && schema[BULK_ITEMS]) {
    return (data: unknown) => {
      const issues: Issue[] = [];
      if (!Array.isArray(data)) issues.push({ instancePath: '', message: 'must be an array' });
      else if (data.length < 1 || data.length > (schema.maxItems as number))
        issues.push({ instancePath: '', message: `must hold 1 to ${schema.maxItems} items` });
      else if (schema.items?.type === 'object')
        data.forEach((item, i) => {
          if (!item || typeof item !== 'object' || Array.isArray(item)) issues.push({ instancePath: `/${i}`, message: 'must be an object' });
        });
      return issues.length ? { error: issues as never } : { value: data };
    };
  }
  const check = TypeCompiler.Compile(schema);
  const fromQuery = httpPart === 'querystring';
  return (data: unknown) => {
    const issues: Issue[] = [];
    const lookups: Record<string, unknown> = {};
    const value = fromQuery ? queryValues(schema, data, issues, lookups) : data;
    if (issues.length === 0 && !check.Check(value)) {
      const seen = new Set<string>();
      for (const e of check.Errors(value)) {
        if (seen.has(e.path)) continue;
        seen.add(e.path);
        issues.push({ instancePath: e.path, message: messageOf(e.message) });
      }
    }
    if (issues.length === 0) controlCharacters(lookups, '', issues);
    if (issues.length === 0) controlCharacters(value, '', issues);
    if (issues.length === 0 && fromQuery) Object.assign(value as object, lookups);
    // Path ids are decimal digits by their pattern; one past PostgreSQL's integer range names no record.
    if (issues.length === 0 && httpPart === 'params')
      for (const [name, raw] of Object.entries((value ?? {}) as Record<string, unknown>))
        if (typeof raw === 'string' && /^[0-9]+$/.test(raw) && Number(raw) > MAX_ID)
          issues.push({ instancePath: `/${name}`, message: `"${excerpt(raw)}" is not a record id (1 to ${MAX_ID})` });
    return issues.length ? { error: issues as never } : { value };
  };
};

/** Marks an array schema whose items are checked one by one by the handler (bulk writes). */
export const BULK_ITEMS = 'x-bulk-items';

const checkers = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

/** Checks one bulk item against its schema, throwing the field errors as a ValidationError. */
export function checkItem(schema: TSchema, item: unknown): void {
  let check = checkers.get(schema);
  if (!check) checkers.set(schema, (check = TypeCompiler.Compile(schema)));
  const issues: FieldIssue[] = [];
  if (!check.Check(item)) {
    const seen = new Set<string>();
    for (const e of check.Errors(item)) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      issues.push({ field: e.path.replace(/^\//, '').replaceAll('/', '.') || 'body', code: 'invalid', message: messageOf(e.message) });
    }
  } else {
    const found: Issue[] = [];
    controlCharacters(item, '', found);
    for (const f of found) issues.push({ field: f.instancePath.replace(/^\//, '').replaceAll('/', '.'), code: 'invalid', message: f.message });
  }
  if (issues.length) throw new ValidationError(issues);
}

/** TypeBox's wording, as the rest of Steward words a field's problem. */
function messageOf(message: string): string {
  if (message === 'Expected required property') return 'is required';
  if (message === 'Unexpected property') return 'is not a field of this request';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/**
 * A list's filter lookups (`warranty_expire__lt`, `name__ic`…), one set per field the list declares
 * (LOOKUPS on its query schema): read here rather than listed in the schema, so the OpenAPI document
 * names each field once instead of seven times.
 */
export const LOOKUPS = 'x-lookups';
export interface LookupField {
  type: 'text' | 'integer' | 'date' | 'time' | 'boolean';
  nullable?: boolean;
}
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$/;

function lookupValue(field: LookupField, lookup: string, raw: string): { value: unknown } | { problem: string } {
  if (lookup === 'in') return raw.length <= 2000 ? { value: raw } : { problem: 'is longer than 2000 characters' };
  if (lookup === 'ic')
    return field.type === 'text' && raw.length <= 500 ? { value: raw } : { problem: 'contains applies to text fields only, up to 500 characters' };
  if (lookup === 'empty') {
    if (!field.nullable) return { problem: 'this field is never empty' };
    return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: `"${excerpt(raw)}" is not true or false` };
  }
  if (['lt', 'lte', 'gt', 'gte'].includes(lookup)) {
    if (field.type === 'integer')
      return /^[0-9]{1,16}$/.test(raw) ? { value: Number(raw) } : { problem: `"${excerpt(raw)}" is not a whole number in decimal digits` };
    if (field.type === 'date') return DATE.test(raw) ? { value: raw } : { problem: `"${excerpt(raw)}" is not a date (YYYY-MM-DD)` };
    if (field.type === 'time') return TIME.test(raw) ? { value: raw } : { problem: `"${excerpt(raw)}" is not an ISO 8601 time` };
    return { problem: 'before/after apply to numbers, dates and times only' };
  }
  return { problem: `"__${lookup}" is not a lookup (in, ic, lt, lte, gt, gte, empty)` };
}

/** The query string's values, each read as the type its schema property names. */
function queryValues(schema: TSchema, data: unknown, issues: Issue[], lookups: Record<string, unknown>): unknown {
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const fields = schema[LOOKUPS] as Record<string, LookupField> | undefined;
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    const path = `/${name}`;
    if (typeof raw !== 'string') {
      issues.push({ instancePath: path, message: 'is given more than once' });
      continue;
    }
    const split = fields && !properties[name] ? /^([a-z0-9_]+?)__([a-z]+)$/.exec(name) : null;
    if (split) {
      const field = fields![split[1]!];
      const read = field ? lookupValue(field, split[2]!, raw) : { problem: 'is not a field of this list' };
      if ('value' in read) lookups[name] = read.value;
      else issues.push({ instancePath: path, message: read.problem });
      continue;
    }
    const type = properties[name]?.type;
    if (type === 'integer') {
      if (/^[0-9]{1,16}$/.test(raw)) out[name] = Number(raw);
      else issues.push({ instancePath: path, message: `"${excerpt(raw)}" is not a whole number in decimal digits` });
    } else if (type === 'boolean') {
      if (raw === 'true' || raw === 'false') out[name] = raw === 'true';
      else issues.push({ instancePath: path, message: `"${excerpt(raw)}" is not true or false` });
    } else {
      out[name] = raw;
    }
  }
  return out;
}

function controlCharacters(value: unknown, path: string, issues: Issue[]): void {
  if (typeof value === 'string') {
    if (CONTROL_CHARACTERS.test(value)) issues.push({ instancePath: path, message: 'contains a control character' });
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (CONTROL_CHARACTERS.test(key)) issues.push({ instancePath: `${path}/${key}`, message: 'contains a control character' });
      else controlCharacters(inner, `${path}/${key}`, issues);
    }
  }
}
