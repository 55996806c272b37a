// The asset rules: create, update, copy, archive (also on transfer), restore, delete. Every write
// validates first, runs in one transaction and appends its history event there, so a failed write
// changes nothing. New assets are written by asset-writer.ts, the one writer the bulk paths share.
import { sql } from 'kysely';
import { authorize, canSeeClient, mayCreateInClient, type Principal } from '../access/access.ts';
import { appendAssetEvents } from '../history/history.repository.ts';
import { diffFields, type AssetAction, type FieldChange } from '../history/history.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { requireActiveClient } from '../platform/record-rules.ts';
import { IssueList, NotFoundError, StaleWriteError, VersionConflictError } from '../platform/errors.ts';
import { resolveTagIds, setTagsOnAsset, tagNamesOfAsset } from '../tags/tag.service.ts';
import {
  assetFieldsToColumns,
  EDITABLE_FIELDS,
  INTERFACE_FIELDS,
  interfaceFieldsToColumns,
  type Asset,
  type AssetFields,
  type AssetWithPrimary,
  type InterfaceFields,
} from './asset.ts';
import { findAssetWithPrimary, listInterfaces, lockAssetForWrite, refreshSearchDocument, requireAsset } from './asset.repository.ts';
import { dateOrderIssues, parseAssetFields, parseInterfaceFields, type AssetFieldsInput, type InterfaceFieldsInput } from './asset.rules.ts';
import { assetSnapshot } from './asset-snapshot.ts';
import { fieldsOfKind } from './asset-fields.ts';
import { checkActingUserOnAsset } from './asset-access.ts';
import { refuseRestoringOneSideOfATransfer } from './transfer-state.ts';
import { initialChanges, insertAssets, type NewAsset } from './asset-writer.ts';

export interface AssetCreateInput extends AssetFieldsInput {
  clientId: unknown;
  /** The primary interface, created with the asset (name defaults to "01"). */
  primaryInterface?: InterfaceFieldsInput;
  /** Tag names or ids. */
  tags?: unknown[];
  /** Names no tag has become new tags (the web form's type-ahead box), if the user may write. */
  createMissingTags?: boolean;
}

export interface AssetUpdateInput extends AssetFieldsInput {
  primaryInterface?: InterfaceFieldsInput;
  tags?: unknown[];
}

/** Plain reads of assets, for other features (their repository is this folder's own). */
export { findAssetById, listInterfaces, requireAsset } from './asset.repository.ts';

export interface WriteOptions {
  /** Optimistic concurrency: fail with a conflict if the asset's version is no longer this. */
  expectedVersion?: number;
  /** Extra facts for the history event (an import's id and line). */
  details?: Record<string, unknown>;
}

/** A new asset's primary interface is called this unless named. */
export const DEFAULT_INTERFACE_NAME = '01';

/**
 * The asset, for a principal about to act on it at this level of the support module. A missing asset
 * and one of a client the principal may not see are both "not found" (shown as `shownId`, the id as
 * the caller gave it); too low a level is "forbidden". A database failure stays a database failure.
 */
export async function loadAssetFor(
  ctx: Ctx,
  principal: Principal,
  id: number | null,
  level: 1 | 2 | 3,
  shownId: number | string = id ?? '',
): Promise<AssetWithPrimary> {
  const asset = id ? await findAssetWithPrimary(ctx, id) : null;
  if (!asset || !canSeeClient(principal, asset.clientId)) throw new NotFoundError('asset', shownId);
  authorize(principal, 'support', level, { clientId: asset.clientId, entity: 'asset', id: asset.id });
  return asset;
}

export async function getAsset(ctx: Ctx, id: number): Promise<AssetWithPrimary> {
  const asset = await findAssetWithPrimary(ctx, id);
  if (!asset) throw new NotFoundError('asset', id);
  return asset;
}

