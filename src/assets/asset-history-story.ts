// An asset's history events told in words, the same on the asset page, the deleted-asset timeline and
// the history's CSV: each event's title and what it concerns (the interface, note, login, ticket…),
// and each change with its field's label and its values as a person reads them. A reference shows the
// name the record had when the event was written, linked while the record still exists.
import { referenceTableOf, type AssetEvent, type FieldChange, type ReferenceTable } from '../history/history.ts';
import { ASSET_FIELDS, EDITABLE_FIELDS } from './asset-fields.ts';

export interface StoryValue {
  text: string;
  /** A page of the record named, when it still exists and the reader may see it. */
  href?: string;
}

export interface StoryLine {
  label: string;
  old: StoryValue;
  new: StoryValue;
}

export interface EventStory {
  title: string;
  /** What the event is about, besides the asset itself: "Gi1/0/24", "#9 Renew firewall licence". */
  subject: StoryValue | null;
  /** A sentence the event adds (where a transfer went, a connection's other end). */
  detail: string | null;
  lines: StoryLine[];
}

/** Records named by events as they are now: `${table}:${id}` → name and page (missing: deleted or not visible). */
export type StoryReferences = Map<string, { name: string; href: string | null }>;

export const ACTION_TITLES: Record<AssetEvent['action'], string> = {
  created: 'Created',
  copied: 'Created as a copy',
  updated: 'Changed',
  archived: 'Archived',
  restored: 'Restored',
  deleted: 'Deleted',
  imported: 'Imported',
  transferred_out: 'Transferred out',
  transferred_in: 'Transferred in',
  transfer_undone: 'Transfer undone',
  interface_added: 'Interface added',
  interface_updated: 'Interface changed',
  interface_removed: 'Interface removed',
  primary_interface_changed: 'Primary interface changed',
  interface_connected: 'Cable connected',
  interface_disconnected: 'Cable disconnected',
  note_added: 'Note added',
  note_updated: 'Note changed',
  note_archived: 'Note archived',
  note_restored: 'Note restored',
  note_deleted: 'Note deleted',
  tags_changed: 'Tags changed',
  login_linked: 'Login linked',
  login_unlinked: 'Login unlinked',
  service_linked: 'Service linked',
  service_unlinked: 'Service unlinked',
  ticket_linked: 'Ticket linked',
  ticket_unlinked: 'Ticket unlinked',
};

const INTERFACE_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  type: 'Type',
  mac: 'MAC address',
  ip: 'IP address',
  natIp: 'NAT IP',
  ipv6: 'IPv6 address',
  networkId: 'Network',
  notes: 'Notes',
  primary: 'Primary',
  primaryInterface: 'Primary port',
};

const ASSET_LABELS: Record<string, string> = {
  ...Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, ASSET_FIELDS[f].label])),
  clientId: 'Client',
  archivedAt: 'State',
  tags: 'Tags',
  photo: 'Photo',
  ...Object.fromEntries(Object.entries(INTERFACE_LABELS).map(([f, label]) => [`primaryInterface.${f}`, `Primary interface: ${label}`])),
};

const NOTE_LABELS: Record<string, string> = { type: 'Note type', body: 'Text', archivedAt: 'State' };

const REFERENCE_NOUNS: Record<ReferenceTable, string> = {
  locations: 'location',
  contacts: 'contact',
  vendors: 'vendor',
  networks: 'network',
  clients: 'client',
};

export function labelOf(action: AssetEvent['action'], field: string): string {
  const labels =
    action.startsWith('interface_') || action === 'primary_interface_changed' ? INTERFACE_LABELS : action.startsWith('note_') ? NOTE_LABELS : ASSET_LABELS;
  return labels[field] ?? ASSET_LABELS[field] ?? field;
}

const EMPTY: StoryValue = { text: '—' };

function plain(value: unknown): StoryValue {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'boolean') return { text: value ? 'yes' : 'no' };
  if (Array.isArray(value)) return value.length ? { text: value.map(String).join(', ') } : { text: 'none' };
  return { text: String(value) };
}

function referenceValue(table: ReferenceTable, id: unknown, nameThen: string | null | undefined, refs: StoryReferences): StoryValue {
  if (id === null || id === undefined || id === '') return EMPTY;
  const now = refs.get(`${table}:${String(id)}`);
  const renamed = nameThen && now && now.name !== nameThen ? ` (now ${now.name})` : '';
  const name = `${nameThen ?? now?.name ?? `a deleted ${REFERENCE_NOUNS[table]}`}${renamed}`;
  return now?.href ? { text: name, href: now.href } : { text: name };
}

function changeValue(change: FieldChange, side: 'old' | 'new', refs: StoryReferences): StoryValue {
  const value = change[side];
  const table = referenceTableOf(change.field);
  if (table) return referenceValue(table, value, side === 'old' ? change.oldName : change.newName, refs);
  if (change.field === 'archivedAt') return { text: value ? 'archived' : 'active' };
  return plain(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

function subjectOf(e: AssetEvent): StoryValue | null {
  const d = e.details ?? {};
  if (e.action.startsWith('interface_') || e.action === 'primary_interface_changed') {
    const name = text(d.interfaceName) ?? text(d.newPrimaryName) ?? text(d.primaryName);
    return name ? { text: `port ${name}` } : null;
  }
  for (const kind of ['login', 'service', 'ticket'] as const) {
    if (!e.action.startsWith(`${kind}_`)) continue;
    const name = text(d[`${kind}Name`]) ?? text(d.ticketName);
    const id = d[`${kind}Id`];
    const href = typeof id === 'number' ? `/${kind}s/${id}` : undefined;
    return name ? { text: name, ...(href ? { href } : {}) } : null;
  }
  return null;
}

function detailOf(e: AssetEvent): string | null {
  const d = e.details ?? {};
  switch (e.action) {
    case 'transferred_in':
      return d.cameFromAnotherClient ? 'from another client' : `from ${text(d.fromClientName) ?? 'another client'}`;
    case 'transferred_out':
      return d.wentToAnotherClient ? 'to another client' : `to ${text(d.toClientName) ?? 'another client'}`;
    case 'transfer_undone':
      return text(d.toClientName)
        ? `the copy under ${d.toClientName} was archived; the original is active again`
        : `the copy was archived; the original under ${text(d.fromClientName) ?? 'the other client'} is active again`;
    case 'interface_connected':
    case 'interface_disconnected': {
      const peer = [text(d.peerAssetName), text(d.peerInterfaceName)].filter(Boolean).join(' port ');
      return peer ? `${e.action === 'interface_connected' ? 'to' : 'from'} ${peer}` : null;
    }
    case 'copied':
      return text(d.sourceAssetName) ? `from ${d.sourceAssetName}` : null;
    case 'imported':
      return typeof d.line === 'number' ? `from line ${d.line} of a CSV import` : 'from a CSV import';
    case 'deleted':
      return 'the asset was deleted for good; its history is kept';
    default:
      return null;
  }
}

export function storyOf(e: AssetEvent, refs: StoryReferences): EventStory {
  return {
    title: ACTION_TITLES[e.action] ?? e.action.replaceAll('_', ' '),
    subject: subjectOf(e),
    detail: detailOf(e),
    lines: e.changes.map((c) => ({ label: labelOf(e.action, c.field), old: changeValue(c, 'old', refs), new: changeValue(c, 'new', refs) })),
  };
}
