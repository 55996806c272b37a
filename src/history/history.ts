// The shape of an asset's history, as the UI, both APIs and exports show it.
import type { Actor, Source } from '../platform/context.ts';

export type AssetAction =
  | 'created'
  | 'copied'
  | 'updated'
  | 'archived'
  | 'restored'
  | 'deleted'
  | 'imported'
  | 'transferred_out'
  | 'transferred_in'
  | 'transfer_undone'
  | 'interface_added'
  | 'interface_updated'
  | 'interface_removed'
  | 'primary_interface_changed'
  | 'interface_connected'
  | 'interface_disconnected'
  | 'note_added'
  | 'note_updated'
  | 'note_archived'
  | 'note_restored'
  | 'note_deleted'
  | 'tags_changed'
  | 'login_linked'
  | 'login_unlinked'
  | 'service_linked'
  | 'service_unlinked'
  | 'ticket_linked'
  | 'ticket_unlinked';

/** One changed field: its value before and after. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
  /** For a reference (a location, contact, vendor, network or client id): the names it had when written. */
  oldName?: string | null;
  newName?: string | null;
}

/** Fields holding the id of another record, and that record's table; their events keep its name. */
export const REFERENCE_FIELDS = {
  locationId: 'locations',
  contactId: 'contacts',
  vendorId: 'vendors',
  networkId: 'networks',
  'primaryInterface.networkId': 'networks',
  clientId: 'clients',
} as const;
export type ReferenceTable = (typeof REFERENCE_FIELDS)[keyof typeof REFERENCE_FIELDS];

export function referenceTableOf(field: string): ReferenceTable | null {
  return Object.hasOwn(REFERENCE_FIELDS, field) ? REFERENCE_FIELDS[field as keyof typeof REFERENCE_FIELDS] : null;
}

export interface AssetEvent {
  id: number;
  assetId: number;
  clientId: number;
  assetName: string;
  action: AssetAction;
  actor: { type: Actor['type']; userId: number | null; apiKeyId: number | null; name: string };
  source: Source;
  ip: string | null;
  reason: string | null;
  /** The reason is kept from this reader (it may name a client they may not see); `reason` says so. */
  reasonWithheld?: boolean;
  correlationId: string | null;
  changes: FieldChange[];
  details: Record<string, unknown> | null;
  createdAt: string;
}

/** What a reader who may not see the other client of a transfer reads instead of its reason. */
export const REASON_WITHHELD = 'a reason was given';
/** What a reader without access to logins reads instead of a login's name. */
export const LOGIN_NAME_HIDDEN = '(name hidden)';

/** Field-by-field difference of two flat records, over the given fields, in that order. */
export function diffFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (!sameValue(a, b)) changes.push({ field, old: a, new: b });
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** The ids events name by reference (locations, contacts, vendors, networks, clients), per table. */
export function referencedIds(events: Array<{ changes?: FieldChange[] }>): Map<ReferenceTable, Set<number>> {
  const out = new Map<ReferenceTable, Set<number>>();
  for (const e of events) {
    for (const c of e.changes ?? []) {
      const table = referenceTableOf(c.field);
      if (!table) continue;
      for (const id of [c.old, c.new]) {
        const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : null;
        if (n !== null) (out.get(table) ?? out.set(table, new Set()).get(table)!).add(n);
      }
    }
  }
  return out;
}
