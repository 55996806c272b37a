// Web sessions, kept in the database so that several app servers (or server processes) share them.
// The browser holds a random token; the table holds only its SHA-256, so a copy of the database
// does not let anyone sign in. Each session has its own CSRF token.
import { createHash, randomBytes } from 'node:crypto';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { nowIso, type Ctx } from '../platform/context.ts';

/** Signed out after this long without a request, and in any case this long after signing in. */
export const IDLE_MS = 12 * 60 * 60 * 1000;
export const ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_MS = 60 * 1000;

export interface WebSession {
  id: string;
  userId: number;
  userName: string;
  email: string;
  csrfToken: string;
  principal: Principal;
  /** False between the password and the code of a user with two-factor sign-in. */
  secondFactorDone: boolean;
  /** An administrator reset the password: the user chooses a new one before anything else. */
  mustChangePassword: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session for a user who has just proven who they are; returns the browser's token. */
export async function startSession(
  ctx: Ctx,
  userId: number,
  details: { ip?: string | null; userAgent?: string | null },
  secondFactorDone = true,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date(nowIso(ctx));
  await ctx.db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      user_id: userId,
      csrf_token: randomBytes(24).toString('base64url'),
      second_factor_done: secondFactorDone ? 1 : 0,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ABSOLUTE_MS).toISOString(),
      ip: details.ip ?? null,
      user_agent: details.userAgent?.slice(0, 255) ?? null,
    })
    .execute();
  if (secondFactorDone) await ctx.db.updateTable('users').set({ last_login_at: now.toISOString() }).where('id', '=', userId).execute();
  return token;
}

/** The live session for a browser token, or null (unknown, expired, idle too long, user disabled). */
export async function findSession(ctx: Ctx, token: string): Promise<WebSession | null> {
  if (!token || token.length > 100) return null;
  const id = hashToken(token);
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.second_factor_done',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.name',
      'users.email',
      'users.must_change_password',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = new Date(nowIso(ctx)).getTime();
  if (Date.parse(row.expires_at) <= now || Date.parse(row.last_seen_at) + IDLE_MS <= now) {
    await endSession(ctx, token);
    return null;
  }
  const principal = await loadPrincipal(ctx, row.user_id);
  if (!principal) return null;
  if (Date.parse(row.last_seen_at) + TOUCH_MS <= now) {
    // Not awaited: a page that only reads must not wait for the database's write lock (SQLite) to
    // note that the session is alive; a touch that fails is simply made on a later request.
    void ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute()
      .catch(() => undefined);
  }
  return {
    id,
    userId: row.user_id,
    userName: row.name,
    email: row.email,
    csrfToken: row.csrf_token,
    principal,
    secondFactorDone: Boolean(row.second_factor_done),
    mustChangePassword: Boolean(row.must_change_password),
  };
}

/** The code was right: the session now counts as signed in. */
export async function completeSecondFactor(ctx: Ctx, session: WebSession): Promise<void> {
  await ctx.db.updateTable('sessions').set({ second_factor_done: 1 }).where('id', '=', session.id).execute();
  await ctx.db
    .updateTable('users')
    .set({ last_login_at: nowIso(ctx) })
    .where('id', '=', session.userId)
    .execute();
}

export async function endSession(ctx: Ctx, token: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}
