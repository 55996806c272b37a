// `steward <command>`: the one entry point for the server and every maintenance task.
import { Command, InvalidArgumentError } from 'commander';
import cluster from 'node:cluster';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from './access/access.ts';
import { TYPE_TABS, type AssetListFilters, type TabKey } from './assets/asset-list.query.ts';
import { EXPORT_COLUMNS, exportAssetsCsv, exportColumns } from './csv/asset-export.ts';
import { importAssets, MATCH_MODES, type MatchMode } from './imports/asset-import.ts';
import { runCliImport } from './imports/import-cli.ts';
import { importInterfaces } from './imports/interface-import.ts';
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { buildApp } from './app.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './accounts/api-key.service.ts';
import { createUser } from './accounts/user.service.ts';
import { purgeAuditLog } from './audit/audit.service.ts';
import { fillDemo } from './demo/demo.ts';
import { generateAssets } from './demo/generate.ts';
import { loadConfig, type Config } from './platform/config.ts';
import type { Ctx } from './platform/context.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { openStore, useSmallCache, type Store } from './platform/db/store.ts';
import { DomainError } from './platform/errors.ts';
import { loadSecretBox } from './platform/secrets.ts';
import { runWorkers } from './platform/workers.ts';
import { runWarrantyAlerts, scheduleWarrantyAlerts } from './notifications/warranty-alerts.ts';
import { SYSTEM_ACTOR } from './platform/context.ts';
import { VERSION } from './version.ts';

/** A mistake in how the command was called: one line, no stack. */
class CliError extends Error {}

/** The command line acts with full access: whoever runs it already holds the database. */
const CLI_PRINCIPAL: Principal = {
  userId: 0, name: 'cli', isAdmin: true, allow: null, deny: new Set(),
  levels: { client: 3, support: 3, credential: 3, sales: 3, financial: 3, reporting: 3 },
};

async function open(): Promise<{ config: Config; store: Store; ctx: Ctx }> {
  const config = loadConfig();
  // First run: the data directory, its uploads folder and the secret key come into being here.
  mkdirSync(join(config.dataDir, 'uploads'), { recursive: true });
  loadSecretBox(config);
  const store = openStore(config.database);
  await migrateToLatest(store);
  let who = 'cli';
  try {
    who = `cli (${userInfo().username})`;
  } catch {
    // No user name on this system: keep "cli".
  }
  const ctx: Ctx = { db: store.db, dialect: store.dialect, actor: { type: 'system', name: who }, source: 'cli' };
  return { config, store, ctx };
}

type Opened = Awaited<ReturnType<typeof open>>;

/** Runs one command against the database, closing it afterwards whatever happens. */
async function withDatabase(task: (opened: Opened) => Promise<void>): Promise<void> {
  const opened = await open();
  try {
    await task(opened);
  } finally {
    await opened.store.close();
  }
}

function wholeNumber(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.replaceAll('_', '')) || Number(value.replaceAll('_', '')) < min) {
      throw new InvalidArgumentError(`must be a whole number, ${min} or more`);
    }
    return Number(value.replaceAll('_', ''));
  };
}

const program = new Command()
  .name('steward')
  .description('Steward, the asset register for managed service providers.\nSettings come from STEWARD_* environment variables (see README).')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') });

