// Logins (credentials) of a client: secrets encrypted at rest, revealed only on purpose, and every
// reveal written to the audit log.
import { recordAudit } from '../audit/audit.service.ts';
import { linkLogin } from '../assets/asset-links.service.ts';
import { inTransaction, nowIso, type Ctx } from '../platform/context.ts';
import { IssueList, NotFoundError } from '../platform/errors.ts';
import { optionalId, optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import type { SecretBox } from '../platform/secrets.ts';

export interface LoginSecrets {
  username: string | null;
  password: string | null;
  otpSecret: string | null;
}

export async function createLogin(
  ctx: Ctx,
  box: SecretBox,
  input: { clientId: Raw; name: Raw; description?: Raw; uri?: Raw; uri2?: Raw; username?: Raw; password?: Raw; otpSecret?: Raw; notes?: Raw; assetId?: Raw; contactId?: Raw },
): Promise<{ id: number; name: string }> {
  return inTransaction(ctx, async (ctx) => {
    const issues = new IssueList();
    const clientId = await requireActiveClient(ctx, issues, input.clientId);
    const username = optionalText(issues, 'username', input.username, 500);
    const password = optionalText(issues, 'password', input.password, 500);
    const otp = optionalText(issues, 'otpSecret', input.otpSecret, 200)?.replaceAll(' ', '').toUpperCase() ?? null;
    if (otp && !/^[A-Z2-7]+=*$/.test(otp)) issues.add('otpSecret', 'otp_invalid', 'is not a base32 TOTP secret');
    const assetId = optionalId(issues, 'assetId', input.assetId);
    const values = {
      name: requiredText(issues, 'name', input.name, 200),
      description: optionalText(issues, 'description', input.description, 500),
      uri: optionalText(issues, 'uri', input.uri, 500),
      uri_2: optionalText(issues, 'uri2', input.uri2, 500),
      notes: optionalText(issues, 'notes', input.notes, 65_535),
      contact_id: await sameClientRef(ctx, issues, 'contactId', input.contactId, 'contacts', 'contact', clientId),
    };
    await sameClientRef(ctx, issues, 'assetId', assetId, 'assets', 'asset', clientId);
    issues.throwIfAny();
    const at = nowIso(ctx);
    const row = await ctx.db
      .insertInto('logins')
      .values({
        ...values, client_id: clientId!, created_at: at, password_changed_at: password ? at : null,
        username_secret: username === null ? null : box.encrypt(username),
        password_secret: password === null ? null : box.encrypt(password),
        otp_secret: otp === null ? null : box.encrypt(otp),
      })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    if (assetId !== null) await linkLogin(ctx, assetId, row.id);
    return row;
  });
}

/** Decrypts a login's secrets for someone who asked to see them; the reveal is audited. */
export async function revealLoginSecrets(ctx: Ctx, box: SecretBox, loginId: number): Promise<LoginSecrets> {
  const row = await ctx.db.selectFrom('logins').select(['id', 'client_id', 'name', 'username_secret', 'password_secret', 'otp_secret']).where('id', '=', loginId).executeTakeFirst();
  if (!row) throw new NotFoundError('login', loginId);
  await recordAudit(ctx, { action: 'login.secret_revealed', clientId: row.client_id, entityType: 'login', entityId: row.id, details: { name: row.name } });
  const open = (v: string | null) => (v === null ? null : box.decrypt(v));
  return { username: open(row.username_secret), password: open(row.password_secret), otpSecret: open(row.otp_secret) };
}
