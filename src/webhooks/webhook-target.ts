// Where a webhook may send: http(s) only, and unless an administrator allowed private targets, only to
// public addresses. Checked when a webhook is saved (a clear field error) and again on every delivery,
// through the lookup the connection itself uses, so a name that resolves to a public address at save
// time and to 127.0.0.1 later (DNS rebinding) still cannot reach the inside.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { promisify } from 'node:util';
import type { Ctx } from '../platform/context.ts';
import { getSetting, setSetting } from '../settings/setting.service.ts';

export const ALLOW_PRIVATE_SETTING = 'webhooks.allow_private_targets';

/** Whether an administrator allowed webhooks to loopback and private addresses (off by default). */
export async function privateTargetsAllowed(ctx: Ctx): Promise<boolean> {
  return (await getSetting<boolean>(ctx, ALLOW_PRIVATE_SETTING, false)) === true;
}

export async function setPrivateTargetsAllowed(ctx: Ctx, allowed: boolean): Promise<void> {
  await setSetting(ctx, ALLOW_PRIVATE_SETTING, allowed);
}

// Every range that is not the public internet: this host, private networks, carrier NAT, link-local
// (cloud metadata at 169.254.169.254), documentation, benchmarking, multicast and reserved.
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** True for an address on the public internet; false for loopback, private, link-local and reserved ones. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1, NAT64 64:ff9b::10.0.0.1, or in hex) is judged as IPv4.
  const embedded = embeddedIpv4(lower);
  if (embedded) return isPublicAddress(embedded);
  return !NOT_PUBLIC.check(lower, 'ipv6');
}

function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)((?:\d{1,3}\.){3}\d{1,3})$/.exec(address);
  if (m) return m[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!hex) return null;
  const hi = Number.parseInt(hex[1]!, 16);
  const lo = Number.parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

const lookupAll = promisify(dnsLookup) as unknown as (host: string, options: { all: true }) => Promise<LookupAddress[]>;

/** The host of a URL as DNS and the socket want it (IPv6 literals without their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Why this URL may not be a webhook's target, or null when it may. `resolve` is replaceable in tests.
 * A name that does not resolve is refused too: a webhook that can never be reached is a typo.
 */
export async function targetProblem(
  raw: string,
  allowPrivate: boolean,
  resolve: (host: string) => Promise<string[]> = async (host) => (await lookupAll(host, { all: true })).map((a) => a.address),
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL; write it as https://host/path';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must start with https:// or http:// (not ${url.protocol.replace(/:$/, '')})`;
  if (url.username || url.password) return 'must not carry a user name or password; put credentials in the path or use the signature';
  const host = hostOf(url);
  if (!host) return 'has no host';
  if (allowPrivate) return null;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return `names a host that does not resolve (${host})`;
    }
  }
  const inside = addresses.find((a) => !isPublicAddress(a));
  if (inside !== undefined || addresses.length === 0)
    return `resolves to ${inside ?? 'no address'}, a loopback, private or otherwise non-public address; an administrator can allow private targets in Administration → Company`;
  return null;
}

/**
 * A DNS lookup for the delivery's own connection that refuses non-public addresses (unless allowed),
 * so the check and the connection use the same answer.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: { all?: boolean } & Record<string, unknown>,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const inside = list.find((a) => !isPublicAddress(a.address));
      if (!allowPrivate && (inside || list.length === 0)) {
        const refused = Object.assign(new Error(`${hostname} resolves to ${inside?.address ?? 'no address'}, a non-public address`), { code: 'ENOTPUBLIC' });
        return callback(refused, '', 0);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
