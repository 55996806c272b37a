// Links between an asset and the logins, services and tickets of the same client, with history.
import { authorize, loadPrincipal } from '../access/access.ts';
import { appendAssetEvents } from '../history/history.repository.ts';
import type { AssetAction } from '../history/history.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { requireAssetFor } from './asset-access.ts';
import { ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { resolveTagIds, setTagsOnAsset, tagNamesOfAsset } from '../tags/tag.service.ts';
import type { Asset } from './asset.ts';
import { findAssetById } from './asset.repository.ts';

type LinkKind = 'login' | 'service' | 'ticket';

/**
 * Linking or unlinking changes the login, so a person (or their API key) needs write access to logins,
 * whichever page or API they come from; write access to assets is not enough.
 */
async function requireLoginWriter(ctx: Ctx): Promise<void> {
  if (ctx.actor.type === 'system') return;
  // The acting principal when the entry point gives it: an API key's is narrowed by the key's scope.
  const principal = ctx.principal ?? (await loadPrincipal(ctx, ctx.actor.userId));
  if (!principal) throw new ForbiddenError(`${ctx.actor.name} may no longer sign in`);
  authorize(principal, 'credential', 2);
}

/** Links a login to the asset; a login belongs to at most one asset, so it moves if linked elsewhere. */
export async function linkLogin(ctx: Ctx, assetId: number, loginId: number): Promise<boolean> {
  await requireLoginWriter(ctx);
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const login = await ctx.db
      .selectFrom('logins')
      .select(['id', 'name', 'asset_id'])
      .where('id', '=', loginId)
      .where('client_id', '=', asset.clientId)
      .executeTakeFirst();
    if (!login) throw new NotFoundError('login', loginId);
    if (login.asset_id === assetId) return false;
    const events = [linkEvent(asset, 'login_linked', 'login', login.id, login.name)];
    if (login.asset_id !== null) {
      const previous = await findAssetById(ctx, login.asset_id);
      if (previous) events.unshift(linkEvent(previous, 'login_unlinked', 'login', login.id, login.name));
    }
    await ctx.db.updateTable('logins').set({ asset_id: assetId }).where('id', '=', loginId).execute();
    await appendAssetEvents(ctx, events);
    return true;
  });
}

export async function unlinkLogin(ctx: Ctx, assetId: number, loginId: number): Promise<boolean> {
  await requireLoginWriter(ctx);
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const login = await ctx.db.selectFrom('logins').select(['id', 'name']).where('id', '=', loginId).where('asset_id', '=', assetId).executeTakeFirst();
    if (!login) return false;
    await ctx.db.updateTable('logins').set({ asset_id: null }).where('id', '=', loginId).execute();
    await appendAssetEvents(ctx, [linkEvent(asset, 'login_unlinked', 'login', login.id, login.name)]);
    return true;
  });
}

export async function linkService(ctx: Ctx, assetId: number, serviceId: number): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const service = await ctx.db
      .selectFrom('services')
      .select(['id', 'name'])
      .where('id', '=', serviceId)
      .where('client_id', '=', asset.clientId)
      .executeTakeFirst();
    if (!service) throw new NotFoundError('service', serviceId);
    const inserted = await ctx.db
      .insertInto('service_assets')
      .values({ service_id: serviceId, asset_id: assetId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await appendAssetEvents(ctx, [linkEvent(asset, 'service_linked', 'service', service.id, service.name)]);
    return true;
  });
}

export async function unlinkService(ctx: Ctx, assetId: number, serviceId: number): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const service = await ctx.db.selectFrom('services').select(['id', 'name']).where('id', '=', serviceId).executeTakeFirst();
    const result = await ctx.db.deleteFrom('service_assets').where('service_id', '=', serviceId).where('asset_id', '=', assetId).executeTakeFirst();
    if (!service || Number(result.numDeletedRows) === 0) return false;
    await appendAssetEvents(ctx, [linkEvent(asset, 'service_unlinked', 'service', service.id, service.name)]);
    return true;
  });
}

export async function linkTicket(ctx: Ctx, assetId: number, ticketId: number): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const ticket = await ctx.db
      .selectFrom('tickets')
      .select(['id', 'number', 'subject'])
      .where('id', '=', ticketId)
      .where('client_id', '=', asset.clientId)
      .executeTakeFirst();
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    const inserted = await ctx.db
      .insertInto('ticket_assets')
      .values({ ticket_id: ticketId, asset_id: assetId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await appendAssetEvents(ctx, [linkEvent(asset, 'ticket_linked', 'ticket', ticket.id, `#${ticket.number} ${ticket.subject}`)]);
    return true;
  });
}

export async function unlinkTicket(ctx: Ctx, assetId: number, ticketId: number): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const ticket = await ctx.db.selectFrom('tickets').select(['id', 'number', 'subject']).where('id', '=', ticketId).executeTakeFirst();
    const result = await ctx.db.deleteFrom('ticket_assets').where('ticket_id', '=', ticketId).where('asset_id', '=', assetId).executeTakeFirst();
    if (!ticket || Number(result.numDeletedRows) === 0) return false;
    await appendAssetEvents(ctx, [linkEvent(asset, 'ticket_unlinked', 'ticket', ticket.id, `#${ticket.number} ${ticket.subject}`)]);
    return true;
  });
}

/** Adds, removes or replaces the asset's tags; one "tags_changed" event with old and new names. */
export async function changeAssetTags(
  ctx: Ctx,
  assetId: number,
  tags: unknown[],
  mode: 'add' | 'remove' | 'replace',
  options: { createMissing?: boolean } = {},
): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    const asset = await requireAssetFor(ctx, assetId, 2);
    const issues = new IssueList();
    // Removing a tag nobody has is no reason to create it.
    const ids = await resolveTagIds(ctx, tags, issues, { createMissing: mode !== 'remove' && options.createMissing === true });
    issues.throwIfAny();
    const currentIds = (await ctx.db.selectFrom('asset_tags').select('tag_id').where('asset_id', '=', assetId).execute()).map((r) => r.tag_id);
    const next = mode === 'replace' ? ids : mode === 'add' ? [...new Set([...currentIds, ...ids])] : currentIds.filter((id) => !ids.includes(id));
    const before = await tagNamesOfAsset(ctx, assetId);
    await setTagsOnAsset(ctx, assetId, next);
    const after = await tagNamesOfAsset(ctx, assetId);
    if (before.join('\n') === after.join('\n')) return false;
    await appendAssetEvents(ctx, [
      { assetId, clientId: asset.clientId, assetName: asset.name, action: 'tags_changed', changes: [{ field: 'tags', old: before, new: after }] },
    ]);
    return true;
  });
}

function linkEvent(asset: Asset, action: AssetAction, kind: LinkKind, id: number, name: string) {
  return { assetId: asset.id, clientId: asset.clientId, assetName: asset.name, action, details: { [`${kind}Id`]: id, [`${kind}Name`]: name } };
}
