// A bounded fuzzer, kept as a test: a few thousand malformed requests, chosen by a seeded PRNG so every
// run sends the same ones, against a real `steward serve` on each database. It covers every route the
// app registers (listed from the app itself, so new routes are fuzzed without editing this file):
// every v1 endpoint, every v2 operation, every web page and form (signed in, with a valid CSRF token so
// the form handlers run). Values are ids that are not ids, text with NUL and control characters, 50 KB
// strings, invalid percent-encoding, prototype keys, repeated parameters, wrong JSON types and objects
// where text belongs. No answer may be a 5xx, and a batch of refused requests may change no data.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/api-key.service.ts';
import { createUser } from '../../src/accounts/user.service.ts';
import { V1_ASSET_FIELDS, V1_INTERFACE_FIELDS } from '../../src/api-v1/v1.assets-format.ts';
import { buildApp } from '../../src/app.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { addAssetNote } from '../../src/assets/asset-note.service.ts';
import { createLogin } from '../../src/logins/login.service.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import { loadSecretBox } from '../../src/platform/secrets.ts';
import { createService } from '../../src/services/service.service.ts';
import { createTag } from '../../src/tags/tag.service.ts';
import { createTicket } from '../../src/tickets/ticket.service.ts';
import { createEmptyDatabase, DIALECTS } from '../support/databases.ts';
import { makeClientWithRecords } from '../support/factories.ts';
import { requesterAt, type HttpResponse, type Requester } from '../support/http.ts';
import { adminKey, startServer, type RunningServer } from '../support/server.ts';
import { WebClient } from '../support/web-client.ts';

const SEED = 0x5eed_2026;
/**
 * Requests per route and method: v1 and web pages a fixed number each; API v2, with some 160
 * operations, a budget shared among them (at least 12 each), so some 6,000 requests per database.
 */
const PER_ROUTE = { v1: 40, web: 10 };
const V2_BUDGET = 2_400;
/**
 * Operations that, given a plausible id, rightly revoke the fuzzer's own key or disable its user, after
 * which nothing else it sends reaches a handler: left out of the random requests (their input checks
 * are the same as every other v2 operation's).
 */
const LOCKS_ITSELF_OUT = /^(DELETE \/api\/v2\/api-keys|(PATCH|PUT) \/api\/v2\/users|POST \/api\/v2\/users\/:id\/disable)/;
const PARALLEL = 8;
const SECRET_KEY = 'q0Rj0d2mZ1m6yWqg0b4m3Xv7t8b2Jc9H1l5p0s3u6wA=';
const ADMIN = { email: 'fuzz@example.test', password: 'correct horse' };

/** xorshift32: small, seeded, the same sequence on every run. */
function prng(seed: number) {
  let x = seed | 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

const BAD_IDS = ['0', '-1', '2147483648', '1e300', '0x10', '', 'abc', '1e3', ' 7 ', '1.5', '99999999999999999999', '１２'];
const BAD_TEXTS = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0008\u001f',
  '\u001b[31mred',
  'del\u007f',
  'x'.repeat(50_000),
  '__proto__',
  'constructor',
  'prototype',
  '"unterminated',
  'a" OR "b',
  "' or 1=1 --",
  'NEAR(a b',
  '*',
  '-',
  'ü Ω 😀',
  '\ud800',
  '%C3%28',
  '%ZZ',
  '   ',
  '<script>alert(1)</script>',
  '0000-00-00',
  '2024-02-30',
];
const PRINTABLE_TEXTS = BAD_TEXTS.filter((t) => !/[\u0000-\u001f\u007f]/.test(t));
/** Searches that full-text engines read as syntax (FTS5 and tsquery), for every page's `q`. */
const SEARCHES = ['"unterminated', 'NEAR(a b', '*', 'a AND', '-x', '"', "'", '\\', 'ü*', '((', '%', '_'];
/** Put into URLs as they are, not encoded: invalid UTF-8 and broken escapes. */
const RAW_ESCAPES = ['%C3%28', '%ZZ', '%00', '%', '%E0%A4%A', '%FF%FE', '%u0041', '%2e%2e%2f'];
const JSON_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e300,
  2_147_483_648,
  [],
  ['a', 'b'],
  {},
  { toString: 'x' },
  { valueOf: 1 },
  { nested: { deep: [1] } },
];
const RAW_JSON_BODIES = [
  'not json',
  '[1,2]',
  '"text"',
  'null',
  '{"a":',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1,"a":2}',
];