export async function createAsset(
  ctx: Ctx,
  input: AssetCreateInput,
  action: AssetAction = 'created',
  details: Record<string, unknown> | null = null,
): Promise<AssetWithPrimary> {
  return inTransaction(ctx, async (ctx) => {
    const issues = new IssueList();
    const clientId = mayCreateInClient(ctx, issues, 'support', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
    const fields = clientId ? await parseAssetFields(ctx, input, clientId, 'create', issues) : {};
    const iface = clientId
      ? await parseInterfaceFields(ctx, { name: DEFAULT_INTERFACE_NAME, ...input.primaryInterface }, clientId, 'create', issues, undefined, 'primaryInterface.')
      : {};
    const tagIds = input.tags ? await resolveTagIds(ctx, input.tags, issues, { createMissing: input.createMissingTags === true }) : [];
    issues.throwIfAny();

    const tags = tagIds.length ? await ctx.db.selectFrom('tags').select(['id', 'name']).where('id', 'in', tagIds).execute() : [];
    const [id] = await insertAssets(ctx, [
      {
        clientId: clientId!,
        fields: fields as NewAsset['fields'],
        interfaces: [{ ...iface, name: iface.name!, primary: true }],
        tags,
        action,
        details: withDateWarnings(details, input, fields),
      },
    ]);
    return getAsset(ctx, id!);
  });
}

export async function updateAsset(
  ctx: Ctx,
  id: number,
  input: AssetUpdateInput,
  options: WriteOptions = {},
): Promise<{ asset: AssetWithPrimary; changed: boolean }> {
  return inTransaction(ctx, async (ctx) => {
    await lockAssetForWrite(ctx, id);
    const current = await getAsset(ctx, id);
    checkActingUserOnAsset(ctx, current, 2);
    await checkVersion(ctx, current, options);
    const { fields, iface, tagIds } = await parseUpdate(ctx, current, input);
    const primary = current.primaryInterface;

    const assetChanges = diffFields<Partial<AssetFields>>(current, { ...current, ...fields }, EDITABLE_FIELDS);
    const ifaceChanges = primary
      ? diffFields<Partial<InterfaceFields>>(primary, { ...primary, ...iface }, INTERFACE_FIELDS)
      : initialChanges(iface, INTERFACE_FIELDS);
    const oldTags = await tagNamesOfAsset(ctx, id);
    if (tagIds) await setTagsOnAsset(ctx, id, tagIds);
    const newTags = tagIds ? await tagNamesOfAsset(ctx, id) : oldTags;
    const tagChanges = diffFields({ tags: oldTags }, { tags: newTags }, ['tags']);

    const changes: FieldChange[] = [...assetChanges, ...ifaceChanges.map((c) => ({ ...c, field: `primaryInterface.${c.field}` })), ...tagChanges];
    if (changes.length === 0) return { asset: current, changed: false };

    const at = nowIso(ctx);
    const changedFields = Object.fromEntries(assetChanges.map((c) => [c.field, c.new])) as Partial<AssetFields>;
    await bumpAsset(ctx, current, assetFieldsToColumns(changedFields), at);
    if (ifaceChanges.length) await writePrimaryInterface(ctx, id, primary?.id ?? null, iface, at);
    await refreshSearchDocument(ctx, id);
    const name = changedFields.name ?? current.name;
    const details = withDateWarnings(options.details ?? null, input, fields, current);
    await appendAssetEvents(ctx, [{ assetId: id, clientId: current.clientId, assetName: name, action: 'updated', changes, details }]);
    return { asset: await getAsset(ctx, id), changed: true };
  });
}

/**
 * A write that keeps dates out of order (`dateOrder: 'warn'`, API v1's leniency) says so in its history
 * event: `details.warnings`, shown on the asset's timeline.
 */
function withDateWarnings(
  details: Record<string, unknown> | null,
  input: AssetFieldsInput,
  fields: Partial<AssetFields>,
  current?: AssetFields,
): Record<string, unknown> | null {
  if (input.dateOrder !== 'warn') return details;
  const warnings = dateOrderIssues(fields, current).map((issue) => issue.message);
  return warnings.length ? { ...details, warnings } : details;
}

/** Checks an update by the same rules as updateAsset, writing nothing: throws what updateAsset would. */
export async function checkAssetUpdate(ctx: Ctx, id: number, input: AssetUpdateInput): Promise<void> {
  const current = await getAsset(ctx, id);
  checkActingUserOnAsset(ctx, current, 2);
  await parseUpdate(ctx, current, input);
}

async function parseUpdate(ctx: Ctx, current: AssetWithPrimary, input: AssetUpdateInput) {
  const issues = new IssueList();
  const fields = await parseAssetFields(ctx, input, current.clientId, 'update', issues, current);
  const iface = input.primaryInterface
    ? await parseInterfaceFields(ctx, input.primaryInterface, current.clientId, 'update', issues, current.primaryInterface ?? undefined, 'primaryInterface.')
    : {};
  const tagIds = input.tags ? await resolveTagIds(ctx, input.tags, issues) : null;
  issues.throwIfAny();
  return { fields, iface, tagIds };
}

/** Creates a new asset in the same client from an existing one; identity (serial, MAC, IP) is not copied. */
export async function copyAsset(ctx: Ctx, sourceId: number, overrides: AssetUpdateInput = {}): Promise<AssetWithPrimary> {
  return inTransaction(ctx, async (ctx) => {
    const source = await getAsset(ctx, sourceId);
    checkActingUserOnAsset(ctx, source, 2);
    const base: AssetFieldsInput = {};
    for (const field of EDITABLE_FIELDS) if (field !== 'serial') base[field] = source[field];
    // Dates the source already holds out of order do not stop its copy (the copy's history says so);
    // dates the caller gives are checked.
    if (!fieldsOfKind('date').some((f) => overrides[f] !== undefined)) base.dateOrder = 'warn';
    const p = source.primaryInterface;
    const primaryInterface: InterfaceFieldsInput = p
      ? { name: p.name, type: p.type, description: p.description, networkId: p.networkId, ip: p.ip === 'DHCP' ? 'DHCP' : null }
      : {};
    const tags = await tagNamesOfAsset(ctx, sourceId);
    return createAsset(
      ctx,
      {
        ...base,
        ...overrides,
        clientId: source.clientId,
        primaryInterface: { ...primaryInterface, ...overrides.primaryInterface },
        tags: overrides.tags ?? tags,
      },
      'copied',
      { sourceAssetId: sourceId, sourceAssetName: source.name },
    );
  });
}

/** Archives an asset; returns false (and records nothing) if it already was. */
export async function archiveAsset(ctx: Ctx, id: number, options: WriteOptions = {}): Promise<boolean> {
  return setArchived(ctx, id, true, options);
}

export async function restoreAsset(ctx: Ctx, id: number, options: WriteOptions = {}): Promise<boolean> {
  return setArchived(ctx, id, false, options);
}

async function setArchived(ctx: Ctx, id: number, archive: boolean, options: WriteOptions): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    await lockAssetForWrite(ctx, id);
    const current = await requireAsset(ctx, id);
    checkActingUserOnAsset(ctx, current, 2);
    await checkVersion(ctx, current, options);
    if ((current.archivedAt !== null) === archive) return false;
    if (!archive) await refuseRestoringOneSideOfATransfer(ctx, current);
    const at = nowIso(ctx);
    await bumpAsset(ctx, current, { archived_at: archive ? at : null }, at);
    await appendAssetEvents(ctx, [
      {
        assetId: id,
        clientId: current.clientId,
        assetName: current.name,
        action: archive ? 'archived' : 'restored',
        changes: [{ field: 'archivedAt', old: current.archivedAt, new: archive ? at : null }],
      },
    ]);
    return true;
  });
}

