// `steward <command>`: the one entry point for the server and every maintenance task.
// Only what every command needs is loaded up front; each command loads its own modules when it runs, so
// `steward --help` (and the supervisor of `serve`) start without the whole application.
import { Command, InvalidArgumentError } from 'commander';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, isAbsolute, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from './access/access.ts';
import type { AssetListFilters } from './assets/asset-list.query.ts';
import { TYPE_TABS, type TabKey } from './assets/asset-tabs.ts';
import { registerBackupCommands } from './backup/backup.cli.ts';
import { fileArgument, isClosedPipe, quietOnClosedPipe, readSecret } from './cli-io.ts';
import { EXPORT_COLUMNS, exportColumns } from './csv/export-columns.ts';
import type { ImportReport, MatchMode, MissingMode } from './imports/asset-import.ts';
import type { runCliImport } from './imports/import-cli.ts';
import { ConfigError, loadConfig, unknownVariables, type Config } from './platform/config.ts';
import type { Ctx } from './platform/context.ts';
import { asDatabaseUnavailable } from './platform/db/db-errors.ts';
import type { Store } from './platform/db/store.ts';
import { DomainError, UnusableDatabaseError } from './platform/errors.ts';
import { isKeyOf } from './platform/lookup.ts';
import { usePrivateUmask } from './platform/private-files.ts';
import { Progress } from './platform/progress.ts';
import type { SecretBox } from './platform/secrets.ts';
import { VERSION } from './version.ts';
import { plural } from './web/plural.ts';

/** A mistake in how the command was called: one line, no stack. */
class CliError extends Error {}

/** The command line acts with full access: whoever runs it already holds the database. */
const CLI_PRINCIPAL: Principal = {
  userId: 0,
  name: 'cli',
  isAdmin: true,
  allow: null,
  deny: new Set(),
  levels: { client: 3, support: 3, credential: 3, sales: 3, financial: 3, reporting: 3 },
};

export interface Opened {
  config: Config;
  store: Store;
  ctx: Ctx;
  secretBox: SecretBox;
}

/** Settings, with a warning for each STEWARD_* variable that is probably a typo. */
function settings(): Config {
  for (const { name, suggestion } of unknownVariables()) {
    process.stderr.write(`steward: warning: ${name} is not a Steward setting${suggestion ? `; did you mean ${suggestion}?` : ''}\n`);
  }
  return loadConfig();
}

/** The database, migrated, with its secret key checked (and made, on first run). */
async function open(): Promise<Opened> {
  const config = settings();
  const { openPrepared } = await import('./startup.ts');
  const { store, secretBox } = await openPrepared(config, { waitForDatabase: false, warn: () => {} });
  let who = 'cli';
  try {
    who = `cli (${userInfo().username})`;
  } catch {
    // No user name on this system: keep "cli".
  }
  return { config, store, secretBox, ctx: { db: store.db, dialect: store.dialect, actor: { type: 'system', name: who }, principal: null, source: 'cli' } };
}

/** Runs one command against the database, closing it afterwards whatever happens. */
export async function withDatabase(task: (opened: Opened) => Promise<void>): Promise<void> {
  const opened = await open();
  try {
    await task(opened);
  } finally {
    await opened.store.close();
  }
}

/** A real calendar date, YYYY-MM-DD (2026-02-30 is not one). */
function calendarDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError(`"${value}" is not a real date like 2026-11-28`);
  }
  return value;
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
    const { serve } = await import('./serve.ts');
    await serve(settings());
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const config = settings();
    const [{ openStore, storeOptions }, { migrateToLatest }] = await Promise.all([import('./platform/db/store.ts'), import('./platform/db/migrate.ts')]);
    const store = openStore(config.database, storeOptions(config));
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
  .description('create a user who can sign in (without --password, asks for it, or reads it from standard input)')
  .requiredOption('--email <email>', 'sign-in email address')
  .requiredOption('--name <name>', 'display name')
  .option('--password <password>', 'password, 12 characters or more and not easy to guess (better: leave it out and type it when asked)')
  .requiredOption('--role <role>', 'admin, technician or accountant')
  .action(async (opts: { email: string; name: string; password?: string; role: string }) => {
    const password = opts.password ?? (await readSecret(`password for ${opts.email}: `));
    const { createUser } = await import('./accounts/user.service.ts');
    await withDatabase(async ({ ctx }) => {
      const created = await createUser(ctx, { ...opts, password });
      console.log(`created user ${created.id}: ${created.name} <${created.email}> (${created.roleName})`);
    });
  });
