// What the record-pages engine needs to know of a kind of record (locations, contacts, vendors,
// networks, services, tickets): its table, fields, module and service calls. Apart from the engine so
// its views and the feature folders can use the description without importing the routes.
import type { Module } from '../access/access.ts';
import type { AssetLinkage } from '../assets/asset-linkage.ts';
import type { Ctx } from '../platform/context.ts';

export type RecordTable = 'locations' | 'contacts' | 'vendors' | 'networks' | 'services' | 'tickets';

export interface RecordField {
  /** The service's input key (camelCase) and the form field's name. */
  name: string;
  /** The column it is stored in. */
  column: string;
  label: string;
  kind?: 'text' | 'textarea' | 'email' | 'location' | 'contact' | 'checkbox' | 'select' | 'date';
  /** For a select: its values. */
  options?: readonly string[];
  required?: boolean;
}

export interface RecordKind {
  table: RecordTable;
  singular: string;
  plural: string;
  module: Module;
  fields: RecordField[];
  /** Columns shown in the list after the name. */
  listColumns: RecordField[];
  /** The column holding the record's name (tickets: subject). */
  nameColumn?: string;
  /** How the record is tied to assets. */
  linkage: AssetLinkage;
  /** The list offers "Import CSV" (at /clients/:clientId/<table>/import, served by the imports feature). */
  importable?: boolean;
  create(ctx: Ctx, input: Record<string, unknown> & { clientId: number; name: unknown }): Promise<{ id: number }>;
  update(ctx: Ctx, id: number, input: Record<string, unknown>): Promise<unknown>;
  archive(ctx: Ctx, id: number): Promise<boolean>;
  restore(ctx: Ctx, id: number): Promise<boolean>;
  remove(ctx: Ctx, id: number): Promise<void>;
}

export type RecordRow = Record<string, unknown> & { id: number; client_id: number; name: string; archived_at: string | null };

/** The fields a list can be filtered by: those holding one of a few values or a location or contact. */
export function filterFields(kind: RecordKind): RecordField[] {
  return kind.fields.filter((f) => f.kind === 'select' || f.kind === 'location' || f.kind === 'contact');
}