/**
 * Deletes an asset for good. Its interfaces, notes, tags and links go with it (logins are unlinked,
 * not deleted); its history stays, ending with a "deleted" event that holds its last state.
 */
export async function deleteAsset(ctx: Ctx, id: number, options: WriteOptions = {}): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await lockAssetForWrite(ctx, id);
    const current = await requireAsset(ctx, id);
    checkActingUserOnAsset(ctx, current, 3);
    await checkVersion(ctx, current, options);
    const snapshot = await assetSnapshot(ctx, current);
    await appendAssetEvents(ctx, [{ assetId: id, clientId: current.clientId, assetName: current.name, action: 'deleted', details: { snapshot } }]);
    await ctx.db.deleteFrom('assets').where('id', '=', id).execute();
  });
}

/**
 * Undoes a transfer's writes to the two records: the copy is archived and the original restored
 * (unless it was archived before the transfer) and no longer points at the copy. Only while both are
 * as the caller read them; the caller checked that the copy has not changed since the transfer and
 * records the history.
 */
export async function reverseTransfer(ctx: Ctx, original: Asset, copy: Asset, at: string, restoreOriginal: boolean): Promise<void> {
  await bumpAsset(ctx, copy, { archived_at: at }, at);
  await bumpAsset(ctx, original, { transferred_to_id: null, ...(restoreOriginal ? { archived_at: null } : {}) }, at);
}