program
  .command('serve')
  .description('start the web server (applies migrations first); STEWARD_WORKERS sets how many processes share the port')
  .action(async () => {
    const config = loadConfig();
    await runWorkers({
      count: config.workers,
      log: (message) => console.error(message),
      prepare: async () => {
        const { store } = await open();
        await store.close();
      },
      serve: async () => {
        const { store } = await open();
        const app = await buildApp({ config, store });
        const stop = async () => {
          await app.close();
          await store.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await app.listen({ host: config.host, port: config.port });
        if (cluster.isPrimary || cluster.worker?.id === 1) {
          app.log.info(`Steward ${VERSION} on ${store.dialect}, ${config.workers} process(es), listening on http://${config.host}:${config.port}`);
        }
        // Every process runs the daily jobs: they are idempotent (a unique key), so however many run,
        // and whichever process was replaced after a crash, nothing is done twice or left undone.
        scheduleWarrantyAlerts({ db: store.db, dialect: store.dialect, actor: SYSTEM_ACTOR, source: 'system' }, (message) => app.log.info(message));
      },
    });
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const config = loadConfig();
    const store = openStore(config.database);
    try {
      const applied = await migrateToLatest(store);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema already up to date');
    } finally {
      await store.close();
    }
  });

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user who can sign in')
  .requiredOption('--email <email>', 'sign-in email address')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--password <password>', 'password, 8 characters or more')
  .requiredOption('--role <role>', 'admin, technician or accountant')
  .action(async (opts: { email: string; name: string; password: string; role: string }) => {
    await withDatabase(async ({ ctx }) => {
      const created = await createUser(ctx, opts);
      console.log(`created user ${created.id}: ${created.name} <${created.email}> (${created.roleName})`);
    });
  });

program
  .command('demo')
  .description('fill an empty database with a realistic demo data set')
  .action(async () => {
    await withDatabase(async ({ config, ctx }) => {
      const summary = await fillDemo(ctx, loadSecretBox(config));
      console.log(summary);
    });
  });

program
  .command('generate')
  .description('add bulk synthetic assets (for benchmarks)')
  .requiredOption('--assets <n>', 'how many assets', wholeNumber(1))
  .option('--clients <k>', 'spread over this many new clients (default: one per 5,000 assets)', wholeNumber(1))
  .action(async (opts: { assets: number; clients?: number }) => {
    await withDatabase(async ({ store }) => {
      const started = performance.now();
      const result = await generateAssets(store, { assets: opts.assets, clients: opts.clients });
      const seconds = (performance.now() - started) / 1000;
      console.log(`generated ${result.assets} assets in ${result.clients} clients in ${seconds.toFixed(1)} s (${Math.round(result.assets / seconds)} assets/s)`);
    });
  });

const apikey = program.command('apikey').description('API keys for scripts (they act as their user)');
apikey
  .command('create')
  .description('create a key; prints the secret alone, once')
  .requiredOption('--user <email>', 'the user the key acts as')
  .requiredOption('--name <name>', 'what the key is for, e.g. "RMM sync"')
  .option('--expires <date>', 'last day the key works, YYYY-MM-DD (default: never)')
  .action(async (opts: { user: string; name: string; expires?: string }) => {
    await withDatabase(async ({ ctx }) => {
      const { secret } = await createApiKey(ctx, { userEmail: opts.user, name: opts.name, expiresOn: opts.expires });
      console.log(secret);
    });
  });
apikey
  .command('list')
  .description('list keys (never their secrets)')
  .action(async () => {
    await withDatabase(async ({ ctx }) => {
      const keys = await listApiKeys(ctx);
      if (keys.length === 0) console.log('no API keys');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : k.expiresOn ? `expires ${k.expiresOn}` : 'no expiry';
        const used = k.lastUsedAt ? `last used ${k.lastUsedAt} from ${k.lastUsedIp ?? '?'}` : 'never used';
        console.log(`${k.id}\t${k.name}\t${k.userEmail}\t${k.prefix}…\t${state}\t${used}`);
      }
    });
  });
apikey
  .command('revoke')
  .description('stop a key from working')
  .argument('<id>', 'the key id (see apikey list)', wholeNumber(1))
  .action(async (id: number) => {
    await withDatabase(async ({ ctx }) => {
      await revokeApiKey(ctx, id);
      console.log(`revoked API key ${id}`);
    });
  });

const audit = program.command('audit').description('the audit log');
audit
  .command('purge')
  .description('delete audit entries older than the retention setting (asset history is never touched)')
  .action(async () => {
    await withDatabase(async ({ ctx }) => {
      console.log(`purged ${await purgeAuditLog(ctx)} audit entries`);
    });
  });

