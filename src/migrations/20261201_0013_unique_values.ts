// A contact's e-mail is unique within its client, ignoring case, as the contact rules have always
// checked; until now only the check enforced it, so two saves at once could both pass. A unique index
// now backs it (tags and list values already had theirs).
//
// Contacts that already share an e-mail are kept as they are, e-mail included: nothing is deleted or
// renamed. In each such group the oldest contact is covered by the index and the later ones are left
// out of it by id, so no new duplicate can join any group while the old ones stay readable and editable.
import { sql, type Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  // An older server still running during an upgrade must not add a duplicate between the read and the index.
  if (kit.dialect === 'postgres') await sql`lock table contacts in share mode`.execute(db);
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'client_id', sql<string>`lower(email)`.as('email')])
    .where('email', 'is not', null)
    .where('email', '!=', '')
    .orderBy('id')
    .execute();
  const first = new Set<string>();
  const later: number[] = [];
  for (const row of rows as Array<{ id: number; client_id: number; email: string }>) {
    const key = `${row.client_id}\u0000${row.email}`;
    if (first.has(key)) later.push(Number(row.id));
    else first.add(key);
  }
  // An index's condition cannot take parameters; the ids are integers read from the table just now.
  const leftOut = later.length ? sql` and id not in (${sql.join(later.map((id) => sql.lit(id)))})` : sql``;
  await sql`create unique index contacts_email on contacts (client_id, lower(email)) where email is not null and email <> ''${leftOut}`.execute(db);
}