/**
 * Archives a transferred asset (if it is not already), pointing it at its copy under the other client.
 * Only if nobody transferred or changed it meanwhile: false then, with nothing written. The caller
 * records the "transferred out" event.
 */
export async function archiveAsTransferred(ctx: Ctx, asset: Asset, copyId: number, at: string): Promise<boolean> {
  const claimed = await ctx.db
    .updateTable('assets')
    .set({ transferred_to_id: copyId, archived_at: sql`coalesce(archived_at, ${at})`, updated_at: at, version: sql`version + 1` })
    .where('id', '=', asset.id)
    .where('transferred_to_id', 'is', null)
    .where('version', '=', asset.version)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** Writes changed columns, bumping the version; a concurrent writer that got there first wins. */
export async function bumpAsset(ctx: Ctx, current: Asset, columns: Record<string, unknown>, at: string): Promise<void> {
  const result = await ctx.db
    .updateTable('assets')
    .set({ ...columns, updated_at: at, version: current.version + 1 })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new StaleWriteError(`asset ${current.id} was changed by someone else meanwhile; reload and try again`);
  }
}

/** A caller that edited an older version (a form, an If-Match) learns who changed it since, and when. */
async function checkVersion(ctx: Ctx, current: Asset, options: WriteOptions): Promise<void> {
  if (options.expectedVersion === undefined || options.expectedVersion === current.version) return;
  const last = await ctx.db
    .selectFrom('asset_events')
    .select(['actor_name', 'created_at'])
    .where('asset_id', '=', current.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  throw new VersionConflictError(
    `asset ${current.id} has changed since version ${options.expectedVersion} (now ${current.version})${last ? `: changed by ${last.actor_name} at ${last.created_at}` : ''}`,
    { version: current.version, updatedAt: last?.created_at ?? current.updatedAt, updatedBy: last?.actor_name ?? null },
  );
}

async function writePrimaryInterface(ctx: Ctx, assetId: number, interfaceId: number | null, iface: Partial<InterfaceFields>, at: string): Promise<void> {
  if (interfaceId !== null) {
    await ctx.db
      .updateTable('asset_interfaces')
      .set({ ...interfaceFieldsToColumns(iface), updated_at: at })
      .where('id', '=', interfaceId)
      .execute();
    return;
  }
  const existing = await listInterfaces(ctx, assetId);
  await ctx.db
    .insertInto('asset_interfaces')
    .values({
      asset_id: assetId,
      name: iface.name ?? (existing.length ? `${DEFAULT_INTERFACE_NAME}-primary` : DEFAULT_INTERFACE_NAME),
      ...interfaceFieldsToColumns(iface),
      is_primary: 1,
      created_at: at,
    })
    .execute();
}
