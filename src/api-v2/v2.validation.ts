// How v2 checks requests against its TypeBox schemas. Bodies are JSON and must already have the
// schema's types: nothing is coerced (`"dry_run": "false"` is not false, `"7"` is not 7). Query strings
// are text, so each value is read by the type its schema names, strictly: whole numbers in decimal
// digits only, booleans as true or false, every parameter at most once. Text anywhere may not carry
// control characters (the databases refuse NUL; the others are never meant as text).
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { CONTROL_CHARACTER as CONTROL_CHARACTERS, excerpt } from '../platform/text.ts';

/** What Fastify's error handler reads from a failed validation (Ajv's shape, which v2.plugin maps to fields). */
interface Issue {
  instancePath: string;
  message: string;
}

export const v2ValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const fromQuery = httpPart === 'querystring';
  return (data: unknown) => {
    const issues: Issue[] = [];
    const value = fromQuery ? queryValues(schema, data, issues) : data;
    if (issues.length === 0 && !check.Check(value)) {
      const seen = new Set<string>();
      for (const e of check.Errors(value)) {
        if (seen.has(e.path)) continue;
        seen.add(e.path);
        issues.push({ instancePath: e.path, message: messageOf(e.message) });
      }
    }
    if (issues.length === 0) controlCharacters(value, '', issues);
    return issues.length ? { error: issues as never } : { value };
  };
};

/** TypeBox's wording, as the rest of Steward words a field's problem. */
function messageOf(message: string): string {
  if (message === 'Expected required property') return 'is required';
  if (message === 'Unexpected property') return 'is not a field of this request';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** The query string's values, each read as the type its schema property names. */
function queryValues(schema: TSchema, data: unknown, issues: Issue[]): unknown {
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    const path = `/${name}`;
    if (typeof raw !== 'string') {
      issues.push({ instancePath: path, message: 'is given more than once' });
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
