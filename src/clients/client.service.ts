import { authorize, checkActingUser, LEVELS, type Level } from '../access/access.ts';
import { checkActingUserOnRecord } from '../access/record-access.ts';
import type { Updateable } from 'kysely';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { ConflictError, IssueList, NotFoundError } from '../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { optionalBool, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { changedColumns } from '../platform/record-rules.ts';
import type { ClientTable } from './client.table.ts';
import { plural } from '../web/plural.ts';
import { emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';

export interface Client {
  id: number;
  name: string;
  type: string | null;
  website: string | null;
  notes: string | null;
  favorite: boolean;
  createdAt: string;
  updatedAt: string | null;
  archivedAt: string | null;
}

export interface ClientInput {
  name?: Raw;
  type?: Raw;
  website?: Raw;
  notes?: Raw;
  favorite?: Raw;
}

/** One set of rules for create and update: on create every field is read, on update only those given. */
function parseClientFields(issues: IssueList, input: ClientInput, mode: 'create' | 'update'): Updateable<ClientTable> {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<ClientTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.type)) values.type = optionalText(issues, 'type', input.type, 200);
  if (wanted(input.website)) values.website = optionalText(issues, 'website', input.website, 200);
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  if (wanted(input.favorite)) values.favorite = optionalBool(issues, 'favorite', input.favorite) ? 1 : 0;
  return values;
}

export async function createClient(ctx: Ctx, input: ClientInput & { name: Raw }): Promise<Client> {
  if (ctx.principal) authorize(ctx.principal, 'client', LEVELS.write);
  const issues = new IssueList();
  const values = parseClientFields(issues, input, 'create');
  issues.throwIfAny();
  return inTransaction(ctx, async (ctx) => {
    const { id } = await ctx.db
      .insertInto('clients')
      .values({ ...values, name: values.name!, created_at: nowIso(ctx) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await emitRecordEvent(ctx, 'clients', 'created', id);
    return getClient(ctx, id);
  });
}

/** Changes the fields given (the rest keep their values); writes nothing when nothing differs. */
export async function updateClient(ctx: Ctx, id: number, input: ClientInput): Promise<Client> {
  return inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'client', 2, 'clients', 'client', id);
    const current = await ctx.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new NotFoundError('client', id);
    const issues = new IssueList();
    const values = parseClientFields(issues, input, 'update');
    issues.throwIfAny();
    const changed = changedColumns(current, values);
    if (Object.keys(changed).length)
      await ctx.db
        .updateTable('clients')
        .set({ ...changed, updated_at: nowIso(ctx) })
        .where('id', '=', id)
        .execute();
    await emitRecordUpdate(ctx, 'clients', id, current, changed);
    return getClient(ctx, id);
  });
}

/** Archives a client; false (nothing written) if it already was. Its records stay as they are. */
export async function archiveClient(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'clients', 'client', id);
  return setArchivedWithEvent(ctx, 'clients', 'client', id, true);
}

export async function restoreClient(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'client', 2, 'clients', 'client', id);
  return setArchivedWithEvent(ctx, 'clients', 'client', id, false);
}

export async function getClient(ctx: Ctx, id: number): Promise<Client> {
  const r = await ctx.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('client', id);
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    website: r.website,
    notes: r.notes,
    favorite: Boolean(r.favorite),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    archivedAt: r.archived_at,
  };
}

/** The client (or "not found", also for one the acting user may not see), once they may use the client module on it at this level. */
export async function getClientFor(ctx: Ctx, id: number | null, level: Exclude<Level, 0>): Promise<Client> {
  if (id === null) throw new NotFoundError('client', '');
  const client = await getClient(ctx, id);
  checkActingUser(ctx, 'client', level, { clientId: client.id, entity: 'client', id: client.id });
  return client;
}

export async function countClients(ctx: Ctx): Promise<number> {
  const row = await ctx.db
    .selectFrom('clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every asset of the client, archived ones included: a client is deleted only without any. */
export async function countAssetsOf(ctx: Ctx, clientId: number): Promise<number> {
  const row = await ctx.db
    .selectFrom('assets')
    .where('client_id', '=', clientId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deletes a client that has no assets, with the records that belong to it (their foreign keys
 * cascade). One with assets is refused by the database too: assets are removed only through the
 * asset rules, which keep their history.
 */
export async function deleteClient(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'client', 3, 'clients', 'client', id);
    await getClient(ctx, id);
    const assets = await countAssetsOf(ctx, id);
    if (assets > 0) throw new ConflictError(`client ${id} still has ${plural(assets, 'asset')}; transfer or delete them first`);
    await emitRecordEvent(ctx, 'clients', 'deleted', id);
    await ctx.db.deleteFrom('clients').where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'client.deleted', entityType: 'client', entityId: id });
  });
}
