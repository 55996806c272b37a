// /api/v1 for the records around assets: clients, locations, contacts, vendors and networks, in
// ITFlow's conventions (column-prefixed keys, string typing, one filter at a time).
import type { FastifyInstance } from 'fastify';
import { authorize, canSeeClient, type Level, type Module } from '../access/access.ts';
import { archiveClient, createClient, restoreClient, updateClient } from '../clients/client.service.ts';
import { archiveContact, createContact, deleteContact, restoreContact, updateContact } from '../contacts/contact.service.ts';
import { createLocation } from '../locations/location.service.ts';
import { createNetwork, updateNetwork } from '../networks/network.service.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { createVendor, updateVendor } from '../vendors/vendor.service.ts';
import { given, missing, paging, recordOfClient, requiredId, targetClient, v1Endpoint, type V1Call, type V1Handler, type V1Input } from './v1.endpoint.ts';
import { created, datetime, failure, NOT_FOUND, str, written, type V1Row } from './v1.format.ts';
import { readV1Records, type V1RecordsQuery } from './v1.records.query.ts';

/** How a column is typed on the wire; `null`, `zero` and `blank` are ITFlow columns Steward keeps no data for. */
type Kind = 'id' | 'ref' | 'int' | 'bool' | 'ts' | 'text' | 'required' | 'null' | 'zero' | 'blank';
type Table = 'clients' | 'locations' | 'contacts' | 'vendors' | 'networks';
type Column = [key: string, column: string, kind: Kind];

interface ResourceSpec {
  table: Table;
  module: Module;
  /** Every column ITFlow returns, in ITFlow's order (../shared/reference/itflow-schema.md). */
  columns: Column[];
  /** Read filters in priority order: v1 parameter → column (compared case-insensitively for text). */
  filters: Array<[string, string[], 'id' | 'text']>;
}

// ITFlow's columns Steward has no data for, as ITFlow returns them for a record that never set them.
const none = (key: string): Column => [key, '', 'null'];
const zero = (key: string): Column => [key, '', 'zero'];
const blank = (key: string): Column => [key, '', 'blank'];
const times = (p: string): Column[] => [
  [`${p}_created_at`, 'created_at', 'ts'],
  [`${p}_updated_at`, 'updated_at', 'ts'],
  [`${p}_archived_at`, 'archived_at', 'ts'],
  none(`${p}_accessed_at`),
];

