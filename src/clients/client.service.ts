import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalBool, optionalText, requiredText, type Raw } from '../platform/fields.ts';

export interface Client {
  id: number;
  name: string;
  type: string | null;
  website: string | null;
  notes: string | null;
  favorite: boolean;
  createdAt: string;
  archivedAt: string | null;
}

export async function createClient(ctx: Ctx, input: { name: Raw; type?: Raw; website?: Raw; notes?: Raw; favorite?: Raw }): Promise<Client> {
  const issues = new IssueList();
  const values = {
    name: requiredText(issues, 'name', input.name, 200),
    type: optionalText(issues, 'type', input.type, 200),
    website: optionalText(issues, 'website', input.website, 200),
    notes: optionalText(issues, 'notes', input.notes, 65_535),
    favorite: optionalBool(issues, 'favorite', input.favorite) ? 1 : 0,
  };
  issues.throwIfAny();
  const { id } = await ctx.db.insertInto('clients').values({ ...values, created_at: nowIso(ctx) }).returning('id').executeTakeFirstOrThrow();
  return getClient(ctx, id);
}

export async function getClient(ctx: Ctx, id: number): Promise<Client> {
  const r = await ctx.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('client', id);
  return { id: r.id, name: r.name, type: r.type, website: r.website, notes: r.notes, favorite: Boolean(r.favorite), createdAt: r.created_at, archivedAt: r.archived_at };
}

export async function countClients(ctx: Ctx): Promise<number> {
  const row = await ctx.db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
