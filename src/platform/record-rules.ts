// Checks shared by every client-owned record: the client must exist (and be active to add to it),
// and references to other records must stay within the same client. Also the plain update and
// archive mechanics that clients and the records around assets share.
import { nowIso, type Ctx } from './context.ts';
import { uniqueViolation } from './db/db-errors.ts';
import { NotFoundError, ValidationError, type FieldIssue, type IssueList } from './errors.ts';
import { optionalId, type Raw } from './fields.ts';

export async function requireActiveClient(ctx: Ctx, issues: IssueList, raw: Raw, field = 'clientId'): Promise<number | null> {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0') {
    issues.add(field, 'required', 'is required');
    return null;
  }
  const id = optionalId(issues, field, raw);
  if (id === null) return null;
  const client = await ctx.db.selectFrom('clients').select(['id', 'archived_at']).where('id', '=', id).executeTakeFirst();
  if (!client) {
    issues.add(field, 'not_found', `client ${id} does not exist`);
    return null;
  }
  if (client.archived_at) {
    issues.add(field, 'archived', `client ${id} is archived; restore it first`);
    return null;
  }
  return id;
}

type ClientOwned = 'locations' | 'contacts' | 'vendors' | 'networks' | 'assets' | 'logins' | 'services' | 'tickets';

/** An optional reference to another record, which must exist in the same client. */
export async function sameClientRef(
  ctx: Ctx,
  issues: IssueList,
  field: string,
  raw: Raw,
  table: ClientOwned,
  label: string,
  clientId: number | null,
): Promise<number | null> {
  const id = optionalId(issues, field, raw);
  if (id === null || clientId === null) return id;
  const row = await ctx.db.selectFrom(table).select('id').where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) issues.add(field, 'not_found', `${label} ${id} does not exist for this client`);
  return id;
}

/**
 * The entries of `values` that differ from the stored row: what an update has to write. A flag
 * compares as a boolean (PostgreSQL returns true/false where SQLite returns 0/1).
 */
export function changedColumns<T extends object>(row: object, values: T): Partial<T> {
  const stored = row as Record<string, unknown>;
  const out: Partial<T> = {};
  for (const key of Object.keys(values) as Array<keyof T & string>) {
    const next = values[key];
    const same = typeof stored[key] === 'boolean' ? stored[key] === Boolean(next) : stored[key] === next;
    if (!same) out[key] = next;
  }
  return out;
}

/**
 * Archives a record (or restores it), stamping updated_at too; false, with nothing written, when it
 * already was in that state. A missing record is a NotFoundError naming it as `label`.
 */
export async function setRecordArchived(
  ctx: Ctx,
  table: 'clients' | 'contacts' | 'locations' | 'vendors' | 'networks' | 'logins' | 'services' | 'tickets',
  label: string,
  id: number,
  archive: boolean,
): Promise<boolean> {
  const row = await ctx.db.selectFrom(table).select(['id', 'archived_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(label, id);
  if ((row.archived_at !== null) === archive) return false;
  const at = nowIso(ctx);
  await ctx.db
    .updateTable(table)
    .set({ archived_at: archive ? at : null, updated_at: at })
    .where('id', '=', id)
    .execute();
  return true;
}

/**
 * Runs a write that a unique index guards. A service checks uniqueness first, for a clear message; two
 * writers checking at once both pass, and the index then refuses the second: that loser gets the same
 * field issue the check gives, instead of a database error.
 */
export async function guardedByUniqueIndex<T>(index: string, issue: FieldIssue, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error) === index) throw new ValidationError([issue]);
    throw error;
  }
}
