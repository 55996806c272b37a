// The daily jobs: warranty alerts, and letting go of what is no longer needed (uploads nobody imported,
// old rejected-row files, old failed-sign-in counts). Every server process runs them at start and then
// hourly; each is idempotent, so however many run, nothing is done twice or left undone.
import { purgeKeptAnswers } from '../api-v2/v2.idempotency.query.ts';
import { purgeAbandonedUploads, REJECTED_PURPOSE, UPLOAD_EXPIRES_MS, UPLOAD_PURPOSE } from '../imports/import-uploads.ts';
import { runWarrantyAlerts } from '../notifications/warranty-alerts.ts';
import { nowIso, type Ctx } from '../platform/context.ts';
import { purgeStoredFiles } from '../platform/files/stored-files.ts';
import { jobRuns } from '../platform/metrics.ts';
import { plural } from '../web/plural.ts';

export interface DailyJobsResult {
  date: string;
  warrantyAlerts: { assets: number; created: number };
  purged: { uploads: number; rejectedFiles: number; authFailures: number; idempotencyKeys: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs every daily job as of `today` (YYYY-MM-DD). */
export async function runDailyJobs(ctx: Ctx, today: string): Promise<DailyJobsResult> {
  const now = Date.parse(nowIso(ctx));
  const ago = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const warrantyAlerts = await counted('warranty_alerts', () => runWarrantyAlerts(ctx, today));
  const purged = await counted('purge', async () => ({
    // An upload waits a day for its import (with any file an earlier version kept for it); a
    // rejected-rows file stays downloadable for a month.
    uploads: (await purgeAbandonedUploads(ctx.db, new Date(now - UPLOAD_EXPIRES_MS).toISOString())) + (await purgeStoredFiles(ctx.db, UPLOAD_PURPOSE, ago(1))),
    rejectedFiles: await purgeStoredFiles(ctx.db, REJECTED_PURPOSE, ago(30)),
    authFailures: Number((await ctx.db.deleteFrom('auth_failures').where('created_at', '<', ago(1)).executeTakeFirst()).numDeletedRows),
    // An Idempotency-Key's answer is kept a day (docs/api-v2.md).
    idempotencyKeys: await purgeKeptAnswers(ctx.db, ago(1)),
  }));
  return { date: today, warrantyAlerts, purged };
}

async function counted<T>(job: string, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    jobRuns.inc({ job, outcome: 'done' });
    return result;
  } catch (error) {
    jobRuns.inc({ job, outcome: 'failed' });
    throw error;
  }
}

/** Runs the jobs now and every hour after; returns a function that stops the schedule. */
export function scheduleDailyJobs(ctx: Ctx, log: { info(message: string): void; warn(message: string): void }): () => void {
  const run = () => {
    runDailyJobs(ctx, nowIso(ctx).slice(0, 10))
      .then((r) => {
        if (r.warrantyAlerts.created)
          log.info(`warranty alerts: ${plural(r.warrantyAlerts.created, 'notification')} for ${plural(r.warrantyAlerts.assets, 'asset')}`);
      })
      .catch((error: unknown) => log.warn(`daily jobs failed (they run again within the hour): ${(error as Error).message}`));
  };
  run();
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