const exporting = program.command('export').description('export records as CSV');
exporting
  .command('assets')
  .description("assets as CSV, sorted by name; ITFlow's export columns unless --columns says otherwise")
  .option('--client <id>', 'only this client', wholeNumber(1))
  .option('--type <tab>', `only one type tab: ${Object.keys(TYPE_TABS).join(', ')}`)
  .option('--archived', 'archived assets instead of active ones')
  .option('--columns <list>', `default, all, or some of: ${Object.keys(EXPORT_COLUMNS).join(',')}`, 'default')
  .option('--bom', 'start with a byte-order mark, for Excel')
  .option('--output <file>', 'write to this file instead of standard output')
  .action(async (opts: { client?: number; type?: string; archived?: boolean; columns: string; bom?: boolean; output?: string }) => {
    if (opts.type !== undefined && !(opts.type in TYPE_TABS)) throw new CliError(`--type: "${opts.type}" is not one of ${Object.keys(TYPE_TABS).join(', ')}`);
    let columns: string[];
    try {
      columns = exportColumns(opts.columns);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    await withDatabase(async ({ ctx }) => {
      const filters: AssetListFilters = {
        clientId: opts.client ?? null, locationId: null, tagId: null, warranty: null, favorites: false, q: '',
        tab: (opts.type as TabKey | undefined) ?? 'all', archived: Boolean(opts.archived), status: null, sort: 'name', desc: false, page: 1, pageSize: 50,
      };
      const out = opts.output ? createWriteStream(opts.output) : process.stdout;
      await pipeline(Readable.from(exportAssetsCsv(ctx, CLI_PRINCIPAL, filters, { columns, bom: opts.bom })), out, { end: Boolean(opts.output) });
      if (opts.output) console.error(`wrote ${opts.output}`);
    });
  });

const jobs = program.command('jobs').description('scheduled jobs (the server runs them itself)');
jobs
  .command('run')
  .description('run the daily jobs now: warranty alerts 45, 7 and 1 days before a warranty ends (never twice)')
  .option('--date <YYYY-MM-DD>', 'run as if today were this date (for catching up or testing)')
  .action(async (opts: { date?: string }) => {
    if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new CliError(`--date: "${opts.date}" is not a date like 2026-11-28`);
    await withDatabase(async ({ ctx }) => {
      const today = opts.date ?? new Date().toISOString().slice(0, 10);
      const run = await runWarrantyAlerts(ctx, today);
      console.log(`warranty alerts for ${today}: ${run.assets} asset(s) with a warranty ending within 45 days, ${run.created} new notification(s)`);
    });
  });

const importing = program.command('import').description('import records from CSV');
importing
  .command('assets')
  .description("assets from a CSV file, columns matched by heading (ITFlow's template and export, Steward's export); exits 2 when a row is rejected")
  .argument('<file>', 'the CSV file')
  .option('--client <id>', 'import into this client; without it, each row names its client in a Client column', wholeNumber(1))
  .option('--match <mode>', 'none (always create), name (update the asset of that name), serial (by serial number)', 'name')
  .option('--dry-run', 'check every row and print the verdicts without writing anything')
  .option('--valid-only', 'import the valid rows even if others are rejected (they go to the rejected file)')
  .option('--rejected <file>', 'write rejected rows, with a Reason column, to this CSV (default with --valid-only: FILE.rejected.csv)')
  .action(async (file: string, opts: { client?: number; match: string; dryRun?: boolean; validOnly?: boolean; rejected?: string }) => {
    if (!MATCH_MODES.includes(opts.match as MatchMode)) throw new CliError(`--match: "${opts.match}" is not one of ${MATCH_MODES.join(', ')}`);
    if (!existsSync(file)) throw new CliError(`${file}: no such file`);
    const rejectedFile = opts.rejected ?? (opts.validOnly ? file.replace(/(\.csv)?$/i, '.rejected.csv') : null);
    await withDatabase(async ({ ctx, store }) => {
      useSmallCache(store);
      const { report, text } = await runCliImport({
        file,
        rejectedFile,
        run: (source, hooks) => importAssets(ctx, CLI_PRINCIPAL, source as () => AsyncIterable<Buffer>, {
          clientId: opts.client ?? null, match: opts.match as MatchMode, dryRun: opts.dryRun, validOnly: opts.validOnly,
          file: { name: basename(file), size: statSync(file).size }, keepRows: 0, ...hooks,
        }),
      });
      console.log(text);
      if (report.counts.rejected > 0) process.exitCode = 2;
    });
  });

importing
  .command('interfaces')
  .description("one asset's interfaces from a CSV file in ITFlow's 8 columns (Name, Description, Type, MAC, IP, NAT IP, IPv6, Network); exits 2 when a row is rejected")
  .argument('<file>', 'the CSV file')
  .requiredOption('--asset <id>', 'the asset the interfaces belong to', wholeNumber(1))
  .option('--dry-run', 'check every row and print the verdicts without writing anything')
  .option('--valid-only', 'import the valid rows even if others are rejected')
  .option('--rejected <file>', 'write rejected rows, with a Reason column, to this CSV')
  .action(async (file: string, opts: { asset: number; dryRun?: boolean; validOnly?: boolean; rejected?: string }) => {
    if (!existsSync(file)) throw new CliError(`${file}: no such file`);
    const rejectedFile = opts.rejected ?? (opts.validOnly ? file.replace(/(\.csv)?$/i, '.rejected.csv') : null);
    await withDatabase(async ({ ctx }) => {
      const { report, text } = await runCliImport({
        file,
        rejectedFile,
        run: (source, hooks) => importInterfaces(ctx, CLI_PRINCIPAL, opts.asset, source as () => AsyncIterable<Buffer>, {
          dryRun: opts.dryRun, validOnly: opts.validOnly, file: { name: basename(file), size: statSync(file).size }, ...hooks,
        }),
      });
      console.log(text);
      if (report.counts.rejected > 0) process.exitCode = 2;
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof DomainError || error instanceof CliError || (error as Error).name === 'ConfigError' ? (error as Error).message : String((error as Error).stack ?? error);
  process.stderr.write(`steward: ${message}\n`);
  process.exit(1);
}
