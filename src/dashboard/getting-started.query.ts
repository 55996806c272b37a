// The "Getting started" checklist an administrator meets on a new database: four steps, each done once
// the database holds what it asks for (a client, an asset, a second user, an API key). Whether a user
// hid it is a per-user setting (settings key getting_started.hidden.user.<id>), so no migration.
import type { Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { getSetting } from '../settings/setting.service.ts';

export type StepKey = 'client' | 'asset' | 'colleague' | 'apiKey';

export interface GettingStarted {
  /** Each step, in order, and whether it is done. */
  steps: Record<StepKey, boolean>;
  /** A client to add assets to (the first one), once there is one. */
  firstClientId: number | null;
  /** The user hid the checklist. */
  hidden: boolean;
  /** Every step is done. */
  complete: boolean;
}

export const hiddenKey = (userId: number) => `getting_started.hidden.user.${userId}`;

/** The checklist as this user sees it; null for anyone but an administrator (the steps are theirs). */
export async function loadGettingStarted(ctx: Ctx, principal: Principal): Promise<GettingStarted | null> {
  if (!principal.isAdmin) return null;
  const [client, asset, users, apiKey, hidden] = await Promise.all([
    ctx.db.selectFrom('clients').select('id').orderBy('id').limit(1).executeTakeFirst(),
    ctx.db.selectFrom('assets').select('id').limit(1).executeTakeFirst(),
    ctx.db.selectFrom('users').select('id').limit(2).execute(),
    ctx.db.selectFrom('api_keys').select('id').limit(1).executeTakeFirst(),
    getSetting(ctx, hiddenKey(principal.userId), false),
  ]);
  const steps = { client: Boolean(client), asset: Boolean(asset), colleague: users.length > 1, apiKey: Boolean(apiKey) };
  return { steps, firstClientId: client?.id ?? null, hidden: hidden === true, complete: Object.values(steps).every(Boolean) };
}

/** Whether the checklist stands in for an empty asset list: not all done, and not hidden. */
export const checklistShown = (g: GettingStarted | null): g is GettingStarted => g !== null && !g.complete && !g.hidden;