user
  .command('set-password')
  .description("set a user's password, asked without echo at a terminal or read from standard input; ends the user's sessions")
  .requiredOption('--email <email>', "the user's sign-in email address")
  .action(async (opts: { email: string }) => {
    const password = await readSecret(`new password for ${opts.email}: `);
    if (process.stdin.isTTY && (await readSecret('the same password again: ')) !== password)
      throw new CliError('the two passwords differ; nothing was changed');
    const { setPasswordByEmail } = await import('./accounts/password.service.ts');
    await withDatabase(async ({ ctx }) => {
      const changed = await setPasswordByEmail(ctx, { email: opts.email, password });
      console.log(`password set for user ${changed.id}: ${changed.name} <${changed.email}>`);
    });
  });

program
  .command('demo')
  .description('fill an empty database with a realistic demo data set (refused once the database has clients)')
  .action(async () => {
    const { fillDemo } = await import('./demo/demo.ts');
    await withDatabase(async ({ ctx, secretBox, config }) => {
      const where = databaseNamed(config);
      const summary = await fillDemo(ctx, secretBox).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'conflict')
          throw new CliError(`${error.message}; nothing was added to ${where}. ${freshStart(config)}`);
        throw error;
      });
      console.log(summary);
      console.log(`the demo data is in ${where}; start Steward with \`npx steward serve\` (or npm start) to see it`);
      console.log(freshStart(config));
    });
  });

/** The database a command works on, as a person finds it: ./data/steward.db, or PostgreSQL's address. */
function databaseNamed(config: Config): string {
  if (config.database.kind === 'sqlite') return displayPath(config.database.url);
  const url = new URL(config.database.url);
  url.password = '';
  return `the PostgreSQL database ${url.host}${url.pathname}`;
}

/** How to start again with nothing in it. */
function freshStart(config: Config): string {
  if (config.database.kind === 'postgres')
    return 'To start with an empty database instead, point STEWARD_DATABASE_URL at a new, empty PostgreSQL database (or drop and re-create this one).';
  const file = displayPath(config.database.url);
  return `To start with an empty database instead, stop Steward and remove ${file} (with ${basename(file)}-wal and ${basename(file)}-shm beside it), or point STEWARD_DATA_DIR elsewhere.`;
}

/** A path relative to the working directory when it lies inside it (./data/steward.db), else as it is. */
function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? `./${inside}` : path;
}

program
  .command('generate')
  .description('add bulk synthetic assets (for benchmarks)')
  .requiredOption('--assets <n>', 'how many assets', wholeNumber(1))
  .option('--clients <k>', 'spread over this many new clients (default: one per 5,000 assets)', wholeNumber(1))
  .action(async (opts: { assets: number; clients?: number }) => {
    const { generateAssets } = await import('./demo/generate.ts');
    await withDatabase(async ({ store }) => {
      const started = performance.now();
      const progress = new Progress({ label: 'generating', total: opts.assets, unit: 'assets' });
      const result = await generateAssets(store, { assets: opts.assets, clients: opts.clients, onProgress: (done) => progress.update(done, done) });
      progress.done();
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `generated ${result.assets} assets in ${result.clients} clients in ${seconds.toFixed(1)} s (${Math.round(result.assets / seconds)} assets/s)`,
      );
    });
  });

