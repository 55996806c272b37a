// Which URIs of an asset the page turns into links: only schemes a technician opens on purpose (web
// consoles, SSH, remote desktop, VNC). Anything else (javascript:, data:, file:, a bare host name)
// stays plain text, so a stored value can never run script or open a local file from the page.
const LINKABLE_SCHEMES = new Set(['http:', 'https:', 'ssh:', 'rdp:', 'vnc:']);

/** The href to use for a stored URI, or null when it must stay plain text. */
export function linkableUri(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    // The WHATWG parser strips what browsers strip (surrounding spaces, tabs and newlines inside the
    // scheme), so the scheme checked here is the one a browser would follow.
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return LINKABLE_SCHEMES.has(url.protocol) ? url.href : null;
}
