// Opening the configured database, for the server and every CLI command alike: a file that cannot be
// opened is one line for a person to fix; an unreachable database is waited for (the server) or
// reported (a command); then the schema is brought up to date and the secret key checked.
import type { Logger } from 'pino';
import type { Config } from './platform/config.ts';
import { SYSTEM_ACTOR } from './platform/context.ts';
import { asDatabaseUnavailable } from './platform/db/db-errors.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { openStore, storeOptions, type Store } from './platform/db/store.ts';
import type { SecretBox } from './platform/secrets.ts';
import { checkSecretKey } from './settings/secret-key-check.ts';
import { UnusableDatabaseError } from './platform/errors.ts';

export { UnusableDatabaseError };

/**
 * Opens the database, then migrates it and checks the secret key. With `waitForDatabase` (the server),
 * an unreachable database is waited for (a server started with its database, or before it). Anything else that goes wrong is for a person to
 * fix: one line, and Steward stops.
 */
export async function openPrepared(
  config: Config,
  options: { waitForDatabase: boolean; warn(message: string): void },
): Promise<{ store: Store; secretBox: SecretBox }> {
  for (let attempt = 1; ; attempt++) {
    const store = openDatabase(config);
    try {
      await migrateToLatest(store);
      const secretBox = await checkSecretKey({ db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, principal: null, source: 'system' }, config);
      return { store, secretBox };
    } catch (error) {
      await store.close().catch(() => undefined);
      if (!options.waitForDatabase || !asDatabaseUnavailable(error)) throw error;
      const wait = Math.min(1000 * 2 ** (attempt - 1), 30_000);
      options.warn(`waiting for the database (${describe(error)}); trying again in ${wait / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const { code, message } = cause as { code?: string; message?: string };
  return [code, message].filter(Boolean).join(': ') || String(cause);
}

/** The configured database, opened and nothing more (slow queries logged when a logger is given). */
export function openDatabase(config: Config, logger?: Logger): Store {
  try {
    return openStore(config.database, storeOptions(config, logger ? { ms: config.slowQueryMs, log: (q) => logger.warn(q, 'slow query') } : undefined));
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (
      config.database.kind === 'sqlite' &&
      (code?.startsWith('SQLITE_CANTOPEN') || ['ENOTDIR', 'EACCES', 'EROFS', 'EISDIR', 'ENOENT', 'EEXIST'].includes(code ?? ''))
    ) {
      throw new UnusableDatabaseError(
        `cannot open the SQLite database at ${config.database.url} (${message}); set STEWARD_DATA_DIR or STEWARD_DATABASE_URL to a file Steward may create and write`,
      );
    }
    throw error;
  }
}
