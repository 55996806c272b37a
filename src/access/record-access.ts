// The acting user's check for the records around assets, made by their services before they change
// one (see checkActingUser): the record's client must be one the user sees, the module at the level.
import type { Ctx } from '../platform/context.ts';
import { checkActingUser, type Level, type Module } from './access.ts';

type ClientRecordTable = 'clients' | 'contacts' | 'locations' | 'vendors' | 'networks' | 'logins' | 'services' | 'tickets';

/** A missing record is left for the service to report in its own words. */
export async function checkActingUserOnRecord(
  ctx: Ctx,
  module: Module,
  level: Exclude<Level, 0>,
  table: ClientRecordTable,
  entity: string,
  id: number,
): Promise<void> {
  if (!ctx.principal) return;
  if (table === 'clients') return checkActingUser(ctx, module, level, { clientId: id, entity, id });
  const row = await ctx.db.selectFrom(table).select('client_id').where('id', '=', id).executeTakeFirst();
  if (row) checkActingUser(ctx, module, level, { clientId: row.client_id, entity, id });
}
