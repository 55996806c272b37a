// The acting user's check for the records around assets, made by their services (writes) and by the
// loaders every entry point reads them through (reads): the record's client must be one the user
// sees, the module at the level. A record of a client they may not see is "not found", in the words a
// missing one gets; a failing database is a failure, never "not found".
import type { Selectable } from 'kysely';
import type { Database } from '../database.ts';
import type { Ctx } from '../platform/context.ts';
import { NotFoundError } from '../platform/errors.ts';
import { checkActingUser, type Level, type Module } from './access.ts';

type ClientRecordTable = 'contacts' | 'locations' | 'vendors' | 'networks' | 'logins' | 'services' | 'tickets';

/** A missing record is left for the service to report in its own words. */
export async function checkActingUserOnRecord(
  ctx: Ctx,
  module: Module,
  level: Exclude<Level, 0>,
  table: ClientRecordTable | 'clients',
  entity: string,
  id: number,
): Promise<void> {
  if (!ctx.principal) return;
  if (table === 'clients') return checkActingUser(ctx, module, level, { clientId: id, entity, id });
  const row = await ctx.db.selectFrom(table).select('client_id').where('id', '=', id).executeTakeFirst();
  if (row) checkActingUser(ctx, module, level, { clientId: row.client_id, entity, id });
}

/** The client (or "not found"), once the acting user may use the module on it at this level. */
export async function loadClientFor(ctx: Ctx, module: Module, level: Exclude<Level, 0>, id: number | null): Promise<Selectable<Database['clients']>> {
  const client = id === null ? undefined : await ctx.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!client) throw new NotFoundError('client', id ?? '');
  checkActingUser(ctx, module, level, { clientId: client.id, entity: 'client', id: client.id });
  return client;
}

/** A client's record (or "not found"), once the acting user may act on it at this level. */
export async function loadRecordFor<T extends ClientRecordTable>(
  ctx: Ctx,
  table: T,
  module: Module,
  level: Exclude<Level, 0>,
  entity: string,
  id: number | null,
): Promise<Selectable<Database[T]>> {
  const row =
    id === null
      ? undefined
      : ((await ctx.db
          .selectFrom(table as ClientRecordTable)
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst()) as Selectable<Database[T]> | undefined);
  if (!row) throw new NotFoundError(entity, id ?? '');
  checkActingUser(ctx, module, level, { clientId: (row as { client_id: number }).client_id, entity, id: id as number });
  return row;
}
