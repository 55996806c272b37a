// What a technician pastes into a search box, read as what they mean: a MAC address (or a piece of
// one) in any notation, an IP address with its prefix length. Searches look for each form returned.
import { isIP } from 'node:net';

/**
 * The texts to look for: the term itself, a MAC fragment also as bare hex (the search index holds each
 * MAC as aa:bb:cc:dd:ee:ff and as aabbccddeeff, so "00-15-5D-01", "0015.5d01" and "00:15:5d:01" all
 * find it), and an address with a prefix length ("10.0.0.5/24") as the address alone.
 */
export function searchTermVariants(term: string): string[] {
  const t = term.trim();
  const address = addressOf(t);
  if (address) return [address];
  const hex = macHex(t);
  return hex && hex !== t.toLowerCase() ? [t, hex] : [t];
}

/** The address of "address/prefix", when that is what the term is; null otherwise. */
export function addressOf(term: string): string | null {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(term.trim());
  if (!m) return null;
  const family = isIP(m[1]!);
  if (family === 0 || Number(m[2]) > (family === 4 ? 32 : 128)) return null;
  return m[1]!;
}

/**
 * A whole MAC or a piece of one written with separators (aa:bb:cc, AA-BB-CC, aabb.ccdd), as lower-case
 * hex without them; null for anything else. Inner groups must be whole (two digits, or four with dots),
 * the first and last may be cut.
 */
export function macHex(term: string): string | null {
  const t = term.trim();
  const separator = /[:.-]/.exec(t)?.[0];
  if (!separator || !new RegExp(`^[0-9a-f${separator === '-' ? '\\-' : separator}]+$`, 'i').test(t)) return null;
  const groups = t.split(separator);
  const size = separator === '.' ? 4 : 2;
  if (groups.length > (separator === '.' ? 3 : 6)) return null;
  const fits = groups.every((g, i) => g.length > 0 && g.length <= size && (i === 0 || i === groups.length - 1 || g.length === size));
  return fits ? groups.join('').toLowerCase() : null;
}
