// The number of rows per page a user last picked on a list, remembered for their next visit.
import type { Ctx } from '../platform/context.ts';

/**
 * The page size to show: `asked` when it is one of `allowed` (and then remembered), else the one the
 * user picked last, else `fallback`.
 */
export async function pageSizeFor(ctx: Ctx, userId: number, asked: number, allowed: readonly number[], fallback: number): Promise<number> {
  if (allowed.includes(asked)) {
    await ctx.db
      .updateTable('users')
      .set({ page_size: asked })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('page_size', 'is', null), eb('page_size', '!=', asked)]))
      .execute();
    return asked;
  }
  const row = await ctx.db.selectFrom('users').select('page_size').where('id', '=', userId).executeTakeFirst();
  return row?.page_size && allowed.includes(row.page_size) ? row.page_size : fallback;
}
