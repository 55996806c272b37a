// The one call each record service makes for a change (client.*, location.*, contact.*, vendor.*,
// network.*, service.*, ticket.*, login.*): it names the record by its table and id, and this writes the
// event in the caller's transaction, looking the record's name up only when some webhook wants events.
import { inTransaction, type Ctx } from '../platform/context.ts';
import { setRecordArchived } from '../platform/record-rules.ts';
import { columnChanges, outboxWanted, recordEvent, type EventChange, type RecordAction } from './webhook-outbox.ts';

export type EventTable = 'clients' | 'locations' | 'contacts' | 'vendors' | 'networks' | 'services' | 'tickets' | 'logins';

const RECORD = {
  clients: 'client',
  locations: 'location',
  contacts: 'contact',
  vendors: 'vendor',
  networks: 'network',
  services: 'service',
  tickets: 'ticket',
  logins: 'login',
} as const;

/** Writes `<record>.<action>` for the record `id` of `table` (call it before a delete, after the other writes). */
export async function emitRecordEvent(ctx: Ctx, table: EventTable, action: RecordAction, id: number, changes?: EventChange[]): Promise<void> {
  if (!(await outboxWanted(ctx))) return;
  const subject = await subjectOf(ctx, table, id);
  if (!subject) return;
  await recordEvent(ctx, RECORD[table], action, subject, changes);
}

/** `<record>.updated` with the columns that changed (secrets left out); nothing when none did. */
export async function emitRecordUpdate(ctx: Ctx, table: EventTable, id: number, before: object, changed: object): Promise<void> {
  const changes = columnChanges(before, changed);
  if (changes.length === 0) return;
  await emitRecordEvent(ctx, table, 'updated', id, changes);
}

/** setRecordArchived, plus its `<record>.archived` / `.restored` event in the same transaction. */
export async function setArchivedWithEvent(ctx: Ctx, table: EventTable, label: string, id: number, archive: boolean): Promise<boolean> {
  return inTransaction(ctx, async (ctx) => {
    const changed = await setRecordArchived(ctx, table, label, id, archive);
    if (changed) await emitRecordEvent(ctx, table, archive ? 'archived' : 'restored', id);
    return changed;
  });
}

async function subjectOf(ctx: Ctx, table: EventTable, id: number): Promise<{ id: number; name: string; clientId: number | null } | null> {
  if (table === 'clients') {
    const row = await ctx.db.selectFrom('clients').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, name: row.name, clientId: row.id } : null;
  }
  if (table === 'tickets') {
    const row = await ctx.db.selectFrom('tickets').select(['id', 'number', 'subject', 'client_id']).where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, name: `#${row.number} ${row.subject}`, clientId: row.client_id } : null;
  }
  const row = await ctx.db.selectFrom(table).select(['id', 'name', 'client_id']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, name: row.name, clientId: row.client_id } : null;
}

/** Runs a create in a transaction with its `<record>.created` event. */
export async function createdWithEvent<R extends { id: number }>(ctx: Ctx, table: EventTable, insert: (ctx: Ctx) => Promise<R>): Promise<R> {
  return inTransaction(ctx, async (ctx) => {
    const row = await insert(ctx);
    await emitRecordEvent(ctx, table, 'created', row.id);
    return row;
  });
}
