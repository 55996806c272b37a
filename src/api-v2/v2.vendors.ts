// /api/v2/vendors: a client's suppliers. Reads through v2.records.query.ts, writes through the vendors
// service (its rules and authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveVendor, createVendor, deleteVendor, restoreVendor, updateVendor } from '../vendors/vendor.service.ts';
import type { ListFields } from './v2.list.ts';
import type { RecordReads, RecordRow } from './v2.records.query.ts';
import { Id, Nullable, recordSchema } from './v2.resource.ts';
import { registerClientRecordResource } from './v2.client-records.ts';

const TEXT = ['description', 'contact_name', 'phone', 'email', 'website', 'account_number', 'notes'] as const;

const fields: ListFields = {
  id: { column: 'vendors.id', type: 'integer' },
  client_id: { column: 'vendors.client_id', type: 'integer' },
  name: { column: 'vendors.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `vendors.${c}`, type: 'text', nullable: true, sort: c !== 'notes' }])),
  created_at: { column: 'vendors.created_at', type: 'time' },
  updated_at: { column: 'vendors.updated_at', type: 'time', nullable: true },
};

const reads: RecordReads = {
  table: 'vendors',
  entity: 'vendor',
  module: 'client',
  fields,
  searched: ['name', 'description', 'contact_name', 'account_number'],
};

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(TEXT.map((c) => [c, Type.Optional(Nullable(Type.String({ maxLength: c === 'notes' ? 65_535 : 200 })))])),
};

const Vendor = recordSchema(
  'Vendor',
  {
    client_id: Id,
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
  },
  { archives: true },
);

function toJson(row: RecordRow) {
  return {
    id: row.id,
    url: `/api/v2/vendors/${row.id}`,
    display: row.name as string,
    client_id: row.client_id,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Vendors(v2: FastifyInstance): void {
  registerClientRecordResource(v2, {
    path: '/vendors',
    tag: 'Vendors',
    singular: 'Vendor',
    plural: 'Vendors',
    record: Vendor,
    reads,
    writable,
    toJson: async (_call, rows) => rows.map(toJson),
    service: { create: createVendor, update: updateVendor, archive: archiveVendor, restore: restoreVendor, remove: deleteVendor },
  });
}
