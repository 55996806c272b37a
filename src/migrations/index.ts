// Every migration, in order. Forward-only: a shipped migration is never edited; add a new one.
import type { Migration, MigrationProvider } from 'kysely';
import { kitFor, type Dialect, type Kit } from './schema-kit.ts';
import * as records from './20261127_0001_records.ts';
import * as accounts from './20261127_0002_accounts.ts';
import * as assets from './20261127_0003_assets.ts';
import * as history from './20261127_0004_history.ts';
import * as seed from './20261127_0005_seed.ts';
import * as listCounts from './20261128_0006_list_counts.ts';
import * as transfers from './20261128_0007_transfers.ts';
import * as imports from './20261128_0008_imports.ts';
import * as notifications from './20261128_0009_notifications.ts';
import * as operations from './20261201_0010_operations.ts';
import * as importRows from './20261201_0011_import_rows.ts';
import * as signInGuard from './20261201_0012_sign_in_guard.ts';
import * as uniqueValues from './20261201_0013_unique_values.ts';
import * as ticketResolved from './20261201_0014_ticket_resolved.ts';
import * as warrantyDigest from './20261207_0018_warranty_digest.ts';
import * as passwordChange from './20261207_0020_password_change.ts';
import * as searchEveryInterface from './20261207_0021_search_every_interface.ts';
import * as idempotencyKeys from './20261208_0022_idempotency_keys.ts';
import * as apiKeyScopes from './20261208_0024_api_key_scopes.ts';
import * as webhooks from './20261208_0023_webhooks.ts';

type Step = { up: (db: Parameters<Migration['up']>[0], kit: Kit) => Promise<void> };

const STEPS: Record<string, Step> = {
  '20261127_0001_records': records,
  '20261127_0002_accounts': accounts,
  '20261127_0003_assets': assets,
  '20261127_0004_history': history,
  '20261127_0005_seed': seed,
  '20261128_0006_list_counts': listCounts,
  '20261128_0007_transfers': transfers,
  '20261128_0008_imports': imports,
  '20261128_0009_notifications': notifications,
  '20261201_0010_operations': operations,
  '20261201_0011_import_rows': importRows,
  '20261201_0012_sign_in_guard': signInGuard,
  '20261201_0013_unique_values': uniqueValues,
  '20261201_0014_ticket_resolved': ticketResolved,
  '20261207_0018_warranty_digest': warrantyDigest,
  '20261207_0020_password_change': passwordChange,
  '20261207_0021_search_every_interface': searchEveryInterface,
  '20261208_0022_idempotency_keys': idempotencyKeys,
  '20261208_0023_webhooks': webhooks,
  '20261208_0024_api_key_scopes': apiKeyScopes,
};

export const MIGRATION_NAMES = Object.keys(STEPS);

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const kit = kitFor(dialect);
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of Object.entries(STEPS)) out[name] = { up: (db) => step.up(db, kit) };
      return out;
    },
  };
}
