import { checkActingUserOnRecord } from '../access/record-access.ts';
import { mayCreateInClient } from '../access/access.ts';
import { isIP } from 'node:net';
import type { Updateable } from 'kysely';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalIp, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { changedColumns, requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import { createdWithEvent, emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import { networkInterfaces } from '../assets/asset-linkage.ts';
import type { NetworkTable } from './network.table.ts';

export interface NetworkInput {
  name?: Raw;
  description?: Raw;
  vlan?: Raw;
  cidr?: Raw;
  gateway?: Raw;
  dhcpRange?: Raw;
  primaryDns?: Raw;
  secondaryDns?: Raw;
  locationId?: Raw;
  notes?: Raw;
}

/** One set of rules for create and update: on create every field is read, on update only those given. */
async function parseNetworkFields(
  ctx: Ctx,
  issues: IssueList,
  input: NetworkInput,
  clientId: number | null,
  mode: 'create' | 'update',
): Promise<Updateable<NetworkTable>> {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<NetworkTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.description)) values.description = optionalText(issues, 'description', input.description, 65_535);
  if (wanted(input.vlan)) values.vlan = optionalVlan(issues, input.vlan);
  if (wanted(input.cidr)) {
    const cidr = optionalText(issues, 'cidr', input.cidr, 200);
    if (cidr && !isCidr(cidr)) issues.add('cidr', 'cidr_invalid', `"${cidr}" is not a network in CIDR form (e.g. 192.168.1.0/24)`);
    values.cidr = cidr;
  }
  if (wanted(input.gateway)) values.gateway = optionalIp(issues, 'gateway', input.gateway);
  if (wanted(input.dhcpRange)) values.dhcp_range = optionalText(issues, 'dhcpRange', input.dhcpRange, 200);
  if (wanted(input.primaryDns)) values.primary_dns = optionalIp(issues, 'primaryDns', input.primaryDns);
  if (wanted(input.secondaryDns)) values.secondary_dns = optionalIp(issues, 'secondaryDns', input.secondaryDns);
  if (wanted(input.locationId)) values.location_id = await sameClientRef(ctx, issues, 'locationId', input.locationId, 'locations', 'location', clientId);
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  return values;
}

export async function createNetwork(ctx: Ctx, input: NetworkInput & { clientId: Raw; name: Raw }): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = mayCreateInClient(ctx, issues, 'support', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
  const values = await parseNetworkFields(ctx, issues, input, clientId, 'create');
  issues.throwIfAny();
  return createdWithEvent(ctx, 'networks', (ctx) =>
    ctx.db
      .insertInto('networks')
      .values({ ...values, name: values.name!, client_id: clientId!, created_at: nowIso(ctx) })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow(),
  );
}

/** Changes the fields given (the rest keep their values); writes nothing when nothing differs. */
export async function updateNetwork(ctx: Ctx, id: number, input: NetworkInput): Promise<{ id: number; name: string }> {
  return inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'support', 2, 'networks', 'network', id);
    const current = await ctx.db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new NotFoundError('network', id);
    const issues = new IssueList();
    const values = await parseNetworkFields(ctx, issues, input, current.client_id, 'update');
    issues.throwIfAny();
    const changed = changedColumns(current, values);
    if (Object.keys(changed).length)
      await ctx.db
        .updateTable('networks')
        .set({ ...changed, updated_at: nowIso(ctx) })
        .where('id', '=', id)
        .execute();
    await emitRecordUpdate(ctx, 'networks', id, current, changed);
    return { id, name: changed.name ?? current.name };
  });
}

/** A VLAN id, 1–4094; blank and 0 (ITFlow's "no VLAN") mean none. */
function optionalVlan(issues: IssueList, raw: Raw): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const vlan = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (vlan === 0) return null;
  if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) {
    issues.add('vlan', 'vlan_invalid', `"${String(raw)}" is not a VLAN id (1–4094)`);
    return null;
  }
  return vlan;
}

function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length || !address || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Archives a network; false (nothing written) if it already was. Interfaces keep pointing at it. */
export async function archiveNetwork(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'networks', 'network', id);
  return setArchivedWithEvent(ctx, 'networks', 'network', id, true);
}

export async function restoreNetwork(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'support', 2, 'networks', 'network', id);
  return setArchivedWithEvent(ctx, 'networks', 'network', id, false);
}

/** Deletes a network for good; each interface on it leaves it through the interface rules (in its asset's history). */
export async function deleteNetwork(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'support', 3, 'networks', 'network', id);
    const network = await ctx.db.selectFrom('networks').select('name').where('id', '=', id).executeTakeFirst();
    if (!network) throw new NotFoundError('network', id);
    await networkInterfaces.clear(ctx, id, `network "${network.name}" (${id}) was deleted`);
    await emitRecordEvent(ctx, 'networks', 'deleted', id);
    await ctx.db.deleteFrom('networks').where('id', '=', id).execute();
  });
}
