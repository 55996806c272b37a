// Optional two-factor sign-in per user: a TOTP seed (RFC 6238, as authenticator apps use) kept
// encrypted, and ten one-time recovery codes kept only as hashes.
import { createHash, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { verifyPassword } from '../accounts/user.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { ValidationError } from '../platform/errors.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { ensureSecondFactorState } from './second-factor-guard.service.ts';

const ISSUER = 'Steward';
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** Whether a 6-digit code is right now (or one step either side, for clock drift). */
export function totpCodeIsValid(secret: string, code: string, at: number = Date.now()): boolean {
  const token = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(token) && totp(secret, 'check').validate({ token, window: 1, timestamp: at }) !== null;
}

/** The current code, for tests. */
export function currentTotpCode(secret: string, at: number = Date.now()): string {
  return totp(secret, 'code').generate({ timestamp: at });
}

const hashCode = (code: string) => createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');

function newRecoveryCode(): string {
  const pick = () => Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${pick()}-${pick()}`;
}

function parseCodes(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((c): c is string => typeof c === 'string');
  if (typeof raw === 'string') return parseCodes(JSON.parse(raw));
  return [];
}

/**
 * Turns two-factor sign-in on once the user proves their app has the seed (a valid code). Returns
 * the recovery codes, shown once.
 */
export async function enableTwoFactor(ctx: Ctx, box: SecretBox, userId: number, secret: string, code: string): Promise<string[]> {
  if (!/^[A-Z2-7]{32}$/.test(secret)) throw new ValidationError([{ field: 'secret', code: 'invalid', message: 'the setup key is damaged; start again' }]);
  const step = totpStepOf(secret, code, new Date(nowIso(ctx)).getTime());
  if (step === null)
    throw new ValidationError([
      { field: 'code', code: 'wrong_code', message: 'that code is not right; check the time on your phone and try the current code' },
    ]);
  const codes = Array.from({ length: 10 }, newRecoveryCode);
  await inTransaction(ctx, async (ctx) => {
    // The code that proved the app is used up: it cannot sign in a moment later too.
    await ctx.db
      .insertInto('second_factor_state')
      .values({ user_id: userId, last_totp_step: step, locked_until: null })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_totp_step: step }))
      .execute();
    await ctx.db
      .updateTable('users')
      .set({ totp_secret: box.encrypt(secret), totp_recovery_codes: JSON.stringify(codes.map(hashCode)) })
      .where('id', '=', userId)
      .execute();
    await recordAudit(ctx, { action: 'user.two_factor_enabled', entityType: 'user', entityId: userId });
  });
  return codes;
}

/** Whether the password is the user's own: turning two-factor sign-in off asks for it again. */
export async function passwordConfirms(ctx: Ctx, userId: number, password: string): Promise<boolean> {
  const user = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  return verifyPassword(user.password_hash, password).catch(() => false);
}

export async function disableTwoFactor(ctx: Ctx, userId: number): Promise<void> {
  await inTransaction(ctx, async (ctx) => {
    await ctx.db.updateTable('users').set({ totp_secret: null, totp_recovery_codes: null }).where('id', '=', userId).execute();
    await recordAudit(ctx, { action: 'user.two_factor_disabled', entityType: 'user', entityId: userId });
  });
}

export async function twoFactorStatus(ctx: Ctx, userId: number): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const row = await ctx.db.selectFrom('users').select(['totp_secret', 'totp_recovery_codes']).where('id', '=', userId).executeTakeFirst();
  return { enabled: Boolean(row?.totp_secret), recoveryCodesLeft: parseCodes(row?.totp_recovery_codes ?? null).length };
}

/** The time step of a code that is right now (or one step either side, for clock drift), or null. */
export function totpStepOf(secret: string, code: string, at: number = Date.now()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret, 'check').validate({ token, window: 1, timestamp: at });
  return delta === null ? null : Math.floor(at / 1000 / 30) + delta;
}

/**
 * Checks a code from the app, or uses up one recovery code. An app code is accepted once: only a
 * time step later than the last one accepted for the user passes ('used' otherwise), decided by one
 * conditional update, so two sign-ins with the same code cannot both pass.
 */
export async function checkSecondFactor(ctx: Ctx, box: SecretBox, userId: number, input: string): Promise<'code' | 'recovery' | 'used' | null> {
  const row = await ctx.db.selectFrom('users').select(['totp_secret']).where('id', '=', userId).executeTakeFirst();
  if (!row?.totp_secret) return null;
  const step = totpStepOf(box.decrypt(row.totp_secret), input, new Date(nowIso(ctx)).getTime());
  if (step !== null) return (await acceptTotpStep(ctx, userId, step)) ? 'code' : 'used';
  return (await useRecoveryCode(ctx, userId, input)) ? 'recovery' : null;
}

async function acceptTotpStep(ctx: Ctx, userId: number, step: number): Promise<boolean> {
  await ensureSecondFactorState(ctx, userId);
  const result = await ctx.db
    .updateTable('second_factor_state')
    .set({ last_totp_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_totp_step', 'is', null), eb('last_totp_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Takes one recovery code out of the user's list, if it is there. The list is written back only if it
 * is still the one read (compare and set), so two sign-ins with the same code cannot both use it.
 */
async function useRecoveryCode(ctx: Ctx, userId: number, input: string): Promise<boolean> {
  const hash = hashCode(input);
  for (let tries = 0; tries < 5; tries++) {
    const row = await ctx.db.selectFrom('users').select(['totp_recovery_codes']).where('id', '=', userId).executeTakeFirst();
    const raw = row?.totp_recovery_codes ?? null;
    const hashes = parseCodes(raw);
    const index = hashes.indexOf(hash);
    if (raw === null || index === -1) return false;
    hashes.splice(index, 1);
    const read = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const result = await ctx.db
      .updateTable('users')
      .set({ totp_recovery_codes: JSON.stringify(hashes) })
      .where('id', '=', userId)
      .where('totp_recovery_codes', '=', read)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      await recordAudit(ctx, { action: 'user.recovery_code_used', entityType: 'user', entityId: userId, details: { left: hashes.length } });
      return true;
    }
  }
  return false;
}

export async function usesTwoFactor(ctx: Ctx, userId: number): Promise<boolean> {
  const row = await ctx.db.selectFrom('users').select('totp_secret').where('id', '=', userId).executeTakeFirst();
  return Boolean(row?.totp_secret);
}
