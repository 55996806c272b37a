// Hiding (or showing again) the "Getting started" checklist: one user's choice, kept in settings.
import type { Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { setSetting } from '../settings/setting.service.ts';
import { hiddenKey } from './getting-started.query.ts';

export async function setGettingStartedHidden(ctx: Ctx, principal: Principal, hidden: boolean): Promise<void> {
  if (!principal.isAdmin) throw new ForbiddenError('the getting-started checklist is for administrators');
  await setSetting(ctx, hiddenKey(principal.userId), hidden);
}
