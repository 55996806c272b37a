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
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads Steward's settings from the environment; every problem names the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.STEWARD_DATA_DIR?.trim() || './data');
  const rawUrl = env.STEWARD_DATABASE_URL?.trim();
  const database = rawUrl ? parseDatabaseUrl(rawUrl) : { kind: 'sqlite' as const, url: resolve(dataDir, 'steward.db') };

  const host = env.STEWARD_HOST?.trim() || '127.0.0.1';
  const portText = env.STEWARD_PORT?.trim() || '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new ConfigError(`STEWARD_PORT must be a whole number from 1 to 65535, got "${portText}"`);
  }
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
  return { dataDir, database, host, port, logLevel, secretKey, workers };
}

export function parseDatabaseUrl(url: string): { kind: DatabaseKind; url: string } {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ConfigError(
      `STEWARD_DATABASE_URL must be a postgres:// URL or a SQLite file path, got a ${url.split(':')[0]}: URL`,
    );
  }
  if (url === ':memory:') return { kind: 'sqlite', url };
  return { kind: 'sqlite', url: resolve(url.replace(/^sqlite:/i, '')) };
}
