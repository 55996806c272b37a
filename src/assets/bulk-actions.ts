// The list's bulk actions as the bulk bar offers them: each action's name, the field holding its
// value (if it needs one) and the question asked before it runs. The dialog (app.js, from the
// templates the bar carries) and the server's own confirmation page ask the same question.
import { plural } from '../web/plural.ts';

export interface BulkAction {
  label: string;
  /** The form field holding the value this action needs. */
  field?: 'status' | 'contact_id' | 'location_id' | 'physical_location' | 'tags';
  /** The question, for "3 assets" and the chosen value. */
  confirm: (assets: string, value: string) => string;
}

export const BULK_ACTIONS = {
  set_status: { label: 'Set status', field: 'status', confirm: (n, v) => `Set status of ${n} to ${v}?` },
  favorite: { label: 'Star as favorite', confirm: (n) => `Star ${n} as favorites?` },
  unfavorite: { label: 'Remove the star', confirm: (n) => `Remove the star from ${n}?` },
  assign_contact: { label: 'Assign to contact', field: 'contact_id', confirm: (n, v) => `Assign ${n} to ${v}?` },
  assign_location: { label: 'Move to location', field: 'location_id', confirm: (n, v) => `Move ${n} to ${v}?` },
  set_physical_location: { label: 'Set physical location', field: 'physical_location', confirm: (n, v) => `Set the physical location of ${n} to “${v}”?` },
  add_tags: { label: 'Add tags', field: 'tags', confirm: (n, v) => `Add the tags ${v} to ${n}?` },
  replace_tags: { label: 'Replace tags', field: 'tags', confirm: (n, v) => `Replace the tags of ${n} with ${v}?` },
  transfer: { label: 'Transfer to client…', confirm: (n) => `Transfer ${n} to another client? The next page shows what moves before anything does.` },
  archive: { label: 'Archive', confirm: (n) => `Archive ${n}?` },
  restore: { label: 'Restore', confirm: (n) => `Restore ${n}?` },
  delete: { label: 'Delete', confirm: (n) => `Delete ${n}? The history is kept.` },
} as const satisfies Record<string, BulkAction>;
export type BulkActionKey = keyof typeof BULK_ACTIONS;

/** "1 asset", "3 assets". */
export function assetCount(n: number): string {
  return plural(n, 'asset');
}
