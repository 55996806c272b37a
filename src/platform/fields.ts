// Field-level parsing shared by every record's rules: each function returns the normalised value
// or records an issue naming the field. Nothing here touches the database.
import { isIPv4, isIPv6 } from 'node:net';
import type { IssueList } from './errors.ts';
import { excerpt, MAX_ID } from './text.ts';

/** A value as it arrives from a form, JSON body, CSV cell or CLI flag. */
export type Raw = unknown;

const BLANK = Symbol('blank');

function asText(raw: Raw): string | typeof BLANK | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return BLANK;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? BLANK : trimmed;
}

function wrongType(issues: IssueList, field: string): null {
  issues.add(field, 'type', 'must be text');
  return null;
}

/** Optional text up to max characters; blank means none (null). */
export function optionalText(issues: IssueList, field: string, raw: Raw, max: number): string | null {
  const text = asText(raw);
  if (text === BLANK) return null;
  if (text === undefined) return raw === undefined ? null : wrongType(issues, field);
  if (text.length > max) {
    issues.add(field, 'too_long', `is ${text.length} characters long; the limit is ${max}`);
    return null;
  }
  return text;
}

export function requiredText(issues: IssueList, field: string, raw: Raw, max: number): string {
  const text = optionalText(issues, field, raw, max);
  if (text === null && !issues.issues.some((i) => i.field === field)) issues.add(field, 'required', 'is required');
  return text ?? '';
}

// Year first, as MariaDB reads dates (and so ITFlow stores them): 2023-05-14, 2023-5-4, 2023/05/14 as
// RMM scripts format them, or 20230514. Day-first forms (14/05/2023) are ambiguous and refused.
const YEAR_FIRST = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$|^(\d{4})(\d{2})(\d{2})$/;

/** A real calendar date, stored as YYYY-MM-DD; "" and 0000-00-00 mean none. Never silently dropped. */
export function optionalDate(issues: IssueList, field: string, raw: Raw): string | null {
  const text = asText(raw);
  if (text === BLANK || text === '0000-00-00') return null;
  if (text === undefined) return raw === undefined ? null : wrongType(issues, field);
  const match = YEAR_FIRST.exec(text);
  if (!match) {
    issues.add(field, 'date_format', `"${excerpt(text)}" is not a date; use YYYY-MM-DD`);
    return null;
  }
  const [year, month, day] = match[1] ? [Number(match[1]), Number(match[3]), Number(match[4])] : [Number(match[5]), Number(match[6]), Number(match[7])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    issues.add(field, 'date_invalid', `"${text}" is not a real calendar date`);
    return null;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The addresses an IP field's error shows as examples (documentation ranges). */
const IPV4_EXAMPLE = '192.168.1.10';
const IPV6_EXAMPLE = '2001:db8::1';

/** An IPv4 address, or the word DHCP (any case, stored as DHCP). */
export function optionalIpv4OrDhcp(issues: IssueList, field: string, raw: Raw): string | null {
  const text = asText(raw);
  if (text === BLANK) return null;
  if (text === undefined) return raw === undefined ? null : wrongType(issues, field);
  if (text.toUpperCase() === 'DHCP') return 'DHCP';
  if (isIPv4(text)) return text;
  const ipv6 = isIPv6(text) ? '; an IPv6 address has a field of its own' : '';
  issues.add(field, 'ip_invalid', `enter an IPv4 address such as ${IPV4_EXAMPLE}, or DHCP ("${excerpt(text)}" is neither${ipv6})`);
  return null;
}

/** An IPv4 or IPv6 address (a NAT address may be either). */
export function optionalIp(issues: IssueList, field: string, raw: Raw): string | null {
  const text = asText(raw);
  if (text === BLANK) return null;
  if (text === undefined) return raw === undefined ? null : wrongType(issues, field);
  if (isIPv4(text)) return text;
  if (isIPv6(text)) return text.toLowerCase();
  issues.add(field, 'ip_invalid', `enter an IPv4 address such as ${IPV4_EXAMPLE} or an IPv6 address such as ${IPV6_EXAMPLE} ("${excerpt(text)}" is neither)`);
  return null;
}

export function optionalIpv6(issues: IssueList, field: string, raw: Raw): string | null {
  const text = asText(raw);
  if (text === BLANK) return null;
  if (text === undefined) return raw === undefined ? null : wrongType(issues, field);
  if (isIPv6(text)) return text.toLowerCase();
  issues.add(field, 'ipv6_invalid', `enter an IPv6 address such as ${IPV6_EXAMPLE} ("${excerpt(text)}" is not one)`);
  return null;
}

/**
 * A MAC address in any common notation (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff,
 * aabbccddeeff), stored as AA:BB:CC:DD:EE:FF.
 */
export function optionalMac(issues: IssueList, field: string, raw: Raw): string | null {
  const text = asText(raw);
  if (text === BLANK) return null;
  if (text === undefined) return raw === undefined ? null : wrongType(issues, field);
  const normalised = normaliseMac(text);
  if (normalised) return normalised;
  issues.add(field, 'mac_invalid', `"${text}" is not a MAC address (e.g. AA:BB:CC:DD:EE:FF)`);
  return null;
}

export function normaliseMac(text: string): string | null {
  const t = text.trim();
  const groups = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(t)
    ? t.split(/[:-]/)
    : /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(t)
      ? t.replaceAll('.', '').match(/../g)
      : /^[0-9a-f]{12}$/i.test(t)
        ? t.match(/../g)
        : null;
  return groups ? groups.join(':').toUpperCase() : null;
}

/** A positive whole number id; blank, 0 and null mean none (ITFlow writes 0 for "none"). */
export function optionalId(issues: IssueList, field: string, raw: Raw): number | null {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0') return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  // Ids fit the database's 31-bit integer columns.
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_ID) {
    issues.add(field, 'id_invalid', `"${excerpt(String(raw))}" is not a record id`);
    return null;
  }
  return n;
}

export function optionalBool(issues: IssueList, field: string, raw: Raw): boolean | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t)) return true;
    if (['0', 'false', 'no', 'off'].includes(t)) return false;
  }
  issues.add(field, 'bool_invalid', `"${String(raw)}" is not yes/no`);
  return null;
}

/** Folds text for matching names: lower case, accents removed (as ITFlow's collation does). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
