// The account a sign-in names: found by its email, ignoring case, with what the sign-in checks (the
// password's hash, whether the account is active).
import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';

/** The user with this email (already trimmed and lower-cased), or undefined. */
export function findSignInUser(ctx: Ctx, email: string) {
  return ctx.db.selectFrom('users').select(['id', 'name', 'password_hash', 'status', 'archived_at']).where(sql`lower(email)`, '=', email).executeTakeFirst();
}
