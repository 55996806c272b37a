// /api/v2/clients: the clients themselves. Reads through v2.clients.query.ts (the clients the call may
// see, at its level of the client module); writes through the clients service (its rules and authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveClient, createClient, deleteClient, restoreClient, updateClient } from '../clients/client.service.ts';
import { listClients, readClient, type ClientRow } from './v2.clients.query.ts';
import type { ListFields } from './v2.list.ts';
import { Nullable, recordSchema, registerResource } from './v2.resource.ts';

const TEXT = ['type', 'website', 'notes'] as const;

const fields: ListFields = {
  id: { column: 'clients.id', type: 'integer' },
  name: { column: 'clients.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `clients.${c}`, type: 'text', nullable: true, sort: c !== 'notes' }])),
  favorite: { column: 'clients.favorite', type: 'boolean' },
  created_at: { column: 'clients.created_at', type: 'time' },
  updated_at: { column: 'clients.updated_at', type: 'time', nullable: true },
};

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  website: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 65_535 }))),
  favorite: Type.Optional(Type.Boolean()),
};

const Client = recordSchema(
  'Client',
  {
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
    favorite: Type.Boolean(),
  },
  { archives: true },
);

function toJson(row: ClientRow) {
  return {
    id: row.id,
    url: `/api/v2/clients/${row.id}`,
    display: row.name,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    favorite: Boolean(row.favorite),
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Clients(v2: FastifyInstance): void {
  registerResource<ClientRow>(v2, {
    path: '/clients',
    tag: 'Clients',
    singular: 'Client',
    plural: 'Clients',
    record: Client,
    fields,
    defaultSort: 'name',
    archives: true,
    list: (request) => listClients(fields, request),
    read: (call, ctx, id) => readClient(call, ctx, id),
    toJson: async (_call, rows) => rows.map(toJson),
    create: {
      body: Type.Object(writable, { additionalProperties: false }),
      run: async (ctx, input) => (await createClient(ctx, input as unknown as Parameters<typeof createClient>[1])).id,
    },
    update: {
      body: Type.Object(writable, { additionalProperties: false }),
      run: async (ctx, id, input) => {
        await updateClient(ctx, id, input);
      },
    },
    archive: async (ctx, id) => {
      await archiveClient(ctx, id);
    },
    restore: async (ctx, id) => {
      await restoreClient(ctx, id);
    },
    remove: (ctx, id) => deleteClient(ctx, id),
  });
}