const SPECS: Record<string, ResourceSpec> = {
  clients: {
    table: 'clients',
    module: 'client',
    columns: [
      ['client_id', 'id', 'id'],
      zero('client_lead'),
      ['client_name', 'name', 'required'],
      ['client_type', 'type', 'text'],
      ['client_website', 'website', 'text'],
      none('client_referral'),
      none('client_rate'),
      blank('client_currency_code'),
      zero('client_net_terms'),
      none('client_tax_id_number'),
      none('client_abbreviation'),
      ['client_notes', 'notes', 'text'],
      ['client_favorite', 'favorite', 'bool'],
      ...times('client'),
    ],
    filters: [
      ['client_id', ['id'], 'id'],
      ['client_name', ['name'], 'text'],
    ],
  },
  locations: {
    table: 'locations',
    module: 'client',
    columns: [
      ['location_id', 'id', 'id'],
      ['location_name', 'name', 'required'],
      ['location_description', 'description', 'text'],
      ['location_country', 'country', 'text'],
      ['location_address', 'address', 'text'],
      ['location_city', 'city', 'text'],
      ['location_state', 'state', 'text'],
      ['location_zip', 'zip', 'text'],
      none('location_phone_country_code'),
      ['location_phone', 'phone', 'text'],
      none('location_phone_extension'),
      none('location_fax_country_code'),
      none('location_fax'),
      ['location_hours', 'hours', 'text'],
      none('location_photo'),
      ['location_primary', 'is_primary', 'bool'],
      ['location_notes', 'notes', 'text'],
      zero('location_favorite'),
      ...times('location'),
      zero('location_contact_id'),
      ['location_client_id', 'client_id', 'id'],
    ],
    filters: [
      ['location_id', ['id'], 'id'],
      ['location_name', ['name'], 'text'],
    ],
  },
  contacts: {
    table: 'contacts',
    module: 'client',
    columns: [
      ['contact_id', 'id', 'id'],
      ['contact_name', 'name', 'required'],
      ['contact_title', 'title', 'text'],
      ['contact_email', 'email', 'text'],
      none('contact_phone_country_code'),
      ['contact_phone', 'phone', 'text'],
      ['contact_extension', 'extension', 'text'],
      none('contact_mobile_country_code'),
      ['contact_mobile', 'mobile', 'text'],
      none('contact_photo'),
      none('contact_pin'),
      ['contact_notes', 'notes', 'text'],
      zero('contact_primary'),
      zero('contact_important'),
      zero('contact_billing'),
      zero('contact_technical'),
      ...times('contact'),
      ['contact_location_id', 'location_id', 'ref'],
      zero('contact_vendor_id'),
      zero('contact_user_id'),
      ['contact_department', 'department', 'text'],
      ['contact_client_id', 'client_id', 'id'],
    ],
    filters: [
      ['contact_id', ['id'], 'id'],
      ['contact_email', ['email'], 'text'],
      ['contact_phone_or_mobile', ['phone', 'mobile'], 'text'],
    ],
  },
  vendors: {
    table: 'vendors',
    module: 'client',
    columns: [
      ['vendor_id', 'id', 'id'],
      ['vendor_name', 'name', 'required'],
      ['vendor_description', 'description', 'text'],
      ['vendor_contact_name', 'contact_name', 'text'],
      none('vendor_phone_country_code'),
      ['vendor_phone', 'phone', 'text'],
      none('vendor_extension'),
      ['vendor_email', 'email', 'text'],
      ['vendor_website', 'website', 'text'],
      none('vendor_hours'),
      none('vendor_sla'),
      none('vendor_code'),
      ['vendor_account_number', 'account_number', 'text'],
      ['vendor_notes', 'notes', 'text'],
      zero('vendor_favorite'),
      ...times('vendor'),
      ['vendor_client_id', 'client_id', 'id'],
      zero('vendor_template_id'),
    ],
    filters: [
      ['vendor_id', ['id'], 'id'],
      ['vendor_name', ['name'], 'text'],
    ],
  },
  networks: {
    table: 'networks',
    module: 'support',
    columns: [
      ['network_id', 'id', 'id'],
      ['network_name', 'name', 'required'],
      ['network_description', 'description', 'text'],
      ['network_vlan', 'vlan', 'int'],
      ['network', 'cidr', 'required'],
      none('network_subnet'),
      ['network_gateway', 'gateway', 'required'],
      ['network_primary_dns', 'primary_dns', 'text'],
      ['network_secondary_dns', 'secondary_dns', 'text'],
      ['network_dhcp_range', 'dhcp_range', 'text'],
      ['network_notes', 'notes', 'text'],
      zero('network_favorite'),
      ...times('network'),
      ['network_location_id', 'location_id', 'ref'],
      ['network_client_id', 'client_id', 'id'],
    ],
    filters: [
      ['network_id', ['id'], 'id'],
      ['network_name', ['name'], 'text'],
    ],
  },
};

function format(spec: ResourceSpec, row: Record<string, unknown>): V1Row {
  const out: V1Row = {};
  for (const [key, column, kind] of spec.columns) {
    const v = row[column];
    out[key] =
      kind === 'id' || kind === 'int'
        ? str(v as number | null)
        : kind === 'ref'
          ? str(v as number | null, '0')
          : kind === 'bool'
            ? str(Boolean(v))
            : kind === 'ts'
              ? datetime(v as string | null)
              : kind === 'required'
                ? ((v as string | null) ?? '')
                : kind === 'null'
                  ? null
                  : kind === 'zero'
                    ? '0'
                    : kind === 'blank'
                      ? ''
                      : (v as string | null);
  }
  return out;
}

