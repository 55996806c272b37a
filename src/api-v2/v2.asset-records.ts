// /api/v2/assets: the asset records themselves (list, read, create, replace, patch, archive, restore,
// delete, and their bulk forms). Reads through v2.asset-records.query.ts; writes through the asset
// service, which owns the rules, the authorization and the history. The ETag is the asset's version, and
// an If-Match is handed to the service as `expectedVersion`, so the check is atomic with the write.
// (Transfers and an asset's history are v2.assets.ts.)
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { archiveAsset, createAsset, deleteAsset, restoreAsset, updateAsset, type AssetCreateInput, type WriteOptions } from '../assets/asset.service.ts';
import type { AssetInterface, AssetWithPrimary } from '../assets/asset.ts';
import { ValidationError } from '../platform/errors.ts';
import {
  ASSET_DATE_COLUMNS,
  ASSET_LIST_FIELDS,
  ASSET_REFERENCE_COLUMNS,
  ASSET_TEXT_COLUMNS,
  assetEmbeds,
  listAssetRecords,
  readAssetRecord,
} from './v2.asset-records.query.ts';
import { ifMatchVersion, versionEtag } from './v2.etag.ts';
import { Id, Nullable, recordSchema, registerResource } from './v2.resource.ts';

const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const IncludeNames = ['interfaces', 'tags'] as const;

/** Each free-text field's longest value (the asset rules check the same). */
const TEXT_MAX: Record<(typeof ASSET_TEXT_COLUMNS)[number], number> = {
  description: 255,
  type: 200,
  make: 200,
  model: 200,
  serial: 200,
  os: 200,
  status: 200,
  uri: 500,
  uri_2: 500,
  uri_client: 500,
  purchase_reference: 200,
  physical_location: 200,
  notes: 65_535,
};

const NullableText = Nullable(Type.String());
const DateText = (description: string) => Nullable(Type.String({ format: 'date', description }));
const Time = Nullable(Type.String({ format: 'date-time' }));

const Interface = Type.Object(
  {
    id: Id,
    name: Type.String(),
    description: NullableText,
    type: NullableText,
    mac: Nullable(Type.String({ description: 'AA:BB:CC:DD:EE:FF' })),
    ip: Nullable(Type.String({ description: 'IPv4 address, or DHCP.' })),
    nat_ip: NullableText,
    ipv6: NullableText,
    network_id: Nullable(Id),
    notes: NullableText,
    primary: Type.Boolean(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Time,
  },
  { title: 'AssetInterface' },
);

const Asset = recordSchema(
  'Asset',
  {
    client_id: Id,
    name: Type.String(),
    ...Object.fromEntries(ASSET_TEXT_COLUMNS.map((c) => [c, NullableText])),
    purchase_date: DateText('YYYY-MM-DD'),
    install_date: DateText('YYYY-MM-DD'),
    warranty_expire: DateText('YYYY-MM-DD: the day the warranty ends.'),
    favorite: Type.Boolean(),
    location_id: Nullable(Id),
    contact_id: Nullable(Id),
    vendor_id: Nullable(Id),
    photo: Nullable(Type.String({ description: 'The stored photo’s file name.' })),
    version: Type.Integer({ minimum: 1, description: 'Raised by every change; the ETag.' }),
    primary_interface: Nullable({ ...Interface, description: 'The primary interface: the asset’s IP and MAC address.' }),
    transferred_from_asset_id: Nullable({ ...Id, description: 'The asset (of another client) this one was transferred from.' }),
    transferred_to_asset_id: Nullable({ ...Id, description: 'The asset (of another client) this one was transferred to; it stays archived here.' }),
    accessed_at: Time,
    interfaces: Type.Optional(Type.Array(Interface, { description: 'Every interface, the primary first (include=interfaces).' })),
    tags: Type.Optional(Type.Array(Type.String(), { description: 'Its tags’ names (include=tags).' })),
  },
  { archives: true, description: 'A device or other asset of a client.' },
);

const Text = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));
const InterfaceBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Default "01".' })),
    description: Text(255),
    type: Text(200),
    mac: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'Any notation: 00:15:5D:…, 00-15-5D-…, 0015.5d…, bare hex.' }))),
    ip: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'IPv4 address, or DHCP.' }))),
    nat_ip: Text(64),
    ipv6: Text(64),
    network_id: Type.Optional(Nullable(Id)),
    notes: Text(65_535),
  },
  { additionalProperties: false },
);
const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(ASSET_TEXT_COLUMNS.map((c) => [c, Text(TEXT_MAX[c])])),
  ...Object.fromEntries(ASSET_DATE_COLUMNS.map((c) => [c, Type.Optional(Nullable(Type.String({ pattern: DATE, description: 'YYYY-MM-DD' })))])),
  favorite: Type.Optional(Type.Boolean()),
  ...Object.fromEntries(ASSET_REFERENCE_COLUMNS.map((c) => [c, Type.Optional(Nullable(Id))])),
  primary_interface: Type.Optional(Nullable({ ...InterfaceBody, description: 'The primary interface’s fields to set; null clears its addresses.' })),
  tags: Type.Optional(
    Nullable(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description: 'Tag names (existing tags); replaces the asset’s tags.' }),
    ),
  ),
} satisfies Record<string, TSchema>;

