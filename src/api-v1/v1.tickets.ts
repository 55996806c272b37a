// /api/v1/tickets: ITFlow's read, create and resolve, over Steward's tickets and their rules. A row has
// every column of ITFlow's tickets table in its order; what Steward does not keep (SLAs, billing,
// vendors, schedules) reads as ITFlow's default for a ticket that never set it.
import type { FastifyInstance } from 'fastify';
import { authorize } from '../access/access.ts';
import type { Store } from '../platform/db/store.ts';
import { ValidationError } from '../platform/errors.ts';
import { createTicket, resolveTicket } from '../tickets/ticket.service.ts';
import { given, missing, paging, recordOfClient, requiredId, targetClient, v1Endpoint, type V1Call, type V1Input } from './v1.endpoint.ts';
import { created, datetime, failure, NOT_FOUND, str, written, type V1Row } from './v1.format.ts';
import { readV1Tickets, type V1TicketRecord } from './v1.tickets.query.ts';

/** Steward shows a ticket as "#<number>" (asset pages, history), so that is its prefix. */
const TICKET_PREFIX = '#';

/** ITFlow's status ids (its ticket_statuses as installed), by Steward's status names. */
const STATUS_IDS: Record<string, number> = { New: 1, Open: 2, 'On Hold': 3, Resolved: 4, Closed: 5 };
/** Steward keeps no status colours; these are the ones a fresh ITFlow installation seeds. */
const STATUS_COLORS: Record<string, string> = { New: '#dc3545', Open: '#007bff', 'On Hold': '#28a745', Resolved: '#343a40', Closed: '#343a40' };

/** The service's field names in an error → the v1 keys the caller sent. */
const V1_FIELDS: Record<string, string> = {
  clientId: 'client_id',
  subject: 'ticket_subject',
  details: 'ticket_details',
  priority: 'ticket_priority',
  status: 'ticket_status',
  contactId: 'ticket_contact_id',
  assetIds: 'ticket_asset_id',
  assigneeUserId: 'ticket_assigned_to',
};
const v1Field = (field: string) => V1_FIELDS[field] ?? field;

/** ITFlow fields Steward's tickets have no place for: their "none" passes, anything else is refused. */
const UNKEPT = ['ticket_billable', 'ticket_vendor_id', 'ticket_vendor_ticket_id'];

function ticketRow(t: V1TicketRecord): V1Row {
  const none = '0';
  return {
    ticket_id: str(t.id),
    ticket_prefix: TICKET_PREFIX,
    ticket_number: str(t.number),
    ticket_source: null,
    ticket_category: null,
    // ITFlow's details column is NOT NULL; a ticket without details has empty ones.
    ticket_subject: t.subject,
    ticket_details: t.details ?? '',
    ticket_priority: t.priority,
    ticket_status: str(STATUS_IDS[t.status], none),
    ticket_sla_id: none,
    ticket_billable: none,
    ticket_schedule: null,
    ticket_onsite: none,
    ticket_vendor_ticket_number: null,
    ticket_feedback: null,
    ticket_url_key: null,
    ticket_created_at: datetime(t.created_at),
    ticket_updated_at: datetime(t.updated_at),
    ticket_due_at: null,
    ticket_resolved_at: datetime(t.resolved_at),
    ticket_archived_at: datetime(t.archived_at),
    ticket_first_response_at: null,
    ticket_response_due_at: null,
    ticket_resolution_due_at: null,
    ticket_response_sla_met: null,
    ticket_resolution_sla_met: null,
    ticket_response_sla_alert_stage: none,
    ticket_resolution_sla_alert_stage: none,
    ticket_closed_at: datetime(t.closed_at),
    ticket_created_by: str(t.created_by_user_id, none),
    ticket_assigned_to: str(t.assignee_user_id, none),
    ticket_closed_by: none,
    ticket_vendor_id: none,
    ticket_client_id: str(t.client_id),
    ticket_contact_id: str(t.contact_id, none),
    ticket_location_id: none,
    ticket_asset_id: t.first_asset_id === null ? none : String(Number(t.first_asset_id)),
    ticket_quote_id: none,
    ticket_invoice_id: none,
    ticket_project_id: none,
    ticket_recurring_ticket_id: none,
    ticket_order: none,
  };
}

/** The columns of ITFlow's ticket_statuses row that its single read joins in (null for a status it would not know). */
function statusColumns(status: string): V1Row {
  const id = STATUS_IDS[status];
  const known = id !== undefined;
  return {
    ticket_status_id: known ? String(id) : null,
    ticket_status_name: known ? status : null,
    ticket_status_color: STATUS_COLORS[status] ?? null,
    ticket_status_active: known ? '1' : null,
    ticket_status_pauses_sla: known ? '0' : null,
    ticket_status_order: known ? '0' : null,
  };
}

async function readTickets({ ctx, principal, input }: V1Call) {
  authorize(principal, 'support', 1);
  const clientId = given(input, 'client_id') ? requiredId(input, 'client_id') : null;
  const single = given(input, 'ticket_id');
  const id = single ? requiredId(input, 'ticket_id') : null;
  const page = single ? null : { limit: paging(input, 'limit', 50), offset: paging(input, 'offset', 0) };
  const rows = await readV1Tickets(ctx, { clientId, id, page });
  if (rows.length === 0) return failure(NOT_FOUND);
  return { success: 'True', count: rows.length, data: rows.map((r) => (single ? { ...ticketRow(r), ...statusColumns(r.status) } : ticketRow(r))) };
}

function refuseUnkept(input: V1Input): void {
  const sent = UNKEPT.filter((field) => {
    const value = input[field];
    return value !== undefined && value !== null && value.trim() !== '' && value.trim() !== '0';
  });
  if (sent.length)
    throw new ValidationError(sent.map((field) => ({ field, code: 'not_kept', message: 'Steward does not keep this for tickets; send 0 or leave it out' })));
}

async function createV1Ticket(call: V1Call) {
  const { ctx, principal, input } = call;
  authorize(principal, 'support', 2);
  // ITFlow lets a ticket belong to no client ("0"); every Steward ticket belongs to one.
  if (!given(input, 'client_id') || input.client_id!.trim() === '0') {
    throw new ValidationError([{ field: 'client_id', code: 'required', message: 'is required (every Steward ticket belongs to a client)' }]);
  }
  const clientId = targetClient(call);
  refuseUnkept(input);
  const ticket = await createTicket(ctx, {
    clientId,
    subject: input.ticket_subject,
    details: input.ticket_details,
    priority: input.ticket_priority,
    contactId: input.ticket_contact_id,
    assigneeUserId: input.ticket_assigned_to,
    assetIds: input.ticket_asset_id === undefined ? [] : [input.ticket_asset_id],
  });
  return created(ticket.id);
}

async function resolveV1Ticket(call: V1Call) {
  authorize(call.principal, 'support', 2);
  const record = await recordOfClient(call, 'tickets', 'ticket_id', 'support', 2);
  if (!record) return missing('ticket', call.input);
  // ITFlow only resolves a ticket not yet resolved, and answers False for one that is.
  if (!(await resolveTicket(call.ctx, record.id))) return failure(`ticket ${record.id} is already resolved`);
  return written(1);
}

export function registerV1Tickets(app: FastifyInstance, store: Store): void {
  v1Endpoint(app, store, 'tickets', 'read', 'GET', readTickets, v1Field);
  v1Endpoint(app, store, 'tickets', 'create', 'POST', createV1Ticket, v1Field);
  v1Endpoint(app, store, 'tickets', 'resolve', 'POST', resolveV1Ticket, v1Field);
}
