// Lists in v2 (docs/api-v2.md, "Lists"): the query schema of a resource's list (filters on every field,
// sort, cursor, limit, fields, brief, include), the filters and keyset paging applied to its Kysely
// query, and the answer with its `next` link. A resource declares its fields once (ListFields); the
// schema, the SQL and the OpenAPI parameters all come from that declaration.
import { createHash } from 'node:crypto';
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DatabaseKind } from '../platform/config.ts';
import { foldedContains, foldedSql } from '../platform/db/fold.ts';
import { foldText } from '../platform/fields.ts';
import { ValidationError } from '../platform/errors.ts';
import { LOOKUPS, type LookupField } from './v2.validation.ts';

export type FieldType = 'text' | 'integer' | 'date' | 'time' | 'boolean';

export interface ListField {
  /** The column (`assets.name`), or an expression over the list's tables. */
  column: string | RawBuilder<unknown>;
  type: FieldType;
  /** May it be empty (NULL)? Adds `__empty`; empties sort last. */
  nullable?: boolean;
  /** Sortable unless false. */
  sort?: boolean;
  /** Filterable unless false. */
  filter?: boolean;
  description?: string;
}
export type ListFields = Record<string, ListField>;

const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const TIME = '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$';

function valueSchema(type: FieldType, description: string): TSchema {
  if (type === 'integer') return Type.Integer({ description });
  if (type === 'boolean') return Type.Boolean({ description });
  if (type === 'date') return Type.String({ pattern: DATE, description });
  if (type === 'time') return Type.String({ pattern: TIME, description });
  return Type.String({ maxLength: 500, description });
}

export const MAX_LIMIT = 1000;

