// Checks every request gets at the edge, before any route sees it: the query string is decoded
// strictly into an object with no prototype, a parameter may repeat only where its route says so, and
// no text a request carries (query, path, body) holds a control character other than tab, CR or LF.
// A request that fails is answered 400 naming the parameter, and reaches no handler or database.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MalformedRequestError } from '../errors.ts';
import { CONTROL_CHARACTER, excerpt } from '../text.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Query parameters this route accepts more than once (ticked checkboxes of a GET form). */
    repeatableQuery?: readonly string[];
  }
}

const PROBLEM = Symbol('query string problem');
type ParsedQuery = Record<string, string | string[]> & { [PROBLEM]?: MalformedRequestError };

const MAX_DEPTH = 20;

function decodePart(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * Fastify's query string parser. It must not throw (it runs inside the router), so a malformed query
 * string is remembered on the result and refused by the onRequest check.
 */
export function parseQueryString(raw: string): ParsedQuery {
  return parseUrlEncoded(raw, 'query');
}

/** The parser of form bodies (application/x-www-form-urlencoded), as strict as the query string's. */
export function parseFormBody(raw: string): ParsedQuery {
  return parseUrlEncoded(raw, 'body');
}

function parseUrlEncoded(raw: string, where: 'query' | 'body'): ParsedQuery {
  const query: ParsedQuery = Object.create(null);
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodePart(at === -1 ? pair : pair.slice(0, at));
    const value = decodePart(at === -1 ? '' : pair.slice(at + 1));
    if (name === null || value === null) {
      query[PROBLEM] ??= new MalformedRequestError(where, `"${excerpt(pair)}" is not valid percent-encoded UTF-8`);
      continue;
    }
    const before = query[name];
    query[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return query;
}

/** Text with its control characters (but tab, CR and LF) taken out: for names a browser sends, like a file's. */
export function withoutControlCharacters(text: string): string {
  return text.replace(new RegExp(CONTROL_CHARACTER.source, 'g'), '');
}

/** Refuses text holding a control character other than tab, CR or LF, naming the field. */
export function refuseControlCharacters(field: string, text: string): void {
  if (CONTROL_CHARACTER.test(text)) {
    const code = text.match(CONTROL_CHARACTER)![0].charCodeAt(0);
    throw new MalformedRequestError(
      field || 'body',
      `contains a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}), which is not allowed in text`,
    );
  }
}

/** Every string in a parsed body (JSON or form), checked where it sits; the field is named by its path. */
function checkValue(field: string, value: unknown, depth: number): void {
  if (typeof value === 'string') {
    refuseControlCharacters(field, value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw new MalformedRequestError(field || 'body', 'is nested too deeply');
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkValue(`${field}[${i}]`, item, depth + 1);
    return;
  }
  if (Buffer.isBuffer(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const path = field ? `${field}.${key}` : key;
    refuseControlCharacters(path, key);
    checkValue(path, item, depth + 1);
  }
}

export function checkQuery(request: FastifyRequest): void {
  const query = request.query as ParsedQuery | undefined;
  if (!query || typeof query !== 'object') return;
  if (query[PROBLEM]) throw query[PROBLEM];
  const repeatable = request.routeOptions.config?.repeatableQuery ?? [];
  for (const [name, value] of Object.entries(query)) {
    refuseControlCharacters(excerpt(name), name);
    if (Array.isArray(value) && !repeatable.includes(name)) {
      throw new MalformedRequestError(excerpt(name), 'is given more than once; give it once');
    }
    for (const one of Array.isArray(value) ? value : [value]) refuseControlCharacters(excerpt(name), one);
  }
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    checkQuery(request);
    for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') refuseControlCharacters(name, value);
    }
  });
  app.addHook('preValidation', async (request) => {
    const problem = (request.body as ParsedQuery | null | undefined)?.[PROBLEM];
    if (problem) throw problem;
    checkValue('', request.body, 0);
  });
}
