// Optional two-factor sign-in per user: a TOTP seed (RFC 6238, as authenticator apps use) kept
// encrypted, and ten one-time recovery codes kept only as hashes.
import { createHash, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { ValidationError } from '../platform/errors.ts';
import type { SecretBox } from '../platform/secrets.ts';

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
  if (!totpCodeIsValid(secret, code)) throw new ValidationError([{ field: 'code', code: 'wrong_code', message: 'that code is not right; check the time on your phone and try the current code' }]);
  const codes = Array.from({ length: 10 }, newRecoveryCode);
  await inTransaction(ctx, async (ctx) => {
    await ctx.db
      .updateTable('users')
      .set({ totp_secret: box.encrypt(secret), totp_recovery_codes: JSON.stringify(codes.map(hashCode)) })
      .where('id', '=', userId)
      .execute();
    await recordAudit(ctx, { action: 'user.two_factor_enabled', entityType: 'user', entityId: userId });
  });
  return codes;
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

/** Checks a code from the app, or uses up one recovery code. */
export async function checkSecondFactor(ctx: Ctx, box: SecretBox, userId: number, input: string): Promise<'code' | 'recovery' | null> {
  const row = await ctx.db.selectFrom('users').select(['totp_secret', 'totp_recovery_codes']).where('id', '=', userId).executeTakeFirst();
  if (!row?.totp_secret) return null;
  if (totpCodeIsValid(box.decrypt(row.totp_secret), input)) return 'code';
  const hashes = parseCodes(row.totp_recovery_codes);
  const index = hashes.indexOf(hashCode(input));
  if (index === -1) return null;
  hashes.splice(index, 1);
  await ctx.db.updateTable('users').set({ totp_recovery_codes: JSON.stringify(hashes) }).where('id', '=', userId).execute();
  await recordAudit(ctx, { action: 'user.recovery_code_used', entityType: 'user', entityId: userId, details: { left: hashes.length } });
  return 'recovery';
}

export async function usesTwoFactor(ctx: Ctx, userId: number): Promise<boolean> {
  const row = await ctx.db.selectFrom('users').select('totp_secret').where('id', '=', userId).executeTakeFirst();
  return Boolean(row?.totp_secret);
}
