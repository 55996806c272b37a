// A moment shown as people say it ("3 days ago"), the exact time on hover. The server writes it in
// UTC; app.js rewrites both in the reader's own locale and time zone.
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const exact = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  return 'just now';
}

export function exactTime(iso: string): string {
  return `${exact.format(new Date(iso))} UTC`;
}

export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time datetime={iso} title={exactTime(iso)} data-relative-time>
      {relativeTime(iso)}
    </time>
  );
}