/** The query-string schema of a list: the common parameters, every field's filters, and `extra`. */
export function listQuerySchema(fields: ListFields, options: { extra?: TProperties; include?: readonly string[]; archives?: boolean } = {}) {
  const properties: TProperties = {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 50, description: 'Records per page, 1–1000.' })),
    cursor: Type.Optional(Type.String({ maxLength: 2000, description: 'Where the page starts: take it from `next`.' })),
    sort: Type.Optional(
      Type.String({
        maxLength: 200,
        description: `Comma-separated fields, "-" before one for descending: ${sortable(fields).join(', ')}.`,
      }),
    ),
    fields: Type.Optional(Type.String({ maxLength: 1000, description: 'Comma-separated fields to return (id is always returned).' })),
    brief: Type.Optional(Type.Boolean({ description: 'Return only id, url and display.' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Full-text search, as the search box.' })),
    updated_since: Type.Optional(Type.String({ pattern: TIME, description: 'Only records changed (or created) since this time.' })),
  };
  if (options.include?.length)
    properties.include = Type.Optional(
      Type.String({ maxLength: 200, description: `Comma-separated, embedded in each record: ${options.include.join(', ')}.` }),
    );
  if (options.archives)
    properties.archived = Type.Optional(
      Type.Union([Type.Literal('false'), Type.Literal('true'), Type.Literal('all')], {
        description: 'false (default): active records; true: archived ones; all: both.',
      }),
    );
  const lookups: Record<string, LookupField> = {};
  for (const [name, f] of Object.entries(fields)) {
    if (f.filter === false) continue;
    const d = f.description ?? name.replaceAll('_', ' ');
    properties[name] = Type.Optional(valueSchema(f.type, `${d}: equal to${f.type === 'text' ? ' (case- and accent-insensitive)' : ''}.`));
    lookups[name] = { type: f.type, nullable: f.nullable };
  }
  Object.assign(properties, options.extra ?? {});
  return Type.Object(properties, { additionalProperties: false, [LOOKUPS]: lookups });
}

function sortable(fields: ListFields): string[] {
  return Object.entries(fields)
    .filter(([, f]) => f.sort !== false)
    .map(([n]) => n);
}

function expr(f: ListField): RawBuilder<unknown> {
  return typeof f.column === 'string' ? sql.ref(f.column) : f.column;
}

function bool(dialect: DatabaseKind, v: boolean): boolean | number {
  return dialect === 'postgres' ? v : v ? 1 : 0;
}

const OPS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** The field filters of the query, as conditions (the common parameters are the resource's to apply). */
export function filterConditions(dialect: DatabaseKind, fields: ListFields, query: Record<string, unknown>): Array<Expression<SqlBool>> {
  const out: Array<Expression<SqlBool>> = [];
  for (const [param, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const [name, lookup] = param.split('__') as [string, string | undefined];
    const f = fields[name];
    if (!f || f.filter === false) continue;
    const e = expr(f);
    if (!lookup) {
      if (f.type === 'text') out.push(sql<SqlBool>`${foldedSql(dialect, e)} = ${foldText(String(value))}`);
      else if (f.type === 'boolean') out.push(sql<SqlBool>`${e} = ${bool(dialect, value as boolean)}`);
      else out.push(sql<SqlBool>`${e} = ${value}`);
    } else if (lookup === 'ic') out.push(foldedContains(dialect, e, String(value)) as RawBuilder<SqlBool>);
    else if (lookup === 'in') {
      const items = String(value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (f.type === 'integer' && items.some((s) => !/^[0-9]{1,15}$/.test(s)))
        throw new ValidationError([{ field: param, code: 'invalid', message: 'must be whole numbers separated by commas' }]);
      if (items.length === 0) out.push(sql<SqlBool>`1 = 0`);
      else if (f.type === 'text') out.push(sql<SqlBool>`${foldedSql(dialect, e)} in (${sql.join(items.map(foldText))})`);
      else out.push(sql<SqlBool>`${e} in (${sql.join(f.type === 'integer' ? items.map(Number) : items)})`);
    } else if (lookup === 'empty') {
      const empty = f.type === 'text' ? sql<SqlBool>`(${e} is null or ${e} = '')` : sql<SqlBool>`${e} is null`;
      out.push(value ? empty : sql<SqlBool>`not ${empty}`);
    } else if (lookup in OPS) out.push(sql<SqlBool>`${e} ${sql.raw(OPS[lookup as keyof typeof OPS])} ${value}`);
  }
  return out;
}

export interface SortKey {
  name: string;
  field: ListField;
  desc: boolean;
}

/** `sort=-warranty_expire,name` read against the fields; the default when absent. */
export function parseSort(fields: ListFields, sort: string | undefined, fallback: string): SortKey[] {
  const keys: SortKey[] = [];
  for (const part of (sort ?? fallback).split(',').map((s) => s.trim())) {
    if (!part) continue;
    const desc = part.startsWith('-');
    const name = desc ? part.slice(1) : part;
    const field = fields[name];
    if (!field || field.sort === false)
      throw new ValidationError([{ field: 'sort', code: 'invalid', message: `"${name}" is not a sortable field (sortable: ${sortable(fields).join(', ')})` }]);
    if (keys.some((k) => k.name === name)) continue;
    keys.push({ name, field, desc });
  }
  if (keys.length > 4) throw new ValidationError([{ field: 'sort', code: 'invalid', message: 'sorts by at most 4 fields' }]);
  return keys;
}

/** What a list call asked for, besides its filters. */
export interface Page {
  sort: SortKey[];
  limit: number;
  /** The sort values and id of the last record of the previous page. */
  after: unknown[] | null;
  /** Ties the cursor to the filters and sort it was made for. */
  fingerprint: string;
}

const PAGING_PARAMS = new Set(['cursor', 'limit', 'fields', 'brief', 'include']);

export function readPage(fields: ListFields, query: Record<string, unknown>, defaultSort: string): Page {
  const sort = parseSort(fields, query.sort as string | undefined, defaultSort);
  const filters = Object.entries(query)
    .filter(([k, v]) => !PAGING_PARAMS.has(k) && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const fingerprint = createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
  let after: unknown[] | null = null;
  if (typeof query.cursor === 'string') {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
    } catch {
      decoded = null;
    }
    const ok = Array.isArray(decoded) && decoded[0] === fingerprint && decoded.length === sort.length + 2;
    if (!ok)
      throw new ValidationError([
        { field: 'cursor', code: 'invalid', message: 'is not a cursor of this list with these filters and this sort; start again without it' },
      ]);
    after = (decoded as unknown[]).slice(1);
  }
  return { sort, limit: (query.limit as number | undefined) ?? 50, after, fingerprint };
}

const nullFlag = (e: RawBuilder<unknown>) => sql<number>`(case when ${e} is null then 1 else 0 end)`;

/**
 * Orders the query by the page's sort (empties last, then `idColumn`), starts it after the cursor,
 * and selects the sort values as `_k0`, `_k1`… for the next cursor. Fetches one record more than the
 * page, to know whether there is a next one.
 */
export function applyPage<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, page: Page, idColumn: string): QB {
  let q = qb as SelectQueryBuilder<any, any, any>;
  page.sort.forEach((k, i) => {
    q = q.select(expr(k.field).as(`_k${i}`));
  });
  if (page.after) {
    // Lexicographic "after" over the expanded keys: each nullable field is (is-null flag, value).
    const keys: Array<{ e: RawBuilder<unknown>; desc: boolean; v: unknown }> = [];
    page.sort.forEach((k, i) => {
      const v = page.after![i];
      if (k.field.nullable) keys.push({ e: nullFlag(expr(k.field)), desc: false, v: v === null ? 1 : 0 });
      if (v !== null) keys.push({ e: expr(k.field), desc: k.desc, v });
    });
    keys.push({ e: sql.ref(idColumn), desc: false, v: page.after[page.sort.length] });
    const alternatives = keys.map((k, i) => {
      const equal = keys.slice(0, i).map((p) => sql<SqlBool>`${p.e} = ${p.v}`);
      const beyond = sql<SqlBool>`${k.e} ${sql.raw(k.desc ? '<' : '>')} ${k.v}`;
      return sql<SqlBool>`(${sql.join([...equal, beyond], sql` and `)})`;
    });
    q = q.where(sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`);
  }
  for (const k of page.sort) {
    if (k.field.nullable) q = q.orderBy(nullFlag(expr(k.field)));
    q = q.orderBy(expr(k.field), k.desc ? 'desc' : 'asc');
  }
  return q.orderBy(sql.ref(idColumn), 'asc').limit(page.limit + 1) as QB;
}

/** The page's records (without the one fetched past it) and the cursor of the next page, if any. */
export function pageRows<R extends Record<string, unknown>>(rows: R[], page: Page, idOf: (row: R) => number): { rows: R[]; cursor: string | null } {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept.at(-1);
  const cursor =
    more && last
      ? Buffer.from(JSON.stringify([page.fingerprint, ...page.sort.map((_, i) => normalise(last[`_k${i}`])), idOf(last)]), 'utf8').toString('base64url')
      : null;
  return { rows: kept, cursor };
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v;
  return v ?? null;
}

/** Sends `{results, next}` with a `Link: <…>; rel="next"` header when there is a next page. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, results: unknown[], cursor: string | null): FastifyReply {
  let next: string | null = null;
  if (cursor) {
    const url = new URL(request.url, 'http://x');
    url.searchParams.set('cursor', cursor);
    next = `${url.pathname}${url.search}`;
    reply.header('link', `<${next}>; rel="next"`);
  }
  return reply.send({ results, next });
}

/** `fields=` and `brief=` applied to one record as the API shows it. */
export function shapeRecord(record: Record<string, unknown>, query: { fields?: string; brief?: boolean }, known: readonly string[]): Record<string, unknown> {
  if (query.brief) return { id: record.id, url: record.url, display: record.display };
  if (!query.fields) return record;
  const wanted = query.fields
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((f) => !known.includes(f));
  if (unknown.length) throw new ValidationError([{ field: 'fields', code: 'invalid', message: `"${unknown[0]}" is not a field of this record` }]);
  return Object.fromEntries(['id', ...wanted].map((f) => [f, record[f]]));
}

/** The names in `include=` the resource offers; any other is refused. */
export function readInclude(include: string | undefined, offered: readonly string[]): Set<string> {
  const names = (include ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => !offered.includes(n));
  if (bad)
    throw new ValidationError([{ field: 'include', code: 'invalid', message: `"${bad}" cannot be included (offered: ${offered.join(', ') || 'none'})` }]);
  return new Set(names);
}
