// What the login pages read: one login with the names of its asset and contact, a client's list with
// its search and paging, and the assets and contacts the form and the detail page offer. Each checks the
// acting user (ctx.principal) on the credential module for the login's client; handlers call these and
// render, holding no queries of their own.
import { sql } from 'kysely';
import { checkActingUser, type Level } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { LoginRow } from './login.views.tsx';

/** The columns a login shows openly (never its secrets). */
const OPEN_COLUMNS = [
  'l.id',
  'l.client_id',
  'l.name',
  'l.description',
  'l.uri',
  'l.uri_2',
  'l.notes',
  'l.asset_id',
  'l.contact_id',
  'l.archived_at',
  'l.password_changed_at',
] as const;

/**
 * The login as its pages show it, with whether a TOTP key is stored (never the key): "not found" when
 * it is missing or of a client the acting user may not see, "forbidden" below the credential level.
 */
export async function loadLoginFor(ctx: Ctx, id: number | null, level: Exclude<Level, 0>): Promise<LoginRow> {
  const row =
    id === null
      ? undefined
      : await ctx.db
          .selectFrom('logins as l')
          .leftJoin('assets as a', 'a.id', 'l.asset_id')
          .leftJoin('contacts as c', 'c.id', 'l.contact_id')
          .select([...OPEN_COLUMNS, 'a.name as asset_name', 'c.name as contact_name', 'l.otp_secret'])
          .where('l.id', '=', id)
          .executeTakeFirst();
  if (!row) throw new NotFoundError('login', id ?? '');
  checkActingUser(ctx, 'credential', level, { clientId: row.client_id, entity: 'login', id: row.id });
  const { otp_secret, ...rest } = row;
  return { ...rest, has_otp: otp_secret !== null };
}

export interface LoginListQuery {
  /** Matched, ignoring case and accents, in the name, description and address. */
  q: string;
  archived: boolean;
  page: number;
  pageSize: number;
}

/** One page of a client's logins (archived ones, or the others) by name, and how many match in all. */
export async function listLogins(ctx: Ctx, clientId: number, query: LoginListQuery): Promise<{ rows: LoginRow[]; total: number }> {
  checkActingUser(ctx, 'credential', 1, { clientId, entity: 'client', id: clientId });
  let rows = ctx.db
    .selectFrom('logins as l')
    .leftJoin('assets as a', 'a.id', 'l.asset_id')
    .select([...OPEN_COLUMNS, 'a.name as asset_name'])
    .where('l.client_id', '=', clientId)
    .where('l.archived_at', query.archived ? 'is not' : 'is', null);
  if (query.q) {
    const q = query.q;
    rows = rows.where((eb) =>
      eb.or([
        foldedContains(ctx.dialect, sql.ref('l.name'), q),
        foldedContains(ctx.dialect, sql.ref('l.description'), q),
        foldedContains(ctx.dialect, sql.ref('l.uri'), q),
      ]),
    );
  }
  const { n } = await rows
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const list = await rows
    .orderBy(sql`lower(l.name)`)
    .orderBy('l.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { rows: list, total: Number(n) };
}

/** The client's active assets (1,000 at most) and contacts by name: what a login can be linked to or name. */
export async function loginChoices(
  ctx: Ctx,
  clientId: number,
): Promise<{ assets: Array<{ id: number; name: string }>; contacts: Array<{ id: number; name: string }> }> {
  checkActingUser(ctx, 'credential', 1, { clientId, entity: 'client', id: clientId });
  const [assets, contacts] = await Promise.all([
    ctx.db
      .selectFrom('assets')
      .select(['id', 'name'])
      .where('client_id', '=', clientId)
      .where('archived_at', 'is', null)
      .orderBy(sql`lower(name)`)
      .limit(1_000)
      .execute(),
    ctx.db.selectFrom('contacts').select(['id', 'name']).where('client_id', '=', clientId).where('archived_at', 'is', null).orderBy(sql`lower(name)`).execute(),
  ]);
  return { assets, contacts };
}
