// Logins (credentials) of a client: secrets encrypted at rest, revealed only on purpose, and every
// reveal written to the audit log.
import { checkActingUserOnRecord } from '../access/record-access.ts';
import { checkActingUser, mayCreateInClient } from '../access/access.ts';
import type { Selectable, Updateable } from 'kysely';
import { canSeeClient, LEVELS, type Principal } from '../access/access.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { linkLogin, unlinkLogin } from '../assets/asset-links.service.ts';
import { currentTotpCode } from '../auth/two-factor.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalBool, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import { emitRecordEvent, emitRecordUpdate, setArchivedWithEvent } from '../webhooks/record-events.ts';
import type { SecretBox } from '../platform/secrets.ts';
import type { LoginTable } from './login.table.ts';

type LoginFieldsInput = { name?: Raw; description?: Raw; uri?: Raw; uri2?: Raw; notes?: Raw; contactId?: Raw; favorite?: Raw };

/**
 * The fields a login shows openly; the contact must be the client's. On create every field is read,
 * on update only those given (the rest keep their values).
 */
async function parseLoginFields(ctx: Ctx, issues: IssueList, input: LoginFieldsInput, clientId: number | null, mode: 'create' | 'update') {
  const wanted = (raw: Raw) => mode === 'create' || raw !== undefined;
  const values: Updateable<LoginTable> = {};
  if (wanted(input.name)) values.name = requiredText(issues, 'name', input.name, 200);
  if (wanted(input.description)) values.description = optionalText(issues, 'description', input.description, 500);
  if (wanted(input.uri)) values.uri = optionalText(issues, 'uri', input.uri, 500);
  if (wanted(input.uri2)) values.uri_2 = optionalText(issues, 'uri2', input.uri2, 500);
  if (wanted(input.notes)) values.notes = optionalText(issues, 'notes', input.notes, 65_535);
  if (wanted(input.favorite)) values.favorite = optionalBool(issues, 'favorite', input.favorite) ? 1 : 0;
  if (wanted(input.contactId)) values.contact_id = await sameClientRef(ctx, issues, 'contactId', input.contactId, 'contacts', 'contact', clientId);
  return values;
}

/** The secrets as given (null when empty); a TOTP key must be base32, spaces ignored. */
function parseSecrets(issues: IssueList, input: { username?: Raw; password?: Raw; otpSecret?: Raw }) {
  const username = optionalText(issues, 'username', input.username, 500);
  const password = optionalText(issues, 'password', input.password, 500);
  const otp = optionalText(issues, 'otpSecret', input.otpSecret, 200)?.replaceAll(' ', '').toUpperCase() ?? null;
  if (otp && !/^[A-Z2-7]+=*$/.test(otp)) issues.add('otpSecret', 'otp_invalid', 'is not a base32 TOTP secret');
  return { username, password, otp };
}

export interface LoginSecrets {
  username: string | null;
  password: string | null;
  otpSecret: string | null;
}

export async function createLogin(
  ctx: Ctx,
  box: SecretBox,
  input: {
    clientId: Raw;
    name: Raw;
    description?: Raw;
    uri?: Raw;
    uri2?: Raw;
    username?: Raw;
    password?: Raw;
    otpSecret?: Raw;
    notes?: Raw;
    favorite?: Raw;
    assetId?: Raw;
    contactId?: Raw;
  },
): Promise<{ id: number; name: string }> {
  return inTransaction(ctx, async (ctx) => {
    const issues = new IssueList();
    const clientId = mayCreateInClient(ctx, issues, 'credential', input.clientId) ? await requireActiveClient(ctx, issues, input.clientId) : null;
    const { username, password, otp } = parseSecrets(issues, input);
    const values = await parseLoginFields(ctx, issues, input, clientId, 'create');
    const assetId = await sameClientRef(ctx, issues, 'assetId', input.assetId, 'assets', 'asset', clientId);
    issues.throwIfAny();
    const at = nowIso(ctx);
    const row = await ctx.db
      .insertInto('logins')
      .values({
        ...values,
        name: values.name!,
        client_id: clientId!,
        created_at: at,
        password_changed_at: password ? at : null,
        username_secret: username === null ? null : box.encrypt(username),
        password_secret: password === null ? null : box.encrypt(password),
        otp_secret: otp === null ? null : box.encrypt(otp),
      })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    if (assetId !== null) await linkLogin(ctx, assetId, row.id);
    await emitRecordEvent(ctx, 'logins', 'created', row.id);
    return row;
  });
}

/** Who may see a login's secrets: whoever may read that client's logins, as the web pages' reveal asks. */
export function mayRevealLoginSecrets(principal: Principal, clientId: number): boolean {
  return canSeeClient(principal, clientId) && principal.levels.credential >= LEVELS.read;
}

export type StoredLogin = Pick<Selectable<LoginTable>, 'id' | 'client_id' | 'name' | 'username_secret' | 'password_secret' | 'otp_secret'>;

/** Decrypts the secrets of logins already read, for someone who asked to see them; one audit entry per login. */
export async function revealStoredLogins(ctx: Ctx, box: SecretBox, logins: StoredLogin[]): Promise<Map<number, LoginSecrets>> {
  const open = (v: string | null) => (v === null ? null : box.decrypt(v));
  const out = new Map<number, LoginSecrets>();
  for (const login of logins) {
    await recordAudit(ctx, {
      action: 'login.secret_revealed',
      clientId: login.client_id,
      entityType: 'login',
      entityId: login.id,
      details: { name: login.name },
    });
    out.set(login.id, { username: open(login.username_secret), password: open(login.password_secret), otpSecret: open(login.otp_secret) });
  }
  return out;
}

