// Where a "come back here afterwards" parameter (next, return_to) may send the browser: only a path
// on this site. The value is read as the browser would read it (tabs and newlines dropped, backslashes
// as slashes, dot segments resolved), and anything that would leave the site, or could not be put in
// a Location header, gives the fallback instead.
const PROBE_ORIGIN = 'http://steward.invalid';
const ANY_WHITESPACE_OR_CONTROL = /[\u0000-\u0020\u007F-\u009F\\]/;

export function safeRedirect(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || ANY_WHITESPACE_OR_CONTROL.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  // Serialised by URL: non-ASCII percent-encoded, dot segments gone. "/.//x" resolves to "//x", which a
  // browser would take for another host.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('/') && !path.startsWith('//') ? path : fallback;
}
