// First-run setup happens once. The setup's transaction claims it by inserting the settings key
// setup.completed_at: a second setup running at the same moment fails on that key (a unique violation),
// and one that comes later finds the first one's users.
import { countUsers } from '../accounts/user.service.ts';
import { nowIso, type Ctx } from '../platform/context.ts';

/** Setup was already done, by another request. */
export class SetupDone extends Error {}

/** Claims the first-run setup, inside the setup's transaction; throws SetupDone once there are users. */
export async function claimSetup(trx: Ctx): Promise<void> {
  await trx.db
    .insertInto('settings')
    .values({ key: 'setup.completed_at', value: JSON.stringify(nowIso(trx)), updated_at: nowIso(trx) })
    .execute();
  if ((await countUsers(trx)) > 0) throw new SetupDone();
}

/** Whether a setup failed because another one claimed it first. */
export function lostToAnotherSetup(error: unknown): boolean {
  if (error instanceof SetupDone) return true;
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed: settings/.test(e?.message ?? '');
}
