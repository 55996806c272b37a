// /api/v2/contacts: a client's people. Reads through v2.records.query.ts, writes through the contacts
// service (its rules, such as an e-mail unique within the client, and its authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveContact, createContact, deleteContact, restoreContact, updateContact } from '../contacts/contact.service.ts';
import type { ListFields } from './v2.list.ts';
import type { RecordReads, RecordRow } from './v2.records.query.ts';
import { Id, Nullable, recordSchema } from './v2.resource.ts';
import { registerClientRecordResource } from './v2.client-records.ts';

const TEXT = ['title', 'email', 'phone', 'extension', 'mobile', 'department', 'notes'] as const;

const fields: ListFields = {
  id: { column: 'contacts.id', type: 'integer' },
  client_id: { column: 'contacts.client_id', type: 'integer' },
  name: { column: 'contacts.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `contacts.${c}`, type: 'text', nullable: true, sort: c !== 'notes' }])),
  location_id: { column: 'contacts.location_id', type: 'integer', nullable: true },
  created_at: { column: 'contacts.created_at', type: 'time' },
  updated_at: { column: 'contacts.updated_at', type: 'time', nullable: true },
};

const reads: RecordReads = {
  table: 'contacts',
  entity: 'contact',
  module: 'client',
  fields,
  searched: ['name', 'email', 'phone', 'mobile', 'title', 'department'],
};

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(TEXT.map((c) => [c, Type.Optional(Nullable(Type.String({ maxLength: c === 'notes' ? 65_535 : 200 })))])),
  location_id: Type.Optional(Nullable(Id)),
};

const Contact = recordSchema(
  'Contact',
  {
    client_id: Id,
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
    location_id: Nullable(Id),
  },
  { archives: true },
);

function toJson(row: RecordRow) {
  return {
    id: row.id,
    url: `/api/v2/contacts/${row.id}`,
    display: row.name as string,
    client_id: row.client_id,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    location_id: row.location_id ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Contacts(v2: FastifyInstance): void {
  registerClientRecordResource(v2, {
    path: '/contacts',
    tag: 'Contacts',
    singular: 'Contact',
    plural: 'Contacts',
    record: Contact,
    reads,
    writable,
    toJson: async (_call, rows) => rows.map(toJson),
    service: { create: createContact, update: updateContact, archive: archiveContact, restore: restoreContact, remove: deleteContact },
  });
}