interface Route {
  method: string;
  path: string;
}

interface FuzzRequest {
  route: Route;
  method: string;
  url: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Web requests go through a signed-in browser; the anonymous ones through a fresh one. */
  via: 'api' | 'web' | 'webJson' | 'anonymous';
  form?: Record<string, string | string[]>;
}

interface Outcome {
  request: FuzzRequest;
  status: number;
  body: string;
}

/** The routes of the app, read from Fastify's own route tree (so new routes are fuzzed too). */
async function appRoutes(): Promise<Route[]> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-fuzz-routes-'));
  const store = openStore({ kind: 'sqlite', url: join(dir, 'routes.db') });
  try {
    await migrateToLatest(store);
    // No per-key rate limit: thousands of v2 requests with one key must reach their handlers, not a 429.
    const app = await buildApp({
      config: { ...loadConfig({ STEWARD_DATA_DIR: dir, STEWARD_SECRET_KEY: SECRET_KEY }), logLevel: 'silent', apiRateLimit: 0 },
      store,
    });
    await app.ready();
    const tree = app.printRoutes({ commonPrefix: false });
    await app.close();
    return parseRouteTree(tree);
  } finally {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseRouteTree(tree: string): Route[] {
  const segments: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = (at - 1) / 4;
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(at + 3))!;
    segments[depth] = m[1]!;
    segments.length = depth + 1;
    const path = segments.join('');
    for (const method of (m[2] ?? '').split(', ').filter(Boolean)) {
      if (method === 'HEAD' || path.includes('*')) continue;
      // v1 answers every method alike; the fuzzer sends its GET or POST and now and then another.
      if (path.startsWith('/api/v1/') && method !== 'GET') continue;
      routes.push({ method, path });
    }
  }
  return routes;
}

const ANONYMOUS = /^\/(sign-in|sign-out|setup|healthz|readyz|metrics)(\/|$)/;
const VOLATILE_TABLES = /^(sessions|audit_log|auth_failures|api_keys|kysely_migration.*|asset_search.*)$/;
const VOLATILE_COLUMNS = /^(accessed_at|last_.*|.*_seen_at|.*used_at)$/;

