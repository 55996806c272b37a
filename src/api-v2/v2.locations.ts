// /api/v2/locations: a client's sites. The worked example of a v2 resource: the fields once, for the
// list's filters and sort, the record's schema and the bodies; reads through v2.records.query.ts,
// writes through the locations service (its rules and authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveLocation, createLocation, deleteLocation, restoreLocation, updateLocation } from '../locations/location.service.ts';
import type { ListFields } from './v2.list.ts';
import type { RecordReads, RecordRow } from './v2.records.query.ts';
import { Id, Nullable, recordSchema } from './v2.resource.ts';
import { registerClientRecordResource } from './v2.client-records.ts';

const TEXT = ['description', 'address', 'city', 'state', 'zip', 'country', 'phone', 'hours', 'notes'] as const;

const fields: ListFields = {
  id: { column: 'locations.id', type: 'integer' },
  client_id: { column: 'locations.client_id', type: 'integer' },
  name: { column: 'locations.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `locations.${c}`, type: 'text', nullable: true, sort: c !== 'notes' && c !== 'description' }])),
  primary: { column: 'locations.is_primary', type: 'boolean' },
  created_at: { column: 'locations.created_at', type: 'time' },
  updated_at: { column: 'locations.updated_at', type: 'time', nullable: true },
};

const reads: RecordReads = { table: 'locations', entity: 'location', module: 'client', fields, searched: ['name', 'address', 'city', 'description'] };

const Text = Nullable(Type.String({ maxLength: 65_535 }));
const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(TEXT.map((c) => [c, Type.Optional(Text)])),
  primary: Type.Optional(Type.Boolean()),
};

const Location = recordSchema(
  'Location',
  {
    client_id: Id,
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
    primary: Type.Boolean(),
  },
  { archives: true },
);

function toJson(row: RecordRow) {
  return {
    id: row.id,
    url: `/api/v2/locations/${row.id}`,
    display: row.name as string,
    client_id: row.client_id,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    primary: Boolean(row.is_primary),
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Locations(v2: FastifyInstance): void {
  registerClientRecordResource(v2, {
    path: '/locations',
    tag: 'Locations',
    singular: 'Location',
    plural: 'Locations',
    record: Location,
    reads,
    writable,
    toJson: async (_call, rows) => rows.map(toJson),
    service: { create: createLocation, update: updateLocation, archive: archiveLocation, restore: restoreLocation, remove: deleteLocation },
  });
}
