import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Config {
  dataDir: string;
  database: { kind: DatabaseKind; url: string };
  host: string;
  port: number;
  logLevel: string;
  /** Base64 key for encrypting stored secrets; when absent, a key file in dataDir is used. */
  secretKey: string | null;
  /** Server processes sharing the port; one per CPU unless set. */
  workers: number;
  /** PostgreSQL connections per server process. */
  dbPool: number;
  /** How long a write waits for SQLite's write lock (or a PostgreSQL connection) before a 503. */
  dbLockTimeoutMs: number;
  /** SQLite's `synchronous`: normal (WAL's default: a power cut may lose the last commits) or full. */
  sqliteSynchronous: 'normal' | 'full';
  /** Queries slower than this are logged (warn); 0 turns the log off. */
  slowQueryMs: number;
  /** Which proxies to believe about the client's address: false, a hop count, or addresses/CIDRs. */
  trustProxy: false | number | string[];
  /** Where users reach Steward (scheme, host and base path), when not at http://HOST:PORT/. */
  publicUrl: URL | null;
  /** How long a client may take to send a whole request (headers and body) before it is cut off. */
  requestTimeoutMs: number;
  /** /metrics: off, open to anyone who can reach the port, or behind a bearer token. */
  metrics: { enabled: false } | { enabled: true; token: string | null };
  /** Requests per minute each API key may make to /api/v2, counted by each server process; 0: no limit. */
  apiRateLimit: number;
  /** Origins (scheme://host[:port]) whose pages may call /api/v2 from a browser; none by default. */
  corsOrigins: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every variable Steward reads; anything else starting with STEWARD_ is probably a typo. */
export const KNOWN_VARIABLES = [
  'STEWARD_DATA_DIR',
  'STEWARD_DATABASE_URL',
  'STEWARD_HOST',
  'STEWARD_PORT',
  'STEWARD_LOG_LEVEL',
  'STEWARD_SECRET_KEY',
  'STEWARD_WORKERS',
  'STEWARD_DB_POOL',
  'STEWARD_DB_LOCK_TIMEOUT',
  'STEWARD_SQLITE_SYNCHRONOUS',
  'STEWARD_SLOW_QUERY_MS',
  'STEWARD_TRUST_PROXY',
  'STEWARD_PUBLIC_URL',
  'STEWARD_METRICS',
  'STEWARD_METRICS_TOKEN',
  'STEWARD_CHROMIUM',
  'STEWARD_NGINX',
  'STEWARD_REQUEST_TIMEOUT',
  'STEWARD_API_RATE_LIMIT',
  'STEWARD_CORS_ORIGINS',
  // Read by bin/steward.js: run the TypeScript sources; and what a supervisor tells its server processes it runs.
  'STEWARD_FROM_SOURCE',
  'STEWARD_RUNS_DIST',
] as const;

/** Reads Steward's settings from the environment; every problem names the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.STEWARD_DATA_DIR?.trim() || './data');
  const rawUrl = env.STEWARD_DATABASE_URL?.trim();
  const database = rawUrl ? parseDatabaseUrl(rawUrl) : { kind: 'sqlite' as const, url: resolve(dataDir, 'steward.db') };

  const host = env.STEWARD_HOST?.trim() || '127.0.0.1';
  const port = wholeNumber(env, 'STEWARD_PORT', 3000, 1, 65535);
  const logLevel = env.STEWARD_LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`STEWARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const secretKey = env.STEWARD_SECRET_KEY?.trim() || null;
  const workersText = env.STEWARD_WORKERS?.trim() || 'auto';
  const workers = workersText === 'auto' ? Math.min(availableParallelism(), 8) : Number(workersText);
  if (workersText !== 'auto' && (!/^\d+$/.test(workersText) || workers < 1 || workers > 64)) {
    throw new ConfigError(`STEWARD_WORKERS must be "auto" or a whole number from 1 to 64, got "${workersText}"`);
  }
  const dbPool = wholeNumber(env, 'STEWARD_DB_POOL', 10, 1, 500);
  const dbLockTimeoutMs = wholeNumber(env, 'STEWARD_DB_LOCK_TIMEOUT', 30, 1, 3600) * 1000;
  const sync = env.STEWARD_SQLITE_SYNCHRONOUS?.trim().toLowerCase() || 'normal';
  if (sync !== 'normal' && sync !== 'full') throw new ConfigError(`STEWARD_SQLITE_SYNCHRONOUS must be normal or full, got "${sync}"`);
  const slowQueryMs = wholeNumber(env, 'STEWARD_SLOW_QUERY_MS', 500, 0, 3_600_000);
  // Long enough for the largest import upload on a slow line; a body trickled in never holds a connection past it.
  const requestTimeoutMs = wholeNumber(env, 'STEWARD_REQUEST_TIMEOUT', 300, 1, 86_400) * 1000;
  const metricsText = env.STEWARD_METRICS?.trim().toLowerCase() || '0';
  if (!['0', '1', 'true', 'false', 'on', 'off'].includes(metricsText)) throw new ConfigError(`STEWARD_METRICS must be 1 or 0, got "${env.STEWARD_METRICS}"`);
  const metricsToken = env.STEWARD_METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('STEWARD_METRICS_TOKEN must be at least 16 characters');
  const metricsOn = ['1', 'true', 'on'].includes(metricsText) || metricsToken !== null;
  return {
    dataDir,
    database,
    host,
    port,
    logLevel,
    secretKey,
    workers,
    dbPool,
    dbLockTimeoutMs,
    sqliteSynchronous: sync,
    slowQueryMs,
    requestTimeoutMs,
    trustProxy: parseTrustProxy(env.STEWARD_TRUST_PROXY),
    publicUrl: parsePublicUrl(env.STEWARD_PUBLIC_URL),
    metrics: metricsOn ? { enabled: true, token: metricsToken } : { enabled: false },
    apiRateLimit: wholeNumber(env, 'STEWARD_API_RATE_LIMIT', 1200, 0, 1_000_000),
    corsOrigins: parseCorsOrigins(env.STEWARD_CORS_ORIGINS),
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

export function parseDatabaseUrl(url: string): { kind: DatabaseKind; url: string } {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ConfigError(`STEWARD_DATABASE_URL must be a postgres:// URL or a SQLite file path, got a ${url.split(':')[0]}: URL`);
  }
  if (url === ':memory:') return { kind: 'sqlite', url };
  return { kind: 'sqlite', url: resolve(url.replace(/^sqlite:/i, '')) };
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

/** "", "false", "0" → off; "1" … → that many proxies; otherwise a comma list of addresses or CIDRs. */
export function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const text = raw?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0' || text === 'off') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10)
      throw new ConfigError(`STEWARD_TRUST_PROXY: ${hops} proxies in a row is more than any real set-up; give a number from 1 to 10 or the proxies' addresses`);
    return hops;
  }
  if (text === 'true')
    throw new ConfigError(
      'STEWARD_TRUST_PROXY: "true" would believe anyone about their address; give the number of proxies in front of Steward (e.g. 1) or their addresses (e.g. 127.0.0.1,10.0.0.0/8)',
    );
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const v4 = IPV4.test(address ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (v4 ? 32 : 128));
    if (extra !== undefined || !(v4 || (IPV6.test(address ?? '') && address!.includes(':'))) || !okBits) {
      throw new ConfigError(`STEWARD_TRUST_PROXY: "${entry}" is not an address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1)`);
    }
  }
  return entries;
}

