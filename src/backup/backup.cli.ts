// `steward backup` and `steward restore`.
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import type { Config } from '../platform/config.ts';
import type { Store } from '../platform/db/store.ts';
import { Progress } from '../platform/progress.ts';
import { keySource } from '../platform/secrets.ts';
import type { BackupError } from './backup.service.ts';
import { plural } from '../web/plural.ts';

interface CliHelpers {
  withDatabase(task: (opened: { config: Config; store: Store }) => Promise<void>): Promise<void>;
  withDatabaseAsItIs(task: (opened: { config: Config; store: Store }) => Promise<void>): Promise<void>;
  settings(): Config;
  CliError: new (message: string) => Error;
}

export function registerBackupCommands(program: Command, cli: CliHelpers): void {
  program
    .command('backup')
    .description('write a consistent copy of the database while Steward runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump) to one .tar.gz file')
    .requiredOption('--output <file>', 'the backup file to write, e.g. steward-2026-12-01.tar.gz')
    .option('--include-key', 'also store the secret key that encrypts login passwords and TOTP secrets (keep such a backup as safe as the key)')
    .action(async (opts: { output: string; includeKey?: boolean }) => {
      // A backup only reads: it neither migrates the database of a running (perhaps older) server nor
      // writes to it.
      // Loaded when run, so that the rest of the CLI starts without the backup code.
      const { backup, BackupError } = await import('./backup.service.ts');
      await cli.withDatabaseAsItIs(async ({ config, store }) => {
        const started = Date.now();
        const progress = new Progress({ label: 'copying', total: 0, unit: 'MB' });
        const onProgress = (written: number, total: number) => progress.update(written, Math.round(written / 1_048_576), total);
        const manifest = await backup(config, store, opts.output, { includeKey: Boolean(opts.includeKey), onProgress })
          .catch(rethrow(cli, BackupError))
          .finally(() => progress.done());
        const size = statSync(opts.output).size;
        const assets = manifest.rows.assets === undefined ? '' : `, ${plural(manifest.rows.assets, 'asset')}`;
        console.log(
          `wrote ${opts.output} (${(size / 1_048_576).toFixed(1)} MB, ${manifest.database} at ${manifest.migration}${assets}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        if (!opts.includeKey) {
          process.stderr.write(
            `steward: warning: the backup does not include the secret key (${keySource(config)}). Keep a copy of that key apart from the backup: ` +
              'without it, the login passwords and TOTP secrets in the backup cannot be read. (--include-key puts it in the backup.)\n',
          );
        }
      });
    });

  program
    .command('restore')
    .description('restore a backup into an empty data directory or an empty PostgreSQL database (stop Steward first)')
    .argument('<file>', 'a file written by steward backup')
    .action(async (file: string) => {
      const config = cli.settings();
      const { restore, BackupError } = await import('./backup.service.ts');
      const result = await restore(config, file).catch(rethrow(cli, BackupError));
      console.log(`restored ${file} (${result.manifest.database}, taken ${result.manifest.createdAt} at ${result.manifest.migration})`);
      if (result.keyRestored) console.log(`the backup's secret key is now in ${keySource(config)}`);
      // Brings an older backup up to date and checks that the key opens the restored secrets.
      await cli.withDatabase(async () => {
        console.log('schema up to date; the secret key opens the restored secrets');
      });
    });
}

function rethrow(cli: CliHelpers, backupError: typeof BackupError) {
  return (error: unknown): never => {
    if (error instanceof backupError) throw new cli.CliError(error.message);
    throw error;
  };
}
