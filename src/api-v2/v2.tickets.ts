// /api/v2/tickets: a client's support tickets, with the assets they concern (`asset_ids`, given on
// create; later links are made from the asset). Reads through v2.records.query.ts, writes through the
// tickets service (numbering, statuses and priorities, the closed and resolved stamps, authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveTicket, createTicket, deleteTicket, restoreTicket, TICKET_PRIORITIES, TICKET_STATUSES, updateTicket } from '../tickets/ticket.service.ts';
import { linkedAssetIds } from './v2.links.query.ts';
import type { ListFields } from './v2.list.ts';
import { listRecords, readRecord, type RecordReads, type RecordRow } from './v2.records.query.ts';
import { Id, Nullable, recordSchema, registerResource } from './v2.resource.ts';

const REFS = ['contact_id', 'assignee_user_id', 'created_by_user_id'] as const;

const fields: ListFields = {
  id: { column: 'tickets.id', type: 'integer' },
  client_id: { column: 'tickets.client_id', type: 'integer' },
  number: { column: 'tickets.number', type: 'integer', description: 'ticket number' },
  subject: { column: 'tickets.subject', type: 'text' },
  details: { column: 'tickets.details', type: 'text', nullable: true, sort: false },
  status: { column: 'tickets.status', type: 'text', description: `status (${TICKET_STATUSES.join(', ')})` },
  priority: { column: 'tickets.priority', type: 'text', nullable: true, description: `priority (${TICKET_PRIORITIES.join(', ')})` },
  ...Object.fromEntries(REFS.map((c) => [c, { column: `tickets.${c}`, type: 'integer', nullable: true }])),
  closed_at: { column: 'tickets.closed_at', type: 'time', nullable: true },
  resolved_at: { column: 'tickets.resolved_at', type: 'time', nullable: true },
  created_at: { column: 'tickets.created_at', type: 'time' },
  updated_at: { column: 'tickets.updated_at', type: 'time', nullable: true },
};

const reads: RecordReads = { table: 'tickets', entity: 'ticket', module: 'support', fields, searched: ['subject', 'details'] };

const Status = Type.String({ minLength: 1, maxLength: 50, description: `One of ${TICKET_STATUSES.join(', ')}.` });
const Priority = Type.String({ minLength: 1, maxLength: 20, description: `One of ${TICKET_PRIORITIES.join(', ')}.` });
const optional = {
  details: Type.Optional(Nullable(Type.String({ maxLength: 1_000_000 }))),
  contact_id: Type.Optional(Nullable(Id)),
  assignee_user_id: Type.Optional(Nullable(Type.Integer({ minimum: 0, description: 'A user who may see the client; null or 0 for nobody.' }))),
};
const writable = { subject: Type.String({ minLength: 1, maxLength: 500 }), status: Status, priority: Priority, ...optional };

const Ticket = recordSchema(
  'Ticket',
  {
    client_id: Id,
    number: Type.Integer(),
    subject: Type.String(),
    details: Nullable(Type.String()),
    status: Type.String(),
    priority: Nullable(Type.String()),
    ...Object.fromEntries(REFS.map((c) => [c, Nullable(Id)])),
    closed_at: Nullable(Type.String({ format: 'date-time' })),
    resolved_at: Nullable(Type.String({ format: 'date-time' })),
    asset_ids: Type.Array(Id, { description: 'The assets the ticket concerns.' }),
  },
  { archives: true },
);

function toJson(row: RecordRow, assetIds: number[]) {
  return {
    id: row.id,
    url: `/api/v2/tickets/${row.id}`,
    display: `#${row.number} ${row.subject}`,
    client_id: row.client_id,
    number: row.number,
    subject: row.subject,
    details: row.details ?? null,
    status: row.status,
    priority: row.priority ?? null,
    ...Object.fromEntries(REFS.map((c) => [c, row[c] ?? null])),
    closed_at: row.closed_at ?? null,
    resolved_at: row.resolved_at ?? null,
    asset_ids: assetIds,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Tickets(v2: FastifyInstance): void {
  registerResource<RecordRow>(v2, {
    path: '/tickets',
    tag: 'Tickets',
    singular: 'Ticket',
    plural: 'Tickets',
    record: Ticket,
    fields,
    defaultSort: '-number',
    archives: true,
    list: (request) => listRecords(reads, request),
    read: (call, ctx, id) => readRecord(reads, call, ctx, id),
    toJson: async (call, rows) => {
      const links = await linkedAssetIds(
        call.ctx,
        'ticket',
        rows.map((r) => r.id),
      );
      return rows.map((r) => toJson(r, links.get(r.id) ?? []));
    },
    create: {
      body: Type.Object(
        {
          client_id: Id,
          subject: writable.subject,
          status: Type.Optional(Status),
          priority: Type.Optional(Priority),
          ...optional,
          asset_ids: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true, description: 'Assets of the same client to link.' })),
        },
        { additionalProperties: false },
      ),
      run: async (ctx, input) => (await createTicket(ctx, input as unknown as Parameters<typeof createTicket>[1])).id,
    },
    update: {
      body: Type.Object(writable, { additionalProperties: false }),
      run: (ctx, id, input) => updateTicket(ctx, id, input),
    },
    archive: async (ctx, id) => {
      await archiveTicket(ctx, id);
    },
    restore: async (ctx, id) => {
      await restoreTicket(ctx, id);
    },
    remove: (ctx, id) => deleteTicket(ctx, id),
  });
}
