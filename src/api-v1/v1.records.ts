// /api/v1 for the records around assets: clients, locations, contacts, vendors and networks, in
// ITFlow's conventions (column-prefixed keys, string typing, one filter at a time).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { authorize, clientScope, clientScopeFilter, type Module } from '../access/access.ts';
import { createClient } from '../clients/client.service.ts';
import { createContact } from '../contacts/contact.service.ts';
import type { Database } from '../database.ts';
import { createLocation } from '../locations/location.service.ts';
import { ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { given, paging, requiredId, targetClient, v1Endpoint, type V1Call, type V1Input } from './v1.endpoint.ts';
import { created, datetime, failure, NOT_FOUND, str, type V1Row } from './v1.format.ts';

type Kind = 'id' | 'ref' | 'int' | 'bool' | 'ts' | 'text';
type Table = 'clients' | 'locations' | 'contacts' | 'vendors' | 'networks';

interface ResourceSpec {
  table: Table;
  module: Module;
  /** v1 key, column, how to type it; in ITFlow's order. */
  columns: Array<[string, string, Kind]>;
  /** Read filters in priority order: v1 parameter → column (compared case-insensitively for text). */
  filters: Array<[string, string[], 'id' | 'text']>;
}

const ts = (p: string): Array<[string, string, Kind]> => [[`${p}_created_at`, 'created_at', 'ts'], [`${p}_updated_at`, 'updated_at', 'ts'], [`${p}_archived_at`, 'archived_at', 'ts']];

const SPECS: Record<string, ResourceSpec> = {
  clients: {
    table: 'clients', module: 'client',
    columns: [['client_id', 'id', 'id'], ['client_name', 'name', 'text'], ['client_type', 'type', 'text'], ['client_website', 'website', 'text'], ['client_notes', 'notes', 'text'], ['client_favorite', 'favorite', 'bool'], ...ts('client')],
    filters: [['client_id', ['id'], 'id'], ['client_name', ['name'], 'text']],
  },
  locations: {
    table: 'locations', module: 'client',
    columns: [['location_id', 'id', 'id'], ['location_name', 'name', 'text'], ['location_description', 'description', 'text'], ['location_country', 'country', 'text'], ['location_address', 'address', 'text'], ['location_city', 'city', 'text'], ['location_state', 'state', 'text'], ['location_zip', 'zip', 'text'], ['location_phone', 'phone', 'text'], ['location_hours', 'hours', 'text'], ['location_primary', 'is_primary', 'bool'], ['location_notes', 'notes', 'text'], ...ts('location'), ['location_client_id', 'client_id', 'id']],
    filters: [['location_id', ['id'], 'id'], ['location_name', ['name'], 'text']],
  },
  contacts: {
    table: 'contacts', module: 'client',
    columns: [['contact_id', 'id', 'id'], ['contact_name', 'name', 'text'], ['contact_title', 'title', 'text'], ['contact_email', 'email', 'text'], ['contact_phone', 'phone', 'text'], ['contact_extension', 'extension', 'text'], ['contact_mobile', 'mobile', 'text'], ['contact_notes', 'notes', 'text'], ...ts('contact'), ['contact_location_id', 'location_id', 'ref'], ['contact_department', 'department', 'text'], ['contact_client_id', 'client_id', 'id']],
    filters: [['contact_id', ['id'], 'id'], ['contact_email', ['email'], 'text'], ['contact_phone_or_mobile', ['phone', 'mobile'], 'text']],
  },
  vendors: {
    table: 'vendors', module: 'client',
    columns: [['vendor_id', 'id', 'id'], ['vendor_name', 'name', 'text'], ['vendor_description', 'description', 'text'], ['vendor_contact_name', 'contact_name', 'text'], ['vendor_phone', 'phone', 'text'], ['vendor_email', 'email', 'text'], ['vendor_website', 'website', 'text'], ['vendor_account_number', 'account_number', 'text'], ['vendor_notes', 'notes', 'text'], ...ts('vendor'), ['vendor_client_id', 'client_id', 'id']],
    filters: [['vendor_id', ['id'], 'id'], ['vendor_name', ['name'], 'text']],
  },
  networks: {
    table: 'networks', module: 'support',
    columns: [['network_id', 'id', 'id'], ['network_name', 'name', 'text'], ['network_description', 'description', 'text'], ['network_vlan', 'vlan', 'int'], ['network', 'cidr', 'text'], ['network_gateway', 'gateway', 'text'], ['network_primary_dns', 'primary_dns', 'text'], ['network_secondary_dns', 'secondary_dns', 'text'], ['network_dhcp_range', 'dhcp_range', 'text'], ['network_notes', 'notes', 'text'], ...ts('network'), ['network_location_id', 'location_id', 'ref'], ['network_client_id', 'client_id', 'id']],
    filters: [['network_id', ['id'], 'id'], ['network_name', ['name'], 'text']],
  },
};

function format(spec: ResourceSpec, row: Record<string, unknown>): V1Row {
  const out: V1Row = {};
  for (const [key, column, kind] of spec.columns) {
    const v = row[column];
    out[key] =
      kind === 'id' || kind === 'int' ? str(v as number | null)
      : kind === 'ref' ? str(v as number | null, '0')
      : kind === 'bool' ? str(Boolean(v))
      : kind === 'ts' ? datetime(v as string | null)
      : (v as string | null);
  }
  return out;
}

function readRecords(spec: ResourceSpec) {
  return async ({ ctx, principal, input }: V1Call) => {
    authorize(principal, spec.module, 1);
    const scopeColumn = spec.table === 'clients' ? 'id' : 'client_id';
    let q = ctx.db.selectFrom(spec.table as keyof Database & Table).selectAll().where(clientScopeFilter(clientScope(principal), scopeColumn));
    if (spec.table !== 'clients' && given(input, 'client_id')) q = q.where('client_id', '=', requiredId(input, 'client_id'));
    const filter = spec.filters.find(([param]) => given(input, param));
    if (filter) {
      const [param, columns, kind] = filter;
      if (kind === 'id') q = q.where('id', '=', requiredId(input, param));
      else {
        const value = String(input[param]).trim().toLowerCase();
        q = q.where((eb) => eb.or(columns.map((c) => eb(sql`lower(${sql.ref(c)})`, '=', value))));
      }
    }
    if (filter?.[2] !== 'id') q = q.limit(paging(input, 'limit', 50)).offset(paging(input, 'offset', 0));
    const rows = (await q.orderBy('id').execute()) as Array<Record<string, unknown>>;
    if (rows.length === 0) return failure(NOT_FOUND);
    return { success: 'True', count: rows.length, data: rows.map((r) => format(spec, r)) };
  };
}

/** v1 body keys → the service's input names, for the fields each create accepts. */
function pick(input: V1Input, prefix: string, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v1 = `${prefix}_${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    if (input[v1] !== undefined) out[f] = input[v1];
  }
  return out;
}

function fieldName(prefix: string) {
  return (field: string) => (field === 'clientId' ? 'client_id' : `${prefix}_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
}

export function registerV1Records(app: FastifyInstance, store: Store): void {
  for (const [resource, spec] of Object.entries(SPECS)) v1Endpoint(app, store, resource, 'read', 'GET', readRecords(spec));

  v1Endpoint(app, store, 'clients', 'create', 'POST', async ({ ctx, principal, input }) => {
    authorize(principal, 'client', 2);
    if (!principal.isAdmin && principal.allow !== null) {
      return failure('A user limited to some clients cannot create clients.');
    }
    const client = await createClient(ctx, { name: input.client_name, ...pick(input, 'client', ['type', 'website', 'notes']) });
    return created(client.id);
  }, fieldName('client'));

  v1Endpoint(app, store, 'locations', 'create', 'POST', async (call) => {
    authorize(call.principal, 'client', 2);
    const clientId = targetClient(call);
    const fields = pick(call.input, 'location', ['name', 'description', 'address', 'city', 'state', 'zip', 'country', 'phone', 'hours', 'notes', 'primary']);
    const location = await createLocation(call.ctx, { ...fields, name: fields.name, clientId });
    return created(location.id);
  }, fieldName('location'));

  v1Endpoint(app, store, 'contacts', 'create', 'POST', async (call) => {
    authorize(call.principal, 'client', 2);
    const clientId = targetClient(call);
    const fields = pick(call.input, 'contact', ['name', 'title', 'email', 'phone', 'extension', 'mobile', 'department', 'locationId', 'notes']);
    if (!given(call.input, 'contact_email')) throw new ValidationError([{ field: 'email', code: 'required', message: 'is required' }]);
    const contact = await createContact(call.ctx, { ...fields, name: fields.name, clientId });
    return created(contact.id);
  }, fieldName('contact'));
}