/** "" → none; otherwise a comma list of origins such as https://dashboard.example.com or http://10.0.0.5:8080. */
export function parseCorsOrigins(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '').toLowerCase())
      throw new ConfigError(
        `STEWARD_CORS_ORIGINS: "${entry}" is not an origin; give scheme, host and port only, comma-separated (e.g. https://dashboard.example.com,http://10.0.0.5:8080)`,
      );
    return url.origin;
  });
}

export function parsePublicUrl(raw: string | undefined): URL | null {
  const text = raw?.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`STEWARD_PUBLIC_URL must be a full URL such as https://assets.example.com or https://example.com/steward, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`STEWARD_PUBLIC_URL must start with https:// (or http://), got "${text}"`);
  if (url.search || url.hash || url.username || url.password)
    throw new ConfigError(`STEWARD_PUBLIC_URL must be a plain address without query, fragment or credentials, got "${text}"`);
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url;
}

/** STEWARD_* variables Steward does not know, each with the known one it most resembles. */
export function unknownVariables(env: NodeJS.ProcessEnv = process.env): Array<{ name: string; suggestion: string | null }> {
  return Object.keys(env)
    .filter(
      (name) =>
        name.startsWith('STEWARD_') &&
        !(KNOWN_VARIABLES as readonly string[]).includes(name) &&
        !name.startsWith('STEWARD_TEST_') &&
        !name.startsWith('STEWARD_BENCH_'),
    )
    .map((name) => {
      let best: { name: string; distance: number } | null = null;
      for (const known of KNOWN_VARIABLES) {
        const distance = editDistance(name, known);
        if (!best || distance < best.distance) best = { name: known, distance };
      }
      return { name, suggestion: best && best.distance <= 3 ? best.name : null };
    });
}

/** Levenshtein distance: the fewest single-letter edits that turn one text into the other. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
