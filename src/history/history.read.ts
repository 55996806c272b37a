// An asset's history as a person may see it: newest first, optionally with the events of the records
// it was transferred from ("lineage"), so a transferred asset reads as one story. Events of a client
// the reader may not see are left out, and what the copy's own events say about that client is
// reduced to "came from another client".
import { canSeeClient, type Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { lineageOf } from '../transfers/transfer.service.ts';
import { eventRowToEvent } from './history.repository.ts';
import { LOGIN_NAME_HIDDEN, REASON_WITHHELD, type AssetEvent } from './history.ts';

export interface HistoryPage {
  events: AssetEvent[];
  /** Pass back as the cursor for the next (older) page; null when there is none. */
  nextCursor: number | null;
}

export async function readAssetHistory(
  ctx: Ctx,
  principal: Principal,
  assetId: number,
  options: { includeLineage?: boolean; cursor?: number | null; limit?: number } = {},
): Promise<HistoryPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const chain = options.includeLineage ? await lineageOf(ctx, assetId) : [];
  // Each earlier record's events up to the transfer that made the next one: what happened to an
  // original afterwards (an undone transfer, edits) is its own story, not this record's.
  const firstEvents = chain.length
    ? new Map(
        (
          await ctx.db
            .selectFrom('asset_events')
            .select(['asset_id', (eb) => eb.fn.min('id').as('first')])
            .where('asset_id', 'in', [assetId, ...chain.map((r) => r.id)])
            .groupBy('asset_id')
            .execute()
        ).map((r) => [r.asset_id, Number(r.first)]),
      )
    : new Map<number, number>();
  const earlier = chain
    .map((record, i) => ({ record, until: firstEvents.get(i === 0 ? assetId : chain[i - 1]!.id) ?? Number.MAX_SAFE_INTEGER }))
    .filter(({ record }) => canSeeClient(principal, record.clientId));
  let q = ctx.db
    .selectFrom('asset_events')
    .selectAll()
    .where((eb) =>
      eb.or([eb('asset_id', '=', assetId), ...earlier.map(({ record, until }) => eb.and([eb('asset_id', '=', record.id), eb('id', '<', until)]))]),
    );
  if (options.cursor) q = q.where('id', '<', options.cursor);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows
    .slice(0, limit)
    .map(eventRowToEvent)
    .map((e) => redact(e, principal));
  return { events: page, nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

/** Removes what an event says about a client the reader may not see, and logins if they may not see those. */
function redact(event: AssetEvent, principal: Principal): AssetEvent {
  const hidden = hideOtherClient(event, principal);
  return principal.levels.credential >= 1 ? hidden : hideLogins(hidden);
}

function hideOtherClient(event: AssetEvent, principal: Principal): AssetEvent {
  const details = event.details;
  if (!details) return event;
  const other = typeof details.fromClientId === 'number' ? details.fromClientId : typeof details.toClientId === 'number' ? details.toClientId : null;
  if (other === null || canSeeClient(principal, other)) return event;
  const direction = event.action === 'transferred_in' ? { cameFromAnotherClient: true } : { wentToAnotherClient: true };
  const kept = Object.fromEntries(Object.entries(details).filter(([k]) => ['interfaces', 'tags', 'notes'].includes(k)));
  // Mappings name the other client's records; only the reader's side is kept. The reason is free
  // text that may name the other client: the reader learns only that there was one.
  const reason = event.reason === null ? {} : { reason: REASON_WITHHELD, reasonWithheld: true };
  return { ...event, ...reason, details: { ...kept, ...direction } };
}

/** Login names an event carries (linked, unlinked, left behind by a transfer, gone with a deletion). */
function hideLogins(event: AssetEvent): AssetEvent {
  const details = event.details;
  if (!details) return event;
  const out: Record<string, unknown> = { ...details };
  if ('loginName' in out) out.loginName = LOGIN_NAME_HIDDEN;
  for (const key of ['staysBehind', 'snapshot']) {
    const inner = out[key] as { logins?: unknown } | undefined;
    if (inner && Array.isArray(inner.logins)) out[key] = { ...inner, logins: inner.logins.map(hiddenLogin) };
  }
  return { ...event, details: out };
}

const hiddenLogin = (login: unknown) => (login && typeof login === 'object' ? { ...login, name: LOGIN_NAME_HIDDEN } : LOGIN_NAME_HIDDEN);