function readRecords(spec: ResourceSpec) {
  return async ({ ctx, principal, input }: V1Call) => {
    authorize(principal, spec.module, 1);
    const clientId = spec.table !== 'clients' && given(input, 'client_id') ? requiredId(input, 'client_id') : null;
    const filter = spec.filters.find(([param]) => given(input, param));
    let match: V1RecordsQuery['match'] = null;
    if (filter) {
      const [param, columns, kind] = filter;
      match = kind === 'id' ? { id: requiredId(input, param) } : { columns, text: String(input[param]).trim().toLowerCase() };
    }
    const page = filter?.[2] === 'id' ? null : { limit: paging(input, 'limit', 50), offset: paging(input, 'offset', 0) };
    const rows = await readV1Records(ctx, spec.table, spec.module, { clientId, match, page });
    if (rows.length === 0) return failure(NOT_FOUND);
    return { success: 'True', count: rows.length, data: rows.map((r) => format(spec, r)) };
  };
}

/** The fields each resource's create and update accept, under the services' input names. */
const WRITABLE = {
  clients: ['name', 'type', 'website', 'notes', 'favorite'],
  locations: ['name', 'description', 'address', 'city', 'state', 'zip', 'country', 'phone', 'hours', 'notes', 'primary'],
  contacts: ['name', 'title', 'email', 'phone', 'extension', 'mobile', 'department', 'locationId', 'notes'],
  vendors: ['name', 'description', 'contactName', 'phone', 'email', 'website', 'accountNumber', 'notes'],
  networks: ['name', 'description', 'vlan', 'cidr', 'gateway', 'dhcpRange', 'primaryDns', 'secondaryDns', 'locationId', 'notes'],
} as const;

/** v1 keys that are not `<prefix>_<field in snake case>`: ITFlow calls a network's CIDR `network`. */
const RENAMED: Record<string, string> = { network_cidr: 'network' };

