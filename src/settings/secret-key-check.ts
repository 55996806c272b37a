// The instance key must be the one the database's secrets were encrypted with. A lost or wrong key used
// to go unnoticed (a new key file was simply made) until every login reveal, TOTP code and two-factor
// sign-in failed; now Steward refuses to start and says how to supply the right key. A check value,
// encrypted with the key at first run, tells at once whether a key fits.
import type { Ctx } from '../platform/context.ts';
import { ConfigError, type Config } from '../platform/config.ts';
import { createKeyFile, keySource, readSecretBox, type SecretBox } from '../platform/secrets.ts';
import { getSetting } from './setting.service.ts';

const CHECK_SETTING = 'secrets.key_check';
const CHECK_TEXT = 'steward secret key check';

export class SecretKeyMismatchError extends ConfigError {}

/** One sealed value from the database, if it holds any: a login's secret or a user's TOTP seed. */
async function anySealedSecret(ctx: Ctx): Promise<string | null> {
  const login = await ctx.db
    .selectFrom('logins')
    .select(['password_secret', 'username_secret', 'otp_secret'])
    .where((eb) => eb.or([eb('password_secret', 'is not', null), eb('username_secret', 'is not', null), eb('otp_secret', 'is not', null)]))
    .limit(1)
    .executeTakeFirst();
  if (login) return login.password_secret ?? login.username_secret ?? login.otp_secret;
  const user = await ctx.db.selectFrom('users').select('totp_secret').where('totp_secret', 'is not', null).limit(1).executeTakeFirst();
  return user?.totp_secret ?? null;
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.decrypt(sealed);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure the configured key opens the database's secrets, creating the key file for a new
 * installation. Throws SecretKeyMismatchError, whose message says what to do, when it does not.
 */
export async function checkSecretKey(ctx: Ctx, config: Pick<Config, 'secretKey' | 'dataDir'>): Promise<SecretBox> {
  const check = await getSetting<string | null>(ctx, CHECK_SETTING, null);
  const sealed = check ?? (await anySealedSecret(ctx));
  let box = readSecretBox(config);
  if (!box) {
    if (sealed) {
      throw new SecretKeyMismatchError(
        `this database holds secrets encrypted with a key that is not here (no STEWARD_SECRET_KEY and no ${keySource(config)}). ` +
          'Put the secret.key file from the old data directory or backup back in place, or set STEWARD_SECRET_KEY to the same key; Steward will not start with a new key, which could not open them.',
      );
    }
    createKeyFile(config);
    box = readSecretBox(config)!;
  }
  if (sealed && !opens(box, sealed)) {
    throw new SecretKeyMismatchError(
      `the secret key from ${keySource(config)} does not open this database's secrets (login passwords, TOTP seeds): it is not the key they were encrypted with. ` +
        'Supply the original key (the secret.key file of the old data directory or backup, or the STEWARD_SECRET_KEY the other servers use).',
    );
  }
  if (!check) {
    // Only if still absent: two servers starting together on a new database must not each store a check
    // value of their own key. The one that loses reads the winner's, and refuses a key that differs.
    const at = new Date().toISOString();
    await ctx.db
      .insertInto('settings')
      .values({ key: CHECK_SETTING, value: JSON.stringify(box.encrypt(CHECK_TEXT)), updated_at: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await getSetting<string | null>(ctx, CHECK_SETTING, null);
    if (stored && !opens(box, stored)) {
      throw new SecretKeyMismatchError(
        `the secret key from ${keySource(config)} is not the key another server set up this database with; give every server the same STEWARD_SECRET_KEY`,
      );
    }
  }
  return box;
}
