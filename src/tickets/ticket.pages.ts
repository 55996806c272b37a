// A client's tickets in the web UI (the shared record pages); a ticket's page lists its assets.
import type { FastifyInstance } from 'fastify';
import { linkTable } from '../assets/asset-linkage.ts';
import type { Store } from '../platform/db/store.ts';
import { registerRecordPages, type RecordField } from '../web/record-pages.tsx';
import { archiveTicket, createTicket, deleteTicket, restoreTicket, TICKET_PRIORITIES, TICKET_STATUSES, updateTicket } from './ticket.service.ts';

const FIELDS: RecordField[] = [
  { name: 'subject', column: 'subject', label: 'Subject', required: true },
  { name: 'status', column: 'status', label: 'Status', kind: 'select', options: TICKET_STATUSES, required: true },
  { name: 'priority', column: 'priority', label: 'Priority', kind: 'select', options: TICKET_PRIORITIES, required: true },
  { name: 'contactId', column: 'contact_id', label: 'Contact', kind: 'contact' },
  { name: 'details', column: 'details', label: 'Details', kind: 'textarea' },
];

export function registerTicketPages(app: FastifyInstance, store: Store): void {
  registerRecordPages(app, store, {
    table: 'tickets',
    singular: 'ticket',
    plural: 'Tickets',
    module: 'support',
    linkage: linkTable('ticket'),
    nameColumn: 'subject',
    fields: FIELDS,
    listColumns: [{ name: 'number', column: 'number', label: 'Number' }, ...FIELDS.filter((f) => ['status', 'priority'].includes(f.name))],
    create: (ctx, input) => createTicket(ctx, { ...input, subject: input.subject }),
    update: updateTicket,
    archive: archiveTicket,
    restore: restoreTicket,
    remove: deleteTicket,
  });
}