/** Decrypts a login's secrets for someone who asked to see them; the reveal is audited. */
export async function revealLoginSecrets(ctx: Ctx, box: SecretBox, loginId: number): Promise<LoginSecrets> {
  const row = await ctx.db
    .selectFrom('logins')
    .select(['id', 'client_id', 'name', 'username_secret', 'password_secret', 'otp_secret'])
    .where('id', '=', loginId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('login', loginId);
  // The acting user must be one who may reveal (mayRevealLoginSecrets: the client visible, logins readable).
  checkActingUser(ctx, 'credential', LEVELS.read, { clientId: row.client_id, entity: 'login', id: row.id });
  return (await revealStoredLogins(ctx, box, [row])).get(row.id)!;
}

const TOTP_PERIOD = 30;

/** The TOTP code of a key at this moment, and the seconds it stays valid. */
export function totpCodeNow(secret: string): { value: string; secondsLeft: number } {
  const now = Date.now();
  return { value: currentTotpCode(secret, now), secondsLeft: TOTP_PERIOD - (Math.floor(now / 1000) % TOTP_PERIOD) };
}

/**
 * The login's TOTP code now, for someone who may read the client's logins and already revealed this
 * one (that reveal was audited; the codes after it are not); null when no TOTP key is stored.
 */
export async function currentLoginCode(ctx: Ctx, box: SecretBox, loginId: number): Promise<{ value: string; secondsLeft: number } | null> {
  const row = await ctx.db.selectFrom('logins').select(['id', 'client_id', 'otp_secret']).where('id', '=', loginId).executeTakeFirst();
  if (!row) throw new NotFoundError('login', loginId);
  checkActingUser(ctx, 'credential', LEVELS.read, { clientId: row.client_id, entity: 'login', id: row.id });
  return row.otp_secret ? totpCodeNow(box.decrypt(row.otp_secret)) : null;
}

export interface LoginUpdate {
  name?: Raw;
  description?: Raw;
  uri?: Raw;
  uri2?: Raw;
  notes?: Raw;
  contactId?: Raw;
  favorite?: Raw;
  /** A new value replaces the stored secret; absent or empty keeps it. */
  username?: Raw;
  password?: Raw;
  otpSecret?: Raw;
  /** Removes the stored TOTP key. */
  clearOtp?: boolean;
  /** The asset the login belongs to (moved there, with history); blank or 0 unlinks it; absent keeps it. */
  assetId?: Raw;
}

/**
 * Changes the fields given (absent ones keep their values); secrets change only when a new value is
 * given (they are never shown back in a form).
 */
export async function updateLogin(ctx: Ctx, box: SecretBox, id: number, input: LoginUpdate): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'credential', 2, 'logins', 'login', id);
    const current = await ctx.db
      .selectFrom('logins')
      .select(['id', 'client_id', 'asset_id', 'name', 'description', 'uri', 'uri_2', 'notes', 'contact_id', 'favorite'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw new NotFoundError('login', id);
    const issues = new IssueList();
    const values = await parseLoginFields(ctx, issues, input, current.client_id, 'update');
    const { username, password, otp } = parseSecrets(issues, input);
    const assetId =
      input.assetId === undefined ? current.asset_id : await sameClientRef(ctx, issues, 'assetId', input.assetId, 'assets', 'asset', current.client_id);
    issues.throwIfAny();
    const at = nowIso(ctx);
    await ctx.db
      .updateTable('logins')
      .set({
        ...values,
        updated_at: at,
        ...(username !== null ? { username_secret: box.encrypt(username) } : {}),
        ...(password !== null ? { password_secret: box.encrypt(password), password_changed_at: at } : {}),
        ...(otp !== null ? { otp_secret: box.encrypt(otp) } : input.clearOtp ? { otp_secret: null } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (assetId !== current.asset_id) {
      if (assetId !== null) await linkLogin(ctx, assetId, id);
      else await unlinkLogin(ctx, current.asset_id!, id);
    }
    // The open fields only: a login's event never carries a secret, nor that one changed.
    await emitRecordUpdate(ctx, 'logins', id, current, { ...values, asset_id: assetId });
    await recordAudit(ctx, {
      action: 'login.updated',
      clientId: current.client_id,
      entityType: 'login',
      entityId: id,
      details: {
        secretsChanged: [username !== null && 'username', password !== null && 'password', (otp !== null || input.clearOtp) && 'otp'].filter(Boolean),
      },
    });
  });
}

export async function archiveLogin(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'credential', 2, 'logins', 'login', id);
  return setArchivedWithEvent(ctx, 'logins', 'login', id, true);
}

export async function restoreLogin(ctx: Ctx, id: number): Promise<boolean> {
  await checkActingUserOnRecord(ctx, 'credential', 2, 'logins', 'login', id);
  return setArchivedWithEvent(ctx, 'logins', 'login', id, false);
}

/** Deletes a login and its secrets for good; the asset it was linked to records the unlink. */
export async function deleteLogin(ctx: Ctx, id: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await checkActingUserOnRecord(ctx, 'credential', 3, 'logins', 'login', id);
    const login = await ctx.db.selectFrom('logins').select(['id', 'asset_id', 'client_id', 'name']).where('id', '=', id).executeTakeFirst();
    if (!login) throw new NotFoundError('login', id);
    if (login.asset_id !== null) await unlinkLogin(ctx, login.asset_id, id);
    await emitRecordEvent(ctx, 'logins', 'deleted', id);
    await ctx.db.deleteFrom('logins').where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'login.deleted', clientId: login.client_id, entityType: 'login', entityId: id, details: { name: login.name } });
  });
}
