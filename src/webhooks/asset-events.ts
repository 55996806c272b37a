// An asset's history events as outbox events: the history writer hands over what it appends, and each
// becomes one event of the webhooks' vocabulary (asset.*, interface.*), field names in snake_case.
import type { AssetAction, FieldChange } from '../history/history.ts';
import { snakeCase, snakeKeys, type EventChange, type NewEvent } from './webhook-outbox.ts';

/** The part of a history event the outbox reads. */
export interface AssetHistoryEvent {
  assetId: number;
  clientId: number;
  assetName: string;
  action: AssetAction;
  changes?: FieldChange[];
  details?: Record<string, unknown> | null;
}

const ASSET_TYPES: Partial<Record<AssetAction, string>> = {
  created: 'asset.created',
  copied: 'asset.created',
  imported: 'asset.created',
  updated: 'asset.updated',
  archived: 'asset.archived',
  restored: 'asset.restored',
  deleted: 'asset.deleted',
  transferred_out: 'asset.transferred',
  transferred_in: 'asset.transferred',
  transfer_undone: 'asset.transferred',
};

const INTERFACE_TYPES: Partial<Record<AssetAction, string>> = {
  interface_added: 'interface.created',
  interface_updated: 'interface.updated',
  primary_interface_changed: 'interface.updated',
  interface_removed: 'interface.deleted',
  interface_connected: 'interface.connected',
  interface_disconnected: 'interface.disconnected',
};

export function assetOutboxEvents(events: readonly AssetHistoryEvent[]): NewEvent[] {
  return events.map(toOutbox);
}

function toOutbox(e: AssetHistoryEvent): NewEvent {
  const changes = (e.changes ?? []).map(toChange);
  // A deleted asset's snapshot stays in its history; the event names the asset, not all of it.
  const { snapshot: _snapshot, ...rest } = e.details ?? {};
  const details = snakeKeys(rest);
  const asset = { id: e.assetId, name: e.assetName, client_id: e.clientId };
  const iface = INTERFACE_TYPES[e.action];
  if (iface) {
    const id = typeof details.interface_id === 'number' ? details.interface_id : 0;
    const name = typeof details.interface_name === 'string' ? details.interface_name : '';
    return {
      type: iface,
      data: { id, name, client_id: e.clientId, asset_id: e.assetId, asset_name: e.assetName },
      changes,
      details: { action: e.action, ...details },
    };
  }
  const type = ASSET_TYPES[e.action];
  if (type === 'asset.updated' || !type) {
    // Notes, tags and links change the asset: asset.updated, with what changed and the action in details.
    return { type: 'asset.updated', data: asset, changes, details: { action: e.action, ...details } };
  }
  return { type, data: asset, ...(changes.length ? { changes } : {}), details: { action: e.action, ...details } };
}

function toChange(c: FieldChange): EventChange {
  const out: EventChange = { field: snakeCase(c.field), old: c.old ?? null, new: c.new ?? null };
  if (c.oldName !== undefined) out.old_name = c.oldName;
  if (c.newName !== undefined) out.new_name = c.newName;
  return out;
}
