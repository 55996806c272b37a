// API keys: a random secret shown once; only its SHA-256 is stored (the secret has 190 bits of
// entropy, so a slow password hash adds nothing but latency on every request). A key acts with
// exactly its user's permissions and stops working when that user is disabled or archived.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { loadPrincipal, type Principal } from '../access/access.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { counterValue, nextCounterValue } from '../platform/db/counters.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalDate, requiredText, type Raw } from '../platform/fields.ts';

const PREFIX_LENGTH = 12;

export interface ApiKeyInfo {
  id: number;
  name: string;
  userId: number;
  userEmail: string;
  prefix: string;
  expiresOn: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a key for a user; returns the secret, which is never shown again. */
export async function createApiKey(ctx: Ctx, input: { userEmail: Raw; name: Raw; expiresOn?: Raw }): Promise<{ id: number; secret: string }> {
  const issues = new IssueList();
  const email = requiredText(issues, 'user', input.userEmail, 200).toLowerCase();
  const name = requiredText(issues, 'name', input.name, 255);
  const expiresOn = optionalDate(issues, 'expires', input.expiresOn);
  const today = nowIso(ctx).slice(0, 10);
  if (expiresOn && expiresOn < today) issues.add('expires', 'past', `${expiresOn} is already past`);
  const user = email
    ? await ctx.db.selectFrom('users').select(['id', 'status', 'archived_at']).where(sql`lower(email)`, '=', email).executeTakeFirst()
    : undefined;
  if (email && !user) issues.add('user', 'not_found', `no user has the email ${email}`);
  else if (user && (user.status !== 'active' || user.archived_at)) issues.add('user', 'inactive', `${email} is disabled or archived`);
  issues.throwIfAny();

  const secret = randomBytes(24).toString('base64url').replace(/[-_]/g, 'x');
  const { id } = await ctx.db
    .insertInto('api_keys')
    .values({
      user_id: user!.id,
      name,
      prefix: secret.slice(0, PREFIX_LENGTH),
      secret_hash: hashSecret(secret),
      expires_on: expiresOn,
      created_at: nowIso(ctx),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(ctx, { action: 'api_key.created', entityType: 'api_key', entityId: id, details: { name, user: email, expiresOn } });
  return { id, secret };
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKeyInfo[]> {
  const rows = await ctx.db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.user_id',
      'users.email',
      'api_keys.prefix',
      'api_keys.expires_on',
      'api_keys.created_at',
      'api_keys.last_used_at',
      'api_keys.last_used_ip',
      'api_keys.revoked_at',
    ])
    .orderBy('api_keys.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    userId: r.user_id,
    userEmail: r.email,
    prefix: r.prefix,
    expiresOn: r.expires_on,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    lastUsedIp: r.last_used_ip,
    revokedAt: r.revoked_at,
  }));
}

export async function revokeApiKey(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, (ctx) => revoke(ctx, id));
}

