// Names in an import file turned into records, once per file rather than once per row: clients (for a
// file that fills several), each client's contacts, locations and vendors, and tags. Names match
// ignoring case and accents, as ITFlow matches them; a name two records share is an error, never a guess.
import { authorize, canSeeClient, type Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { ForbiddenError, NotFoundError, type FieldIssue } from '../platform/errors.ts';
import { foldText } from '../platform/fields.ts';

type Named = { id: number; name: string; archived?: boolean };
type ClientTable = 'contacts' | 'locations' | 'vendors' | 'networks';

/** A folded name → the records carrying it. */
function byName(rows: Named[]): Map<string, Named[]> {
  const out = new Map<string, Named[]>();
  for (const row of rows) {
    const key = foldText(row.name);
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

export class ImportLookups {
  private readonly perClient = new Map<string, Map<string, Named[]>>();
  private tags: Map<string, Named[]> | null = null;
  private clients: Map<string, Named[]> | null = null;
  private readonly writable = new Map<number, boolean>();

  constructor(
    private readonly ctx: Ctx,
    private readonly principal: Principal,
  ) {}

  /** A contact, location or vendor of the client by name; undefined for an empty cell. */
  async record(table: ClientTable, heading: string, value: string | undefined, clientId: number, problems: FieldIssue[]): Promise<number | undefined> {
    if (!value) return undefined;
    const key = `${table}:${clientId}`;
    let names = this.perClient.get(key);
    if (!names) {
      // Archived records count too (an export names them), but an active one wins a shared name.
      const rows = await this.ctx.db.selectFrom(table).select(['id', 'name', 'archived_at']).where('client_id', '=', clientId).execute();
      names = byName(rows.map((r) => ({ id: r.id, name: r.name, archived: r.archived_at !== null })));
      this.perClient.set(key, names);
    }
    return one(names, value, heading, problems, (n) => `${n} records of this client are named "${value}"`, `this client has nothing named "${value}"`);
  }

  /** Tags named in one cell, comma-separated; unknown ones are a problem (an import does not invent tags). */
  async tagIds(heading: string, value: string, problems: FieldIssue[]): Promise<Named[]> {
    this.tags ??= byName(await this.ctx.db.selectFrom('tags').select(['id', 'name']).execute());
    const out = new Map<number, Named>();
    for (const name of value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)) {
      const found = this.tags.get(foldText(name));
      if (found) out.set(found[0]!.id, found[0]!);
      else problems.push({ field: heading, code: 'unknown_tag', message: `"${name}" is not a known tag` });
    }
    return [...out.values()];
  }

  /**
   * A client by name, among those the user may see and write to. An archived one is found too (an
   * active one wins a shared name): whether a row may add to it is the asset rules' call.
   */
  async client(heading: string, value: string | undefined, problems: FieldIssue[]): Promise<number | undefined> {
    if (!value) {
      problems.push({ field: heading, code: 'required', message: 'is empty; each row needs its client' });
      return undefined;
    }
    this.clients ??= byName(
      (await this.ctx.db.selectFrom('clients').select(['id', 'name', 'archived_at']).execute())
        .filter((c) => canSeeClient(this.principal, c.id))
        .map((c) => ({ id: c.id, name: c.name, archived: c.archived_at !== null })),
    );
    const id = one(this.clients, value, heading, problems, (n) => `${n} clients are named "${value}"`, `no client named "${value}"`);
    if (id !== undefined && !this.mayWrite(id)) {
      problems.push({ field: heading, code: 'forbidden', message: `you may not add assets to "${value}"` });
      return undefined;
    }
    return id;
  }

  mayWrite(clientId: number): boolean {
    let ok = this.writable.get(clientId);
    if (ok === undefined) {
      try {
        authorize(this.principal, 'support', 2, { clientId, entity: 'client', id: clientId });
        ok = true;
      } catch (error) {
        if (!(error instanceof ForbiddenError || error instanceof NotFoundError)) throw error;
        ok = false;
      }
      this.writable.set(clientId, ok);
    }
    return ok;
  }
}

function one(
  names: Map<string, Named[]>,
  value: string,
  heading: string,
  problems: FieldIssue[],
  ambiguous: (n: number) => string,
  unknown: string,
): number | undefined {
  let found = names.get(foldText(value));
  if (found && found.length > 1 && found.some((r) => r.archived)) found = found.filter((r) => !r.archived);
  if (found?.length === 1) return found[0]!.id;
  problems.push(
    found?.length ? { field: heading, code: 'ambiguous', message: ambiguous(found.length) } : { field: heading, code: 'unknown', message: unknown },
  );
  return undefined;
}