/** A digest of every data table (minus sessions, logs and derived indexes): equal digests, unchanged data. */
async function dataDigest(store: Store): Promise<string> {
  const tables = (await store.db.introspection.getTables())
    .map((t) => t.name)
    .filter((n) => !VOLATILE_TABLES.test(n))
    .sort();
  const hash = createHash('sha256');
  for (const table of tables) {
    const rows = (await store.db
      .selectFrom(table as never)
      .selectAll()
      .execute()) as Array<Record<string, unknown>>;
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !VOLATILE_COLUMNS.test(k)))).sort();
    hash.update(`${table}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}

describe.each(DIALECTS)('fuzzing every route on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-fuzz-'));
  let server: RunningServer;
  let drop: () => Promise<void>;
  let store: Store;
  let http: Requester;
  let web: WebClient;
  let key = '';
  let routes: Route[] = [];
  /** A real record id for each kind of record a path or field names. */
  const ids: Record<string, number> = {};
  /** Field names of the forms on each page, and of all forms. */
  const formFields = new Map<string, string[]>();
  const allFields = new Set<string>([
    'name',
    'notes',
    'description',
    'client_id',
    'asset_id',
    'ids',
    'q',
    'page',
    'sort',
    'status',
    'type',
    'tag',
    'version',
    'next',
    'reason',
  ]);

  beforeAll(async () => {
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    // No per-key rate limit: every fuzzed v2 request must reach its handler, not a 429.
    const env = {
      STEWARD_DATA_DIR: dataDir,
      STEWARD_DATABASE_URL: dialect === 'sqlite' ? '' : db.url,
      STEWARD_SECRET_KEY: SECRET_KEY,
      STEWARD_API_RATE_LIMIT: '0',
    };
    key = await adminKey(env, ADMIN.email);
    server = await startServer(env);
    http = requesterAt(server.port);
    store = openStore({ kind: dialect, url: dialect === 'sqlite' ? join(dataDir, 'steward.db') : db.url });
    await seed(store);
    routes = await appRoutes();
    web = await signIn();
    // Each page with a form, once, for the names of its fields.
    for (const route of routes.filter((r) => r.method === 'GET' && !ANONYMOUS.test(r.path) && !r.path.startsWith('/api/'))) {
      const res = await web.get(withIds(route.path));
      const names = [...res.body.matchAll(/<(?:input|select|textarea|button)\b[^>]*\sname="([^"]+)"/g)].map((m) => m[1]!).filter((n) => n !== '_csrf');
      formFields.set(route.path, [...new Set(names)]);
      for (const n of names) allFields.add(n);
    }
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function seed(s: Store): Promise<void> {
    const ctx: Ctx = { db: s.db, dialect: s.dialect, actor: { type: 'system', name: 'fuzz seed' }, principal: null, source: 'system' };
    const a = await makeClientWithRecords(ctx, 'Fuzz Co');
    const b = await makeClientWithRecords(ctx, 'Other Co');
    const asset = await createAsset(ctx, {
      clientId: a.client.id,
      name: 'FUZZ-01',
      locationId: a.location.id,
      primaryInterface: { ip: '10.0.0.5', mac: 'AA:BB:CC:00:00:01', networkId: a.network.id },
    });
    await createAsset(ctx, { clientId: a.client.id, name: 'FUZZ-02', serial: 'SER-2' });
    const note = await addAssetNote(ctx, asset.id, { body: 'first note' });
    const ticket = await createTicket(ctx, { clientId: a.client.id, subject: 'Printer jam', assetIds: [asset.id] });
    const service = await createService(ctx, { clientId: a.client.id, name: 'Backups' });
    const login = await createLogin(ctx, loadSecretBox({ dataDir, secretKey: SECRET_KEY }), {
      clientId: a.client.id,
      name: 'Router',
      username: 'admin',
      password: 'S3cret!',
      assetId: asset.id,
    });
    const tag = await createTag(ctx, { name: 'Critical' });
    // Admin pages act on a user and a key that are not the fuzzer's own, so it keeps its session and key.
    const victim = await createUser(ctx, { email: 'victim@example.test', name: 'Victim', password: 'fern-quilt-38', role: 'technician' });
    const victimKey = await createApiKey(ctx, { userEmail: 'victim@example.test', name: 'victim key' });
    const role = await s.db.selectFrom('roles').selectAll().execute();
    const listValue = await s.db.selectFrom('list_values').select('id').orderBy('id').executeTakeFirst();
    Object.assign(ids, {
      clients: a.client.id,
      otherClient: b.client.id,
      assets: asset.id,
      locations: a.location.id,
      contacts: a.contact.id,
      vendors: a.vendor.id,
      networks: a.network.id,
      interfaces: asset.primaryInterface?.id ?? 1,
      notes: note.id,
      tickets: ticket.id,
      services: service.id,
      logins: login.id,
      tags: tag.id,
      users: victim.id,
      'api-keys': victimKey.id,
      values: listValue?.id ?? 1,
      imports: 1,
      roles: (role as Array<{ id: number; name?: string }>).find((r) => !/admin/i.test(r.name ?? ''))?.id ?? 2,
    });
  }

  async function signIn(): Promise<WebClient> {
    const client = new WebClient(http);
    await client.get('/sign-in');
    const res = await client.post('/sign-in', ADMIN);
    expect(res.statusCode, res.body).toBe(303);
    await client.get('/dashboard');
    return client;
  }

  /** The record id a path parameter names: the kind is the segment before it (`/assets/:id`). */
  function idFor(path: string, param: string): number {
    const before = path.slice(0, path.indexOf(param)).split('/').filter(Boolean).pop() ?? '';
    if (param === ':clientId') return ids.clients!;
    return ids[before] ?? 1;
  }

  function withIds(path: string, rng?: Rng): string {
    return path.replace(/:[A-Za-z]+/g, (param) => {
      if (param === ':list') return rng?.chance(0.3) ? enc(rng.pick(BAD_TEXTS)) : 'asset_type';
      if (rng?.chance(0.3)) return hostile && rng.chance(0.5) ? rng.pick(RAW_ESCAPES) : enc(rng.pick(BAD_IDS)) || '%20';
      return String(idFor(path, param));
    });
  }

  /** A plausible value for a field, so that some requests get past the first check to the next. */
  function plausible(field: string, rng: Rng): string {
    if (/(^|_)id$|Id$/.test(field)) {
      const kind = field.replace(/_?[iI]d$/, '');
      const byKind: Record<string, string> = {
        client: 'clients',
        asset: 'assets',
        location: 'locations',
        contact: 'contacts',
        vendor: 'vendors',
        network: 'networks',
        asset_location: 'locations',
        asset_vendor: 'vendors',
        asset_contact: 'contacts',
        asset_network: 'networks',
        to_client: 'otherClient',
      };
      return String(ids[byKind[kind] ?? `${kind}s`] ?? ids.clients);
    }
    if (/date|expire|due/i.test(field)) return '2025-06-30';
    if (/email/.test(field)) return `f${rng.int(1_000)}@example.test`;
    if (/^(limit|offset|page|cursor)$/.test(field)) return String(rng.int(20));
    if (/favorite|primary|dry_run|include/.test(field)) return rng.pick(['1', '0', 'true', 'on']);
    return `Fuzz ${rng.int(10_000)}`;
  }

  /**
   * Hostile requests carry what the global guards refuse before any handler runs (control characters,
   * repeated parameters, broken escapes); the others get through to the handlers with bad ids, types
   * and text.
   */
  let hostile = false;

  function textValue(field: string, rng: Rng): string {
    const r = rng.next();
    if (r < 0.3) return plausible(field, rng);
    if (r < 0.55) return rng.pick(BAD_IDS);
    return rng.pick(hostile ? BAD_TEXTS : PRINTABLE_TEXTS);
  }

  function jsonValue(field: string, rng: Rng): unknown {
    return rng.chance(0.2) ? rng.pick(JSON_VALUES) : textValue(field, rng);
  }

  /** Percent-encoded; a lone surrogate goes out as the bytes it would be in CESU-8 (invalid UTF-8). */
  function enc(text: string): string {
    const lone = /([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;
    return text
      .split(lone)
      .map((part, i) => (i % 2 ? '%ED%A0%80' : encodeURIComponent(part)))
      .join('');
  }

  /** A query string of the given fields, with now and then a repeated parameter or a raw broken escape. */
  function queryOf(fields: string[], rng: Rng): string {
    const parts: string[] = [];
    for (const f of fields) {
      parts.push(`${enc(f)}=${enc(textValue(f, rng).slice(0, 2_000))}`);
      if (hostile && rng.chance(0.3)) parts.push(`${enc(f)}=${enc(textValue(f, rng).slice(0, 200))}`);
      if (hostile && rng.chance(0.2)) parts.push(`${enc(f)}=${rng.pick(RAW_ESCAPES)}`);
    }
    if (hostile && rng.chance(0.1)) parts.push(`${rng.pick(RAW_ESCAPES)}=1`);
    return parts.join('&');
  }

  function some<T>(items: readonly T[], rng: Rng, max: number): T[] {
    return Array.from({ length: 1 + rng.int(max) }, () => rng.pick(items));
  }

  function v1Request(route: Route, rng: Rng): FuzzRequest {
    const [, , , resource = '', operation = ''] = route.path.split('/');
    const prefix = resource.slice(0, -1);
    const read = operation === 'read.php';
    const names = [
      `${prefix}_id`,
      'client_id',
      `${prefix}_name`,
      `${prefix}_notes`,
      `${prefix}_description`,
      `${prefix}_email`,
      `${prefix}_phone`,
      `${prefix}_favorite`,
      `${prefix}_location_id`,
      'limit',
      'offset',
      '__proto__',
      'constructor',
      'api_key',
      ...(prefix === 'asset' ? [...Object.keys(V1_ASSET_FIELDS), ...Object.keys(V1_INTERFACE_FIELDS)] : []),
      ...(prefix === 'network' ? ['network', 'network_vlan', 'network_gateway'] : []),
      ...(prefix === 'contact' ? ['contact_phone_or_mobile', 'contact_title'] : []),
    ];
    const fields = some(names, rng, 6).filter((f) => f !== 'api_key' || rng.chance(0.05));
    const method = rng.chance(0.05) ? rng.pick(['PUT', 'DELETE', 'PATCH', read ? 'POST' : 'GET']) : read ? 'GET' : 'POST';
    const keyParam = `api_key=${encodeURIComponent(key)}`;
    const transport = rng.next();
    if (transport < 0.35) {
      return { route, method, url: `${route.path}?${keyParam}&${queryOf(fields, rng)}`, via: 'api' };
    }
    if (transport < 0.5) {
      const body = new URLSearchParams([['api_key', key], ...fields.map((f) => [f, textValue(f, rng)] as [string, string])]).toString();
      return { route, method, url: route.path, body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, via: 'api' };
    }
    if (transport < 0.6) {
      const raw = rng.chance(0.5)
        ? rng.pick(RAW_JSON_BODIES)
        : Buffer.concat([Buffer.from(`{"api_key":"${key}","${rng.pick(names)}":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
      return { route, method, url: `${route.path}?${keyParam}`, body: raw, headers: { 'content-type': 'application/json' }, via: 'api' };
    }
    const payload: Record<string, unknown> = { api_key: key };
    for (const f of fields) payload[f] = rng.chance(0.3) ? plausible(f, rng) : jsonValue(f, rng);
    return { route, method, url: route.path, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, via: 'api' };
  }

  function v2Request(route: Route, rng: Rng): FuzzRequest {
    const auth = { authorization: rng.chance(0.03) ? `Bearer ${rng.pick(['nope', '__proto__', '0x10', 'x'.repeat(5_000), `${key} extra`])}` : `Bearer ${key}` };
    const url = withIds(route.path, rng);
    if (route.method === 'GET') {
      const query = queryOf(some(['cursor', 'limit', 'include_lineage', 'unknown'], rng, 3), rng);
      return { route, method: 'GET', url: `${url}?${query}`, headers: auth, via: 'api' };
    }
    const valid: Record<string, () => unknown> = {
      asset_ids: () => [ids.assets],
      to_client_id: () => ids.otherClient,
      mappings: () => ({ location: { [String(ids.locations)]: null } }),
      reason: () => 'moving',
      dry_run: () => rng.chance(0.9),
    };
    const payload: Record<string, unknown> = {};
    for (const [field, good] of Object.entries(valid)) {
      const r = rng.next();
      if (r < 0.6) payload[field] = good();
      else if (r < 0.8) payload[field] = rng.pick(JSON_VALUES);
      else if (r < 0.9) payload[field] = field === 'asset_ids' ? [rng.pick([...BAD_IDS, 0, -1, 2_147_483_648, 1e300])] : rng.pick(BAD_TEXTS);
      else if (field === 'mappings')
        payload[field] = { [rng.pick(['location', 'contact', 'vendor', 'network', '__proto__'])]: { [rng.pick(BAD_IDS)]: rng.pick(JSON_VALUES) } };
    }
    if (rng.chance(0.05)) payload[rng.pick(['colour', 'constructor', 'toString'])] = 'x';
    const body = rng.chance(0.1) ? rng.pick(RAW_JSON_BODIES) : JSON.stringify(payload);
    return { route, method: route.method, url, body, headers: { ...auth, 'content-type': 'application/json' }, via: 'api' };
  }

  function webRequest(route: Route, rng: Rng): FuzzRequest {
    const url = withIds(route.path, rng);
    const via = ANONYMOUS.test(route.path) ? 'anonymous' : 'web';
    if (route.method === 'GET') {
      const fields = some(
        [...(formFields.get(route.path) ?? []), 'page', 'sort', 'client_id', 'status', 'type', 'tag', 'next', 'archived', 'limit', 'size', 'desc'],
        rng,
        4,
      );
      const search = rng.chance(0.5) ? `q=${enc(rng.pick(SEARCHES))}&` : '';
      return { route, method: 'GET', url: `${url}?${search}${queryOf(fields, rng)}`, via };
    }
    const known = formFields.get(route.path) ?? [];
    const names = known.length ? known : [...allFields];
    const form: Record<string, string | string[]> = {};
    for (const f of rng.chance(0.5) && known.length ? known : some(names, rng, 6)) {
      form[f] = hostile && rng.chance(0.2) ? [textValue(f, rng), textValue(f, rng)] : textValue(f, rng);
    }
    if (rng.chance(0.05)) form._csrf = rng.pick(['', 'forged', ...BAD_TEXTS.slice(0, 3)]);
    const query = rng.chance(0.15) ? `?${queryOf(some(names, rng, 2), rng)}` : '';
    if (via === 'web' && rng.chance(0.2)) {
      // Fastify parses JSON on any route: objects, arrays and numbers where a form only sends text.
      const payload = Object.fromEntries(Object.keys(form).map((f) => [f, jsonValue(f, rng)]));
      return { route, method: route.method, url: url + query, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, via: 'webJson' };
    }
    return { route, method: route.method, url: url + query, form, via };
  }

  /** Every route's requests, in a shuffled (but fixed) order. */
  function plan(): FuzzRequest[] {
    const rng = prng(SEED);
    const all: FuzzRequest[] = [];
    const perV2Route = Math.max(12, Math.floor(V2_BUDGET / Math.max(1, routes.filter((r) => r.path.startsWith('/api/v2/')).length)));
    for (const route of routes.filter((r) => !LOCKS_ITSELF_OUT.test(`${r.method} ${r.path}`))) {
      hostile = false;
      const [count, make] = route.path.startsWith('/api/v1/')
        ? [PER_ROUTE.v1, v1Request]
        : route.path.startsWith('/api/v2/')
          ? [perV2Route, v2Request]
          : [PER_ROUTE.web, webRequest];
      for (let i = 0; i < count; i++) {
        hostile = rng.chance(0.35);
        all.push(make(route, rng));
      }
    }
    hostile = false;
    for (let i = all.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all;
  }

  async function send(request: FuzzRequest, anonymous: WebClient): Promise<Outcome> {
    try {
      return await sendOnce(request, anonymous);
    } catch (error) {
      // Node answers a request its HTTP parser cannot take (a header section over 16 KB, a bad request
      // line) with 400/431 and closes the socket at once; a client still writing its request may see
      // only the close. That is a refusal too; that no server process died is checked at the end.
      if (/socket hang up|ECONNRESET|EPIPE/.test(String(error))) return { request, status: 499, body: `connection closed: ${String(error)}` };
      throw new Error(`${String(error)} on ${describeRequest(request)}`);
    }
  }

  async function sendOnce(request: FuzzRequest, anonymous: WebClient): Promise<Outcome> {
    let res: HttpResponse;
    if (request.via === 'api') {
      res = await http({ method: request.method, url: request.url, payload: request.body, headers: request.headers });
    } else if (request.via === 'webJson') {
      // The signed-in browser's cookies and token, on a body no browser form sends.
      const cookie = web.cookieHeader();
      res = await http({ method: request.method, url: request.url, payload: request.body, headers: { ...request.headers, cookie, 'x-csrf-token': web.csrf } });
    } else {
      const browser = request.via === 'web' ? web : anonymous;
      res = request.method === 'GET' ? await browser.get(request.url) : await browser.post(request.url, request.form ?? {}, { 'x-csrf-token': browser.csrf });
    }
    return { request, status: res.statusCode, body: res.body };
  }

  /** Refused: a 4xx, or v1's failure envelope. */
  function refused(o: Outcome): boolean {
    if (o.status >= 400 && o.status < 500) return true;
    return o.request.route.path.startsWith('/api/v1/') && o.status === 200 && o.body.startsWith('{"success":"False"');
  }

  /** What the server logged for a 5xx: the error's message and where it was thrown in src/. */
  function loggedError(o: Outcome): string {
    const requestId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(o.body)?.[0];
    const line = requestId
      ? server
          .output()
          .split('\n')
          .find((l) => l.includes(requestId) && l.includes('"err"'))
      : undefined;
    if (!line) return o.body.slice(0, 200);
    try {
      const err = (JSON.parse(line) as { err?: { message?: string; stack?: string } }).err ?? {};
      const where = /\/(src\/[^\s)]+)/.exec(err.stack ?? '')?.[1] ?? '';
      return `${err.message ?? ''} ${where}`.trim();
    } catch {
      return line.slice(0, 300);
    }
  }

  function describeRequest(r: FuzzRequest): string {
    const body = r.form
      ? new URLSearchParams(Object.entries(r.form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))).toString()
      : r.body === undefined
        ? ''
        : String(r.body);
    const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
    return `${r.method} ${cut(r.url.replace(key, '<key>'))} body: ${cut(body.replace(key, '<key>'))}`;
  }

  it('refuses every state-changing web route without its CSRF token, signed in or not, and changes nothing', async () => {
    const before = await dataDigest(store);
    const forms = routes.filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/'));
    expect(forms.length, 'state-changing web routes found').toBeGreaterThan(80);
    const unguarded: string[] = [];
    // An upload form is multipart; its token is a field before the file, as the page sends it.
    const boundary = 'csrfprobe';
    const upload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="kind"',
      '',
      'assets',
      `--${boundary}`,
      `Content-Disposition: form-data; name="client"`,
      '',
      String(ids.clients),
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="probe.csv"',
      'Content-Type: text/csv',
      '',
      'Name\r\nCSRF-PROBE',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    for (const route of forms) {
      // The session (and the sign-in form's cookie) as a browser would send them; only the token is missing.
      const multipart = route.path === '/imports';
      const res = await http({
        method: route.method,
        url: withIds(route.path),
        payload: multipart ? upload : 'name=CSRF+probe&notes=probe',
        headers: { 'content-type': multipart ? `multipart/form-data; boundary=${boundary}` : 'application/x-www-form-urlencoded', cookie: web.cookieHeader() },
      });
      // The code step of a sign-in serves only a pending sign-in (with its own token); a signed-in user is sent on.
      if (route.path === '/sign-in/code' && res.statusCode === 302) continue;
      if (res.statusCode !== 403 || !res.body.includes('did not come from Steward')) unguarded.push(`${route.method} ${route.path} → ${res.statusCode}`);
    }
    expect(unguarded, 'routes that did not refuse a form without its token').toEqual([]);
    expect(await dataDigest(store)).toBe(before);
    expect((await web.get('/dashboard')).statusCode).toBe(200);
  }, 120_000);

  it('sends a visitor who is not signed in to the sign-in page from every page and form but the sign-in ones, reading no form', async () => {
    const before = await dataDigest(store);
    const guarded = routes.filter((r) => !r.path.startsWith('/api/') && !ANONYMOUS.test(r.path) && r.path !== '/');
    expect(guarded.length, 'web routes found').toBeGreaterThan(150);
    const open: string[] = [];
    for (const route of guarded) {
      const form = route.method !== 'GET';
      const res = await http({
        method: route.method,
        url: withIds(route.path),
        payload: form ? 'name=probe&notes=probe' : undefined,
        headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      });
      if (res.statusCode !== 302 || !String(res.headers.location).startsWith('/sign-in')) open.push(`${route.method} ${route.path} → ${res.statusCode}`);
    }
    expect(open, 'routes that did not send a visitor to sign in').toEqual([]);
    expect(await dataDigest(store)).toBe(before);
  }, 120_000);

  it("refuses every administrators' page and form to a technician with 403, and changes nothing", async () => {
    const technician = new WebClient(http);
    await technician.get('/sign-in');
    expect((await technician.post('/sign-in', { email: 'victim@example.test', password: 'fern-quilt-38' })).statusCode).toBe(303);
    await technician.get('/dashboard');
    const before = await dataDigest(store);
    const adminRoutes = routes.filter((r) => r.path === '/admin' || r.path.startsWith('/admin/'));
    expect(adminRoutes.length, "administrators' routes found").toBeGreaterThan(15);
    const open: string[] = [];
    for (const route of adminRoutes) {
      const res = route.method === 'GET' ? await technician.get(withIds(route.path)) : await technician.post(withIds(route.path), { name: 'probe' });
      if (res.statusCode !== 403) open.push(`${route.method} ${route.path} → ${res.statusCode}`);
    }
    expect(open, "administrators' routes a technician reached").toEqual([]);
    expect(await dataDigest(store)).toBe(before);
    // The technician's own pages still work.
    expect((await technician.get('/assets')).statusCode).toBe(200);
  }, 120_000);

  it('answers a few thousand malformed requests across every route without a 5xx, and refusals change nothing', async () => {
    const started = Date.now();
    const requests = plan();
    const anonymous = new WebClient(http);
    await anonymous.get('/sign-in');
    const errors = new Map<string, string>();
    const changedByRefusals: string[] = [];
    const statuses: Record<string, number> = {};
    let checkedBatches = 0;
    const failures: Outcome[] = [];
    let before = await dataDigest(store);
    for (let i = 0; i < requests.length; i += PARALLEL) {
      const batch = requests.slice(i, i + PARALLEL);
      const outcomes = await Promise.all(batch.map((r) => send(r, anonymous)));
      for (const o of outcomes) {
        const kind = o.request.route.path.startsWith('/api/v1/') ? 'v1' : o.request.route.path.startsWith('/api/v2/') ? 'v2' : 'web';
        statuses[`${kind} ${o.status}`] = (statuses[`${kind} ${o.status}`] ?? 0) + 1;
        if (o.status >= 500) failures.push(o);
      }
      const after = await dataDigest(store);
      // Reads may succeed (and touch only what the digest leaves out); every write must have been refused.
      if (outcomes.every((o) => refused(o) || o.request.method === 'GET')) {
        checkedBatches++;
        if (after !== before) changedByRefusals.push(outcomes.map((o) => `${o.status} ${describeRequest(o.request)}`).join('\n  '));
      }
      before = after;
    }
    expect(checkedBatches, 'batches whose data could be compared').toBeGreaterThan(20);
    // The server logs an error after answering: read the log once all answers are in.
    await new Promise((r) => setTimeout(r, 200));
    for (const o of failures) {
      const id = `${o.request.method} ${o.request.route.path} → ${o.status}: ${loggedError(o).replace(/[0-9a-f-]{36}/g, '<id>')}`;
      if (!errors.has(id)) errors.set(id, describeRequest(o.request));
    }
    // The fuzzer's own session and key still work: the requests above reached the handlers as a user.
    expect((await web.get('/dashboard')).statusCode).toBe(200);
    const own = await http({ url: `/api/v1/clients/read.php?api_key=${key}` });
    expect(own.statusCode, own.body).toBe(200);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz on ${dialect}: ${requests.length} requests over ${routes.length} routes in ${seconds} s; ${checkedBatches} all-refused batches checked; statuses ${JSON.stringify(statuses)}`,
    );
    const report = [...errors].map(([id, sample]) => `${id}\n  e.g. ${sample}`).join('\n');
    expect(errors.size, `5xx answers (by route and error):\n${report}`).toBe(0);
    expect(changedByRefusals, `refused requests that changed data:\n${changedByRefusals.join('\n')}`).toEqual([]);
    // No request took a server process down (the supervisor says so when it replaces one).
    expect(server.output()).not.toMatch(/server process \d+ stopped/);
  }, 600_000);
});
