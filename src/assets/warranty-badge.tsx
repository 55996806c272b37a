// The warranty's state at a glance, on the asset list and the asset page: "Expired", or "Ends in
// 12 days" when it ends within a month; nothing when it runs longer or is not recorded.
import { isCalendarDay } from '../platform/dates.ts';
import { plural } from '../web/plural.ts';

/** How many days ahead a warranty's end gets its "Ends in …" badge. */
export const WARRANTY_SOON_DAYS = 30;

export function warrantyState(expire: string | null | undefined, today: string): { expired: boolean; text: string } | null {
  if (!expire || !isCalendarDay(expire)) return null;
  const days = Math.round((Date.parse(`${expire}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days < 0) return { expired: true, text: 'Expired' };
  if (days > WARRANTY_SOON_DAYS) return null;
  return { expired: false, text: days === 0 ? 'Ends today' : `Ends in ${plural(days, 'day')}` };
}

export function WarrantyBadge({ expire, today, class: extra }: { expire: string | null | undefined; today: string; class?: string }) {
  const state = warrantyState(expire, today);
  if (!state) return null;
  return (
    <span class={`badge warranty-badge ${state.expired ? 'text-bg-danger' : 'text-bg-warning'}${extra ? ` ${extra}` : ''}`} title={`Warranty ends ${expire}`}>
      {state.text}
    </span>
  );
}
