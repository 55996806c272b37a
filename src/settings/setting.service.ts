import { nowIso, type Ctx } from '../platform/context.ts';

export async function getSetting<T>(ctx: Ctx, key: string, fallback: T): Promise<T> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return fallback;
  // SQLite hands back the JSON text; PostgreSQL's jsonb arrives parsed (a string setting is a string).
  const value = ctx.dialect === 'sqlite' && typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
  return (value ?? fallback) as T;
}

export async function setSetting(ctx: Ctx, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  const at = nowIso(ctx);
  await ctx.db
    .insertInto('settings')
    .values({ key, value: json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
    .execute();
}
