// Names in an import file turned into records, once per file rather than once per row: clients (for a
// file that fills several), each client's contacts, locations and vendors, and tags. Names match
// ignoring case and accents, as ITFlow matches them; a name two records share is an error, never a guess.
import { authorize, canSeeClient, type Principal } from '../access/access.ts';
import type { Ctx } from '../platform/context.ts';
import { ForbiddenError, NotFoundError, ValidationError, type FieldIssue } from '../platform/errors.ts';
import { foldText } from '../platform/fields.ts';
import { checkNewContact, createContact } from '../contacts/contact.service.ts';
import { checkNewLocation, createLocation } from '../locations/location.service.ts';
import { checkNewVendor, createVendor } from '../vendors/vendor.service.ts';
import type { CreatedCounts, MissingMode } from './asset-import.types.ts';

type Named = { id: number; name: string; archived?: boolean };
type ClientTable = 'contacts' | 'locations' | 'vendors' | 'networks';
export type CreatableTable = keyof CreatedCounts;

/** Each kind of record an import may create, through its own service (its rules and who may). */
const CREATORS: Record<CreatableTable, { singular: string; check: typeof checkNewLocation; create: typeof createLocation }> = {
  locations: { singular: 'location', check: checkNewLocation, create: createLocation },
  contacts: { singular: 'contact', check: checkNewContact, create: createContact },
  vendors: { singular: 'vendor', check: checkNewVendor, create: createVendor },
};

/** A record a row names that the client does not have yet, to be created once for every row naming it. */
export interface PendingRecord {
  key: string;
  table: CreatableTable;
  heading: string;
  name: string;
  clientId: number;
}

/** Names of created records the report lists (the counts cover them all). */
const LISTED_NAMES = 50;

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
  /** Per pending key: the record created (its id, none while checking) or why it cannot be. */
  private readonly pending = new Map<string, { id?: number; problems: FieldIssue[] }>();
  readonly created: { counts: CreatedCounts; names: Record<CreatableTable, string[]> } = {
    counts: { locations: 0, contacts: 0, vendors: 0 },
    names: { locations: [], contacts: [], vendors: [] },
  };

  constructor(
    private readonly ctx: Ctx,
    private readonly principal: Principal,
  ) {}

  /** A contact, location or vendor of the client by name; undefined for an empty cell. */
  async record(table: ClientTable, heading: string, value: string | undefined, clientId: number, problems: FieldIssue[]): Promise<number | undefined> {
    if (!value) return undefined;
    const names = await this.namesOf(table, clientId);
    return one(names, value, heading, problems, (n) => `${n} records of this client are named "${value}"`, `this client has nothing named "${value}"`);
  }

  private async namesOf(table: ClientTable, clientId: number): Promise<Map<string, Named[]>> {
    const key = `${table}:${clientId}`;
    let names = this.perClient.get(key);
    if (!names) {
      // Archived records count too (an export names them), but an active one wins a shared name.
      const rows = await this.ctx.db.selectFrom(table).select(['id', 'name', 'archived_at']).where('client_id', '=', clientId).execute();
      names = byName(rows.map((r) => ({ id: r.id, name: r.name, archived: r.archived_at !== null })));
      this.perClient.set(key, names);
    }
    return names;
  }

  /**
   * A contact, location or vendor of the client by name, with the import's choice for a name the client
   * does not have: reject the row, leave the reference empty (a warning), or create the record (returned
   * as pending, created by `resolve` once the row is otherwise sound).
   */
  async reference(
    table: CreatableTable,
    heading: string,
    value: string | undefined,
    clientId: number,
    mode: MissingMode,
    row: { problems: FieldIssue[]; warnings: string[] },
  ): Promise<number | PendingRecord | undefined> {
    if (!value || mode === 'reject') return this.record(table, heading, value, clientId, row.problems);
    const found = (await this.namesOf(table, clientId)).get(foldText(value));
    if (found?.length) return this.record(table, heading, value, clientId, row.problems);
    if (mode === 'empty') {
      row.warnings.push(`${heading}: this client has no ${CREATORS[table].singular} named "${value}", so it is left empty`);
      return undefined;
    }
    return { key: `${table}:${clientId}:${foldText(value)}`, table, heading, name: value, clientId };
  }

  /**
   * Creates the pending record (or, while checking, checks that it could be created), once per name
   * and client however many rows name it; the first row to do so is told, and each row learns of a
   * refusal. Returns its id once created.
   */
  async resolve(record: PendingRecord, write: boolean, row: { problems: FieldIssue[]; creates?: string[] }): Promise<number | undefined> {
    let done = this.pending.get(record.key);
    if (!done) {
      done = { problems: [] };
      const creator = CREATORS[record.table];
      const input = { clientId: record.clientId, name: record.name };
      try {
        if (write) {
          done.id = (await creator.create(this.ctx, input)).id;
          // Later rows of the file find it like any other record of the client.
          (await this.namesOf(record.table, record.clientId)).set(foldText(record.name), [{ id: done.id, name: record.name }]);
        } else await creator.check(this.ctx, input);
        this.created.counts[record.table]++;
        if (this.created.names[record.table].length < LISTED_NAMES) this.created.names[record.table].push(record.name);
        (row.creates ??= []).push(`will create ${creator.singular} '${record.name}'`);
      } catch (error) {
        if (error instanceof ValidationError)
          done.problems = error.issues.map((i) => ({
            field: record.heading,
            code: i.code,
            message: `cannot create ${creator.singular} "${record.name}": ${i.message}`,
          }));
        else if (error instanceof ForbiddenError || error instanceof NotFoundError)
          done.problems = [
            { field: record.heading, code: 'forbidden', message: `you may not create ${record.table} in this client, and it has none named "${record.name}"` },
          ];
        else throw error;
      }
      this.pending.set(record.key, done);
    }
    row.problems.push(...done.problems);
    return done.id;
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
