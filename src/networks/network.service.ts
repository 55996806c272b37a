import { isIP } from 'node:net';
import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalIp, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';

export async function createNetwork(
  ctx: Ctx,
  input: { clientId: Raw; name: Raw; description?: Raw; vlan?: Raw; cidr?: Raw; gateway?: Raw; dhcpRange?: Raw; primaryDns?: Raw; secondaryDns?: Raw; locationId?: Raw; notes?: Raw },
): Promise<{ id: number; name: string }> {
  const issues = new IssueList();
  const clientId = await requireActiveClient(ctx, issues, input.clientId);
  const cidr = optionalText(issues, 'cidr', input.cidr, 200);
  if (cidr && !isCidr(cidr)) issues.add('cidr', 'cidr_invalid', `"${cidr}" is not a network in CIDR form (e.g. 192.168.1.0/24)`);
  let vlan: number | null = null;
  if (input.vlan !== undefined && input.vlan !== null && input.vlan !== '') {
    vlan = Number(input.vlan);
    if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) {
      issues.add('vlan', 'vlan_invalid', `"${String(input.vlan)}" is not a VLAN id (1–4094)`);
      vlan = null;
    }
  }
  const values = {
    name: requiredText(issues, 'name', input.name, 200),
    description: optionalText(issues, 'description', input.description, 65_535),
    vlan,
    cidr,
    gateway: optionalIp(issues, 'gateway', input.gateway),
    dhcp_range: optionalText(issues, 'dhcpRange', input.dhcpRange, 200),
    primary_dns: optionalIp(issues, 'primaryDns', input.primaryDns),
    secondary_dns: optionalIp(issues, 'secondaryDns', input.secondaryDns),
    location_id: await sameClientRef(ctx, issues, 'locationId', input.locationId, 'locations', 'location', clientId),
    notes: optionalText(issues, 'notes', input.notes, 65_535),
  };
  issues.throwIfAny();
  return ctx.db.insertInto('networks').values({ ...values, client_id: clientId!, created_at: nowIso(ctx) }).returning(['id', 'name']).executeTakeFirstOrThrow();
}

function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length || !address || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}
