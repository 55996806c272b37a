// Passwords (issue 16): a user whose password an administrator reset must choose a new one at their next
// sign-in. The flag is on the user, not on a session: the reset ends every session of the user, and
// each session started afterwards stays on the "choose a new password" page until the flag is cleared.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', kit.bool, (c) => c.notNull().defaultTo(kit.no))
    .execute();
}