const apikey = program.command('apikey').description('API keys for scripts (they act as their user)');
apikey
  .command('create')
  .description('create a key; prints the secret alone, once')
  .requiredOption('--user <email>', 'the user the key acts as')
  .requiredOption('--name <name>', 'what the key is for, e.g. "RMM sync"')
  .option('--expires <date>', 'last day the key works, YYYY-MM-DD (default: never)')
  .option('--read-only', "the key only reads, whatever its user's rights")
  .option('--modules <list>', 'limit the key to these modules, comma-separated: client,support,credential,sales,financial,reporting (default: all)')
  .option('--clients <ids>', 'limit the key to these client ids, comma-separated, among those its user sees (default: all)')
  .action(async (opts: { user: string; name: string; expires?: string; readOnly?: boolean; modules?: string; clients?: string }) => {
    const { createApiKey } = await import('./accounts/api-key.service.ts');
    await withDatabase(async ({ ctx }) => {
      const { secret } = await createApiKey(ctx, {
        userEmail: opts.user,
        name: opts.name,
        expiresOn: opts.expires,
        readOnly: opts.readOnly ?? false,
        modules: opts.modules,
        clientIds: opts.clients,
      });
      console.log(secret);
    });
  });
apikey
  .command('list')
  .description('list keys (never their secrets)')
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean }) => {
    const { listApiKeys } = await import('./accounts/api-key.service.ts');
    await withDatabase(async ({ ctx }) => {
      const keys = await listApiKeys(ctx);
      if (opts.json) {
        console.log(JSON.stringify(keys, null, 2));
        return;
      }
      if (keys.length === 0) console.log('no API keys');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : k.expiresOn ? `expires ${k.expiresOn}` : 'no expiry';
        const used = k.lastUsedAt ? `last used ${k.lastUsedAt} from ${k.lastUsedIp ?? '?'}` : 'never used';
        console.log(`${k.id}\t${k.name}\t${k.userEmail}\t${k.prefix}…\t${k.scope}\t${state}\t${used}`);
      }
    });
  });