/** The v1 key of a service field: `contactName` of a vendor is `vendor_contact_name`. */
function v1Key(prefix: string, field: string): string {
  const key = `${prefix}_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  return RENAMED[key] ?? key;
}

/** v1 body keys → the service's input names, for the fields sent (absent ones stay absent). */
function pick(input: V1Input, prefix: string, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v1 = v1Key(prefix, f);
    if (input[v1] !== undefined) out[f] = input[v1];
  }
  return out;
}

/** A service's field name in an error → the v1 key the caller sent; names with `_` already are v1 keys. */
function fieldName(prefix: string) {
  return (field: string) => (field.includes('_') ? field : field === 'clientId' ? 'client_id' : v1Key(prefix, field));
}

type Owned = 'contacts' | 'vendors' | 'networks';

/**
 * Registers a POST that writes one existing record of a client, named by `<entity>_id` together with
 * its `client_id`. A record that does not exist, belongs to another client or to a client the key may
 * not see gets the same answer, and nothing is touched.
 */
function recordWrite(
  app: FastifyInstance,
  store: Store,
  resource: Owned,
  operation: string,
  level: Exclude<Level, 0>,
  write: (call: V1Call, id: number) => Promise<unknown>,
): void {
  const spec = SPECS[resource]!;
  const entity = resource.slice(0, -1);
  v1Endpoint(
    app,
    store,
    resource,
    operation,
    'POST',
    async (call) => {
      authorize(call.principal, spec.module, level);
      const record = await recordOfClient(call, resource, `${entity}_id`, spec.module, level);
      if (!record) return missing(entity, call.input);
      await write(call, record.id);
      return written(1);
    },
    fieldName(entity),
  );
}

/** Registers a POST that writes one existing client, named by `client_id`, which the key must see. */
function clientWrite(app: FastifyInstance, store: Store, operation: string, write: (call: V1Call, id: number) => Promise<unknown>): void {
  v1Endpoint(
    app,
    store,
    'clients',
    operation,
    'POST',
    async (call) => {
      authorize(call.principal, 'client', 2);
      const id = requiredId(call.input, 'client_id');
      // A client outside the key's scope answers exactly as a missing one (the service's NotFoundError).
      if (!canSeeClient(call.principal, id)) throw new NotFoundError('client', id);
      await write(call, id);
      return written(1);
    },
    fieldName('client'),
  );
}

/** Creates one record of a client the key can see, from the v1 fields sent. */
function recordCreate(
  resource: 'locations' | Owned,
  create: (call: V1Call, fields: Record<string, unknown>, clientId: number) => Promise<{ id: number }>,
): V1Handler {
  return async (call) => {
    authorize(call.principal, SPECS[resource]!.module, 2);
    const clientId = targetClient(call);
    const fields = pick(call.input, resource.slice(0, -1), WRITABLE[resource]);
    return created((await create(call, fields, clientId)).id);
  };
}

/** ITFlow requires a contact's email; a blank one sent on create or update is refused. */
function requireContactEmail(input: V1Input, mode: 'create' | 'update'): void {
  if ((mode === 'create' || Object.hasOwn(input, 'contact_email')) && !given(input, 'contact_email')) {
    throw new ValidationError([{ field: 'email', code: 'required', message: 'is required' }]);
  }
}

export function registerV1Records(app: FastifyInstance, store: Store): void {
  for (const [resource, spec] of Object.entries(SPECS)) v1Endpoint(app, store, resource, 'read', 'GET', readRecords(spec));

  v1Endpoint(
    app,
    store,
    'clients',
    'create',
    'POST',
    async ({ ctx, principal, input }) => {
      authorize(principal, 'client', 2);
      if (!principal.isAdmin && principal.allow !== null) {
        return failure('A user limited to some clients cannot create clients.');
      }
      const fields = pick(input, 'client', WRITABLE.clients);
      const client = await createClient(ctx, { ...fields, name: fields.name });
      return created(client.id);
    },
    fieldName('client'),
  );
  clientWrite(app, store, 'update', ({ ctx, input }, id) => updateClient(ctx, id, pick(input, 'client', WRITABLE.clients)));
  clientWrite(app, store, 'archive', ({ ctx }, id) => archiveClient(ctx, id));
  clientWrite(app, store, 'unarchive', ({ ctx }, id) => restoreClient(ctx, id));

  v1Endpoint(
    app,
    store,
    'locations',
    'create',
    'POST',
    recordCreate('locations', ({ ctx }, fields, clientId) => createLocation(ctx, { ...fields, name: fields.name, clientId })),
    fieldName('location'),
  );

  v1Endpoint(
    app,
    store,
    'contacts',
    'create',
    'POST',
    recordCreate('contacts', ({ ctx, input }, fields, clientId) => {
      requireContactEmail(input, 'create');
      return createContact(ctx, { ...fields, name: fields.name, clientId });
    }),
    fieldName('contact'),
  );
  recordWrite(app, store, 'contacts', 'update', 2, ({ ctx, input }, id) => {
    requireContactEmail(input, 'update');
    return updateContact(ctx, id, pick(input, 'contact', WRITABLE.contacts));
  });
  recordWrite(app, store, 'contacts', 'archive', 2, ({ ctx }, id) => archiveContact(ctx, id));
  recordWrite(app, store, 'contacts', 'unarchive', 2, ({ ctx }, id) => restoreContact(ctx, id));
  recordWrite(app, store, 'contacts', 'delete', 3, ({ ctx }, id) => deleteContact(ctx, id));

  v1Endpoint(
    app,
    store,
    'vendors',
    'create',
    'POST',
    recordCreate('vendors', ({ ctx }, fields, clientId) => createVendor(ctx, { ...fields, name: fields.name, clientId })),
    fieldName('vendor'),
  );
  recordWrite(app, store, 'vendors', 'update', 2, ({ ctx, input }, id) => updateVendor(ctx, id, pick(input, 'vendor', WRITABLE.vendors)));

  v1Endpoint(
    app,
    store,
    'networks',
    'create',
    'POST',
    recordCreate('networks', ({ ctx }, fields, clientId) => createNetwork(ctx, { ...fields, name: fields.name, clientId })),
    fieldName('network'),
  );
  recordWrite(app, store, 'networks', 'update', 2, ({ ctx, input }, id) => updateNetwork(ctx, id, pick(input, 'network', WRITABLE.networks)));
}