/** The interface fields a replace or a null clears (its name stays). */
const INTERFACE_CLEARED = { description: null, type: null, mac: null, ip: null, natIp: null, ipv6: null, networkId: null, notes: null };

function interfaceJson(i: AssetInterface) {
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    type: i.type,
    mac: i.mac,
    ip: i.ip,
    nat_ip: i.natIp,
    ipv6: i.ipv6,
    network_id: i.networkId,
    notes: i.notes,
    primary: i.primary,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

function assetJson(a: AssetWithPrimary) {
  return {
    id: a.id,
    url: `/api/v2/assets/${a.id}`,
    display: a.name,
    client_id: a.clientId,
    name: a.name,
    description: a.description,
    type: a.type,
    make: a.make,
    model: a.model,
    serial: a.serial,
    os: a.os,
    status: a.status,
    uri: a.uri,
    uri_2: a.uri2,
    uri_client: a.uriClient,
    purchase_reference: a.purchaseReference,
    physical_location: a.physicalLocation,
    notes: a.notes,
    purchase_date: a.purchaseDate,
    install_date: a.installDate,
    warranty_expire: a.warrantyExpire,
    favorite: a.favorite,
    location_id: a.locationId,
    contact_id: a.contactId,
    vendor_id: a.vendorId,
    photo: a.photo,
    version: a.version,
    primary_interface: a.primaryInterface ? interfaceJson(a.primaryInterface) : null,
    transferred_from_asset_id: a.transferredFromId,
    transferred_to_asset_id: a.transferredToId,
    accessed_at: a.accessedAt,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    archived_at: a.archivedAt,
  };
}

/**
 * The If-Match of a single-asset request as the service's expectedVersion (a bulk request's header
 * does not name one asset, so it is not used there).
 */
function writeOptions(request: FastifyRequest | undefined): WriteOptions {
  const single = request && (request.params as { id?: string } | undefined)?.id !== undefined;
  return single ? { expectedVersion: ifMatchVersion(request) } : {};
}

/** The service names `uri2` as its domain field; v2 calls it `uri_2`, as the column and ITFlow do. */
async function withV2FieldNames<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValidationError && error.issues.some((i) => i.field === 'uri2'))
      throw new ValidationError(error.issues.map((i) => (i.field === 'uri2' ? { ...i, field: 'uri_2' } : i)));
    throw error;
  }
}

/** A body's primary interface and tags as the service takes them: null clears; a PUT replaces every field. */
function serviceInput(input: Record<string, unknown>, replace: boolean): Record<string, unknown> {
  const out = { ...input };
  if (out.tags === null) out.tags = [];
  if (out.primaryInterface === null) out.primaryInterface = INTERFACE_CLEARED;
  else if (replace && out.primaryInterface) out.primaryInterface = { ...INTERFACE_CLEARED, ...(out.primaryInterface as object) };
  return out;
}

export function registerV2AssetRecords(v2: FastifyInstance): void {
  registerResource<AssetWithPrimary>(v2, {
    path: '/assets',
    tag: 'Assets',
    singular: 'Asset',
    plural: 'Assets',
    record: Asset,
    fields: ASSET_LIST_FIELDS,
    defaultSort: 'name',
    archives: true,
    include: IncludeNames,
    extraQuery: {
      mac: Type.Optional(Type.String({ maxLength: 40, description: 'A MAC address in any notation: assets with an interface that has it.' })),
      ip: Type.Optional(Type.String({ maxLength: 64, description: 'An IPv4 or IPv6 address (or DHCP): assets with an interface that has it.' })),
      cidr: Type.Optional(
        Type.String({ maxLength: 64, description: 'An IPv4 or IPv6 prefix (10.0.0.0/24, 2001:db8::/32): assets with an interface inside it.' }),
      ),
      tag: Type.Optional(Type.String({ maxLength: 2000, description: 'A tag name; several comma-separated for any of them.' })),
    },
    list: listAssetRecords,
    read: readAssetRecord,
    toJson: async (call, rows, include) => {
      const embeds = await assetEmbeds(
        call.ctx,
        rows.map((r) => r.id),
        include,
      );
      return rows.map((row) => ({
        ...assetJson(row),
        ...(embeds.interfaces ? { interfaces: (embeds.interfaces.get(row.id) ?? []).map(interfaceJson) } : {}),
        ...(embeds.tags ? { tags: embeds.tags.get(row.id) ?? [] } : {}),
      }));
    },
    etag: (row) => versionEtag(row.version),
    create: {
      body: Type.Object({ client_id: Id, ...writable }, { additionalProperties: false }),
      run: (ctx, input) => withV2FieldNames(async () => (await createAsset(ctx, serviceInput(input, false) as unknown as AssetCreateInput)).id),
    },
    update: {
      body: Type.Object(writable, { additionalProperties: false }),
      run: (ctx, id, input, request) =>
        withV2FieldNames(async () => {
          await updateAsset(ctx, id, serviceInput(input, request.method === 'PUT'), writeOptions(request));
        }),
    },
    archive: async (ctx, id, request) => {
      await archiveAsset(ctx, id, writeOptions(request));
    },
    restore: async (ctx, id, request) => {
      await restoreAsset(ctx, id, writeOptions(request));
    },
    remove: (ctx, id, request) => deleteAsset(ctx, id, writeOptions(request)),
  });
}