apikey
  .command('revoke')
  .description('stop a key from working')
  .argument('<id>', 'the key id (see apikey list)', wholeNumber(1))
  .action(async (id: number) => {
    const { revokeApiKey } = await import('./accounts/api-key.service.ts');
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
    const { purgeAuditLog } = await import('./audit/audit.service.ts');
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
    if (opts.type !== undefined && !isKeyOf(TYPE_TABS, opts.type))
      throw new CliError(`--type: "${opts.type}" is not one of ${Object.keys(TYPE_TABS).join(', ')}`);
    let columns: string[];
    try {
      columns = exportColumns(opts.columns);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const { countExport, exportAssetsCsv } = await import('./csv/asset-export.ts');
    await withDatabase(async ({ ctx }) => {
      const { ALL_ASSETS } = await import('./assets/asset-list.query.ts');
      const filters: AssetListFilters = {
        ...ALL_ASSETS,
        clientId: opts.client ?? null,
        tab: (opts.type as TabKey | undefined) ?? 'all',
        archived: Boolean(opts.archived),
      };
      const out = opts.output ? createWriteStream(opts.output) : process.stdout;
      const total = process.stderr.isTTY ? await countExport(ctx, CLI_PRINCIPAL, filters) : 0;
      const progress = new Progress({ label: 'exporting', total, unit: 'rows' });
      let written = 0;
      const onRows = (rows: number) => progress.update((written += rows), written);
      try {
        await pipeline(Readable.from(exportAssetsCsv(ctx, CLI_PRINCIPAL, filters, { columns, bom: opts.bom, onRows })), out, { end: Boolean(opts.output) });
      } catch (error) {
        // A reader that stops early (`| head`) is not a failure.
        if (!isClosedPipe(error)) throw error;
      } finally {
        progress.done();
      }
      if (opts.output) console.error(`wrote ${plural(written, 'asset')} to ${opts.output}`);
    });
  });

const jobs = program.command('jobs').description('scheduled jobs (the server runs them itself)');
jobs
  .command('run')
  .description('run the daily jobs now: warranty alerts 45, 7 and 1 days before a warranty ends (never twice), and clean-up of old uploads')
  .option('--date <YYYY-MM-DD>', 'run as if today were this date (for catching up or testing)', calendarDate)
  .option('--json', 'print the outcome as JSON')
  .action(async (opts: { date?: string; json?: boolean }) => {
    const { runDailyJobs } = await import('./jobs/jobs.ts');
    await withDatabase(async ({ ctx }) => {
      const today = opts.date ?? new Date().toISOString().slice(0, 10);
      const run = await runDailyJobs(ctx, today);
      if (opts.json) {
        console.log(JSON.stringify(run, null, 2));
        return;
      }
      console.log(
        `warranty alerts for ${today}: ${plural(run.warrantyAlerts.assets, 'asset')} with a warranty ending within 45 days, ${plural(run.warrantyAlerts.created, 'new notification')}`,
      );
      console.log(`cleaned up: ${plural(run.purged.uploads, 'unimported upload')}, ${plural(run.purged.rejectedFiles, 'old rejected-rows file')}`);
    });
  });

const importing = program.command('import').description('import records from CSV');
importing
  .command('assets')
  .description(
    "assets from a CSV file (- for standard input), columns matched by heading (ITFlow's template and export, Steward's export); exits 2 when a row is rejected",
  )
  .argument('<file>', 'the CSV file, or - to read standard input')
  .option('--client <id>', 'import into this client; without it, each row names its client in a Client column', wholeNumber(1))
  .option('--match <mode>', 'none (always create), name (update the asset of that name), serial (by serial number)', 'name')
  .option(
    '--missing <mode>',
    'a Location, Assigned To or Vendor the client lacks: create (create it, once per name), empty (leave it empty, with a warning), reject (reject the row)',
    'create',
  )
  .option('--dry-run', 'check every row and print the verdicts without writing anything')
  .option('--valid-only', 'import the valid rows even if others are rejected (they go to the rejected file)')
  .option('--rejected <file>', 'write rejected rows, with a Reason column, to this CSV (default with --valid-only: FILE.rejected.csv)')
  .option('--json', 'print the outcome (counts and rejected rows) as JSON')
  .action(async (file: string, opts: AssetImportFlags) => {
    const [{ importAssets, MATCH_MODES, MISSING_MODES }, { useSmallCache }] = await Promise.all([
      import('./imports/asset-import.ts'),
      import('./platform/db/store.ts'),
    ]);
    if (!MATCH_MODES.includes(opts.match as MatchMode)) throw new CliError(`--match: "${opts.match}" is not one of ${MATCH_MODES.join(', ')}`);
    if (!MISSING_MODES.includes(opts.missing as MissingMode)) throw new CliError(`--missing: "${opts.missing}" is not one of ${MISSING_MODES.join(', ')}`);
    const missing = opts.missing as MissingMode;
    await importCommand(file, opts, ({ ctx, store }, input, hooks) => {
      useSmallCache(store);
      return importAssets(ctx, CLI_PRINCIPAL, input.source, {
        clientId: opts.client ?? null,
        match: opts.match as MatchMode,
        missing: { location: missing, contact: missing, vendor: missing },
        dryRun: opts.dryRun,
        validOnly: opts.validOnly,
        file: input.file,
        keepRows: 0,
        ...hooks,
      });
    });
  });

type AssetImportFlags = { client?: number; match: string; missing: string; dryRun?: boolean; validOnly?: boolean; rejected?: string; json?: boolean };

importing
  .command('interfaces')
  .description(
    "one asset's interfaces from a CSV file (- for standard input) in ITFlow's 8 columns (Name, Description, Type, MAC, IP, NAT IP, IPv6, Network); exits 2 when a row is rejected",
  )
  .argument('<file>', 'the CSV file, or - to read standard input')
  .requiredOption('--asset <id>', 'the asset the interfaces belong to', wholeNumber(1))
  .option('--dry-run', 'check every row and print the verdicts without writing anything')
  .option('--valid-only', 'import the valid rows even if others are rejected')
  .option('--rejected <file>', 'write rejected rows, with a Reason column, to this CSV')
  .option('--json', 'print the outcome (counts and rejected rows) as JSON')
  .action(async (file: string, opts: { asset: number; dryRun?: boolean; validOnly?: boolean; rejected?: string; json?: boolean }) => {
    const { importInterfaces } = await import('./imports/interface-import.ts');
    await importCommand(file, opts, ({ ctx }, input, hooks) =>
      importInterfaces(ctx, CLI_PRINCIPAL, opts.asset, input.source, { dryRun: opts.dryRun, validOnly: opts.validOnly, file: input.file, ...hooks }),
    );
  });

type ImportHooks = Parameters<Parameters<typeof runCliImport>[0]['run']>[1];

/** What both import commands share: the file (or stdin), the rejected-rows file, the report, the exit code. */
async function importCommand(
  path: string,
  opts: { validOnly?: boolean; rejected?: string; json?: boolean },
  run: (opened: Opened, input: { source: () => AsyncIterable<Buffer>; file: { name: string; size: number } }, hooks: ImportHooks) => Promise<ImportReport>,
): Promise<void> {
  if (path !== '-' && !existsSync(path)) throw new CliError(`${path}: no such file`);
  const input = await fileArgument(path);
  const { runCliImport } = await import('./imports/import-cli.ts');
  try {
    const rejectedFile = opts.rejected ?? (opts.validOnly ? (path === '-' ? 'stdin.rejected.csv' : path.replace(/(\.csv)?$/i, '.rejected.csv')) : null);
    await withDatabase(async (opened) => {
      const file = { name: basename(input.name), size: statSync(input.path).size };
      const { report, text, rejected } = await runCliImport({
        file: input.path,
        rejectedFile,
        run: (source, hooks) => run(opened, { source: source as () => AsyncIterable<Buffer>, file }, hooks),
      });
      if (opts.json)
        console.log(
          JSON.stringify(
            {
              importId: report.importId,
              committed: report.committed,
              dryRun: report.dryRun,
              counts: report.counts,
              created: report.created?.counts ?? null,
              headings: report.headings,
              rejected,
              rejectedFile: rejected.length ? rejectedFile : null,
            },
            null,
            2,
          ),
        );
      else console.log(text);
      if (report.counts.rejected > 0) process.exitCode = 2;
    });
  } finally {
    input.done();
  }
}

/** The database as it is, for a command that only reads it (a backup of a running server). */
async function withDatabaseAsItIs(task: (opened: { config: Config; store: Store }) => Promise<void>): Promise<void> {
  const config = settings();
  const { openDatabase } = await import('./startup.ts');
  const store = openDatabase(config);
  try {
    await task({ config, store });
  } finally {
    await store.close();
  }
}

registerBackupCommands(program, { withDatabase, withDatabaseAsItIs, settings, CliError });

quietOnClosedPipe();
usePrivateUmask();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`steward: ${await describeFailure(error)}\n`);
  process.exit(1);
}

/** One line for anything that stops a command; a stack only for a bug, and only when debugging. */
async function describeFailure(error: unknown): Promise<string> {
  if (error instanceof DomainError || error instanceof CliError || error instanceof ConfigError || error instanceof UnusableDatabaseError)
    return (error as Error).message;
  const unavailable = asDatabaseUnavailable(error);
  if (unavailable) {
    const cause = (unavailable.cause ?? error) as { code?: string; message?: string };
    return `the database is unavailable (${[cause.code, cause.message].filter(Boolean).join(': ')}); check that it is running and that STEWARD_DATABASE_URL points at it`;
  }
  // Like the server: a generic line with an id, and the error itself in the log (stderr) under that id.
  const errorId = randomUUID();
  const { createLogger } = await import('./platform/logger.ts');
  createLogger(process.env.STEWARD_LOG_LEVEL === 'silent' ? 'silent' : 'error', process.stderr).error({ err: error, errorId }, 'unexpected error');
  return `something went wrong (error id ${errorId}); nothing was half-written. The error is logged above under that id.`;
}
