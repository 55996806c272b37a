// API keys: a random secret shown once; only its SHA-256 is stored (the secret has 190 bits of
// entropy, so a slow password hash adds nothing but latency on every request). A key acts with
// exactly its user's permissions and stops working when that user is disabled or archived; a key's
// scope (read only, some modules, some clients: access/key-scope.ts) narrows those further.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { canSeeClient, loadPrincipal, MODULES, type Module, type Principal } from '../access/access.ts';
import { isScoped, narrowPrincipal, NO_SCOPE, scopeInWords, type ApiKeyScope } from '../access/key-scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { counterValue, nextCounterValue } from '../platform/db/counters.ts';
import { ForbiddenError, IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalBool, optionalDate, optionalId, requiredText, type Raw } from '../platform/fields.ts';

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
  readOnly: boolean;
  /** Modules the key is limited to; null: all of its user's. */
  modules: Module[] | null;
  /** Clients the key is limited to; null: all its user sees. */
  clientIds: number[] | null;
  /** The scope in words: "Read only · Assets · 2 clients", "Same as its user". */
  scope: string;
}

export interface NewApiKey {
  userEmail: Raw;
  name: Raw;
  expiresOn?: Raw;
  /** yes/no; blank: no. */
  readOnly?: Raw;
  /** Module names, as a list or comma-separated; absent or null: every module of the user. */
  modules?: Raw;
  /** Client ids, as a list or comma-separated; absent or null: every client the user sees. */
  clientIds?: Raw;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A list given as an array or as comma-separated text; null when not given at all. */
function listOf(raw: Raw): unknown[] | null {
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw)) return raw.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  if (typeof raw === 'string' || typeof raw === 'number')
    return String(raw)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  return [raw];
}

/** The modules of a scope: each a known module name; an empty list is refused (leave it out for all). */
function scopeModules(issues: IssueList, raw: Raw): Module[] | null {
  const list = listOf(raw);
  if (list === null) return null;
  if (list.length === 0) issues.add('modules', 'required', `name at least one module (${MODULES.join(', ')}), or leave it out for all`);
  const unknown = list.filter((m) => !(MODULES as readonly unknown[]).includes(m));
  if (unknown.length) issues.add('modules', 'invalid', `${unknown.map((m) => `"${String(m)}"`).join(', ')} is not a module; modules are ${MODULES.join(', ')}`);
  return MODULES.filter((m) => list.includes(m));
}

/**
 * The clients of a scope: ids of existing clients that the key's user may see (a key only narrows its
 * user's rights); an empty list is refused (leave it out for all).
 */
async function scopeClients(ctx: Ctx, issues: IssueList, raw: Raw, user: Principal | null, email: string): Promise<number[] | null> {
  const list = listOf(raw);
  if (list === null) return null;
  if (list.length === 0) issues.add('clients', 'required', 'name at least one client, or leave it out for all the clients its user sees');
  const ids = new Set<number>();
  for (const item of list) {
    const id = optionalId(issues, 'clients', item);
    if (id !== null) ids.add(id);
  }
  if (ids.size === 0) return [];
  const found = await ctx.db
    .selectFrom('clients')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  for (const id of ids) {
    const client = found.find((c) => c.id === id);
    if (!client) issues.add('clients', 'not_found', `client ${id} does not exist`);
    else if (user && !canSeeClient(user, id))
      issues.add('clients', 'not_visible', `${email} may not see ${client.name} (client ${id}); a key can only narrow its user's clients`);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Creates a key for a user, with its scope; returns the secret, which is never shown again. */
export async function createApiKey(ctx: Ctx, input: NewApiKey): Promise<{ id: number; secret: string }> {
  // Only administrators hand out keys (and so a scoped key, which is never one, cannot widen itself).
  if (ctx.principal && !ctx.principal.isAdmin) throw new ForbiddenError(`${ctx.principal.name} is not an administrator`);
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
  const readOnly = optionalBool(issues, 'read_only', input.readOnly) ?? false;
  const modules = scopeModules(issues, input.modules);
  const principal = user && user.status === 'active' && !user.archived_at ? await loadPrincipal(ctx, user.id) : null;
  const clientIds = await scopeClients(ctx, issues, input.clientIds, principal, email);
  issues.throwIfAny();
  const scope: ApiKeyScope = { readOnly, modules, clientIds };

  const secret = randomBytes(24).toString('base64url').replace(/[-_]/g, 'x');
  return inTransaction(ctx, async (ctx) => {
    const { id } = await ctx.db
      .insertInto('api_keys')
      .values({
        user_id: user!.id,
        name,
        prefix: secret.slice(0, PREFIX_LENGTH),
        secret_hash: hashSecret(secret),
        expires_on: expiresOn,
        created_at: nowIso(ctx),
        read_only: readOnly ? 1 : 0,
        scope_modules: modules ? modules.join(',') : null,
        scope_client_ids: clientIds ? clientIds.join(',') : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: id,
      details: { name, user: email, expiresOn, ...(isScoped(scope) ? { scope } : {}) },
    });
    return { id, secret };
  });
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKeyInfo[]> {
  requireKeyAdministrator(ctx);
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
      'api_keys.read_only',
      'api_keys.scope_modules',
      'api_keys.scope_client_ids',
    ])
    .orderBy('api_keys.id')
    .execute();
  return rows.map((r) => ({
    ...scopeFields(scopeOf(r)),
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

/** A key's stored scope. */
function scopeOf(row: { read_only: number | boolean; scope_modules: string | null; scope_client_ids: string | null }): ApiKeyScope {
  if (!row.read_only && row.scope_modules === null && row.scope_client_ids === null) return NO_SCOPE;
  const modules = row.scope_modules === null ? null : MODULES.filter((m) => row.scope_modules!.split(',').includes(m));
  const clientIds = row.scope_client_ids === null ? null : row.scope_client_ids.split(',').filter(Boolean).map(Number);
  return { readOnly: Boolean(row.read_only), modules, clientIds };
}

function scopeFields(scope: ApiKeyScope) {
  return { readOnly: scope.readOnly, modules: scope.modules, clientIds: scope.clientIds, scope: scopeInWords(scope) };
}

/** Only administrators see and manage keys (the CLI, acting as the system, may too). */
export function requireKeyAdministrator(ctx: Ctx): void {
  if (ctx.principal && !ctx.principal.isAdmin) throw new ForbiddenError(`${ctx.principal.name} is not an administrator`);
}

export async function revokeApiKey(ctx: Ctx, id: number): Promise<void> {
  requireKeyAdministrator(ctx);
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
  /** The key's user's principal, narrowed by the key's scope. */
  principal: Principal;
  scope: ApiKeyScope;
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
  const user = await loadPrincipal(ctx, key.user_id);
  if (!user) return fail("key's user is disabled or archived", key.id);
  const scope = scopeOf(key);
  const principal = narrowPrincipal(user, scope);
  // On SQLite not awaited: a read must not wait for the database's write lock to note the key's use.
  const noted = recordKeyUse(ctx, key.id, key.last_used_at, key.last_used_ip, now);
  if (ctx.dialect === 'sqlite') void noted.catch(() => undefined);
  else await noted;
  return { keyId: key.id, keyName: key.name, principal, scope };
}