async function revoke(ctx: Ctx, id: number): Promise<void> {
  const result = await ctx.db
    .updateTable('api_keys')
    .set({ revoked_at: nowIso(ctx) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const exists = await ctx.db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new NotFoundError('API key', id);
    return;
  }
  await bumpAccessRevision(ctx);
  await recordAudit(ctx, { action: 'api_key.revoked', entityType: 'api_key', entityId: id });
}

/** Where a key was presented; `quiet` leaves a failure out of the audit log (a guess already refused). */
export interface KeyCheckDetails {
  endpoint?: string;
  userAgent?: string | null;
  quiet?: boolean;
}

/**
 * The part of a presented key that names a key (its public prefix, shown in the key list), so that
 * failures can be counted per key without keeping anything secret.
 */
export function apiKeyPrefix(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}

export interface ApiKeyAuth {
  keyId: number;
  keyName: string;
  principal: Principal;
}

/** Last use is kept to the minute: writing it on every request would make each read a write. */
async function recordKeyUse(ctx: Ctx, keyId: number, lastAt: string | null, lastIp: string | null, now: string): Promise<void> {
  const ip = ctx.ip ?? null;
  if (lastAt && lastIp === ip && Date.parse(now) - Date.parse(lastAt) < 60_000) return;
  await ctx.db.updateTable('api_keys').set({ last_used_at: now, last_used_ip: ip }).where('id', '=', keyId).execute();
}

/**
 * Marks that who may do what has changed (a key revoked, a user disabled or given another role or
 * client limits, a role's levels changed), in the caller's transaction. Every process compares this
 * revision on each request and forgets the keys it remembers when it moved, so the change takes effect
 * everywhere at once.
 */
export async function bumpAccessRevision(ctx: Ctx): Promise<void> {
  await nextCounterValue(ctx.db, 'access_revision');
}

/**
 * Remembers successful key checks for up to `ttlMs`, so a script's burst of requests costs one check
 * of the key and its user instead of four; any change of access (see bumpAccessRevision), in any
 * process, empties it before the next request is served.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { auth: ApiKeyAuth; until: number; revision: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 1_000,
  ) {}

  /**
   * The key's check, if this process made it lately under the access revision that is current now;
   * and that revision, to store with the next check of it.
   */
  async cached(ctx: Ctx, secret: string): Promise<{ auth: ApiKeyAuth | null; revision: number }> {
    const revision = await counterValue(ctx.db, ctx.dialect, 'access_revision');
    const hit = this.entries.get(hashSecret(secret));
    return { auth: hit && hit.revision === revision && hit.until > Date.now() ? hit.auth : null, revision };
  }

  /**
   * Checks the key against the database (see authenticateApiKey) and remembers a success under the
   * revision read before the check: if access changed while it ran, the entry is already stale.
   */
  async authenticate(ctx: Ctx, secret: string, revision: number, details: KeyCheckDetails = {}): Promise<ApiKeyAuth | null> {
    const auth = await authenticateApiKey(ctx, secret, details);
    const id = hashSecret(secret);
    if (auth) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(id, { auth, until: Date.now() + this.ttlMs, revision });
    } else {
      this.entries.delete(id);
    }
    return auth;
  }
}

/**
 * The key and its user's principal for a presented secret, or null. A key works through the end of its
 * expiry day (UTC). Success records last use; failure is written to the audit log.
 */
export async function authenticateApiKey(ctx: Ctx, secret: string, details: KeyCheckDetails = {}): Promise<ApiKeyAuth | null> {
  const fail = async (reason: string, keyId: number | null = null) => {
    if (details.quiet) return null;
    await recordAudit(ctx, {
      action: 'api_key.auth_failed',
      outcome: 'failure',
      entityType: 'api_key',
      entityId: keyId,
      userAgent: details.userAgent,
      details: { reason, endpoint: details.endpoint ?? null },
    });
    return null;
  };
  if (secret.length < PREFIX_LENGTH || secret.length > 200) return fail('malformed key');
  const key = await ctx.db.selectFrom('api_keys').selectAll().where('prefix', '=', secret.slice(0, PREFIX_LENGTH)).executeTakeFirst();
  if (!key) return fail('unknown key');
  const presented = Buffer.from(hashSecret(secret), 'hex');
  if (!timingSafeEqual(presented, Buffer.from(key.secret_hash, 'hex'))) return fail('wrong secret', key.id);
  if (key.revoked_at) return fail('revoked key', key.id);
  const now = nowIso(ctx);
  if (key.expires_on && key.expires_on < now.slice(0, 10)) return fail('expired key', key.id);
  const principal = await loadPrincipal(ctx, key.user_id);
  if (!principal) return fail("key's user is disabled or archived", key.id);
  // On SQLite not awaited: a read must not wait for the database's write lock to note the key's use.
  const noted = recordKeyUse(ctx, key.id, key.last_used_at, key.last_used_ip, now);
  if (ctx.dialect === 'sqlite') void noted.catch(() => undefined);
  else await noted;
  return { keyId: key.id, keyName: key.name, principal };
}
