// /api/v1/credentials: a client's logins in ITFlow's keys and typing. ITFlow encrypts credentials with
// a key derived from `api_key_decrypt_password`; Steward keeps its encryption key on the server, so that
// parameter is accepted and ignored (never logged or echoed), and secrets are shown only to keys whose
// user may reveal them, each reveal audited as the web pages audit it.
import type { FastifyInstance } from 'fastify';
import { authorize } from '../access/access.ts';
import { createLogin, mayRevealLoginSecrets, revealStoredLogins, updateLogin, type LoginSecrets } from '../logins/login.service.ts';
import type { Store } from '../platform/db/store.ts';
import { ValidationError } from '../platform/errors.ts';
import type { SecretBox } from '../platform/secrets.ts';
import { readV1Credentials } from './v1.credentials.query.ts';
import { given, missing, paging, recordOfClient, requiredId, targetClient, v1Endpoint, type V1Input } from './v1.endpoint.ts';
import { created, datetime, failure, NOT_FOUND, str, written, type V1Row } from './v1.format.ts';

/** v1 key → the login service's input name. */
const FIELDS = {
  credential_name: 'name',
  credential_description: 'description',
  credential_uri: 'uri',
  credential_uri_2: 'uri2',
  credential_username: 'username',
  credential_password: 'password',
  credential_otp_secret: 'otpSecret',
  credential_note: 'notes',
  credential_favorite: 'favorite',
  credential_contact_id: 'contactId',
  credential_asset_id: 'assetId',
} as const;

const V1_KEY: Record<string, string> = { clientId: 'client_id', ...Object.fromEntries(Object.entries(FIELDS).map(([key, field]) => [field, key])) };

/** A service's field name in an error → the v1 key; names with `_` already are v1 keys. */
const fieldName = (field: string) => (field.includes('_') ? field : (V1_KEY[field] ?? field));

/**
 * Names from before ITFlow 2.0 renamed logins to credentials, which its official create.ps1 still
 * sends. `login_important` became `credential_important` (2.0) and then `credential_favorite` (2.4).
 */
const ALIASES: Record<string, string> = {
  login_id: 'credential_id',
  login_name: 'credential_name',
  login_description: 'credential_description',
  login_uri: 'credential_uri',
  login_uri_2: 'credential_uri_2',
  login_username: 'credential_username',
  login_password: 'credential_password',
  login_otp_secret: 'credential_otp_secret',
  login_note: 'credential_note',
  login_contact_id: 'credential_contact_id',
  login_asset_id: 'credential_asset_id',
  login_important: 'credential_favorite',
  credential_important: 'credential_favorite',
};

/** Links ITFlow has and Steward does not: "none" is accepted, anything else refused naming the key sent. */
const UNSUPPORTED: Record<string, string> = {
  credential_vendor_id: 'Steward does not link credentials to vendors',
  login_vendor_id: 'Steward does not link credentials to vendors',
  credential_software_id: 'Steward does not link credentials to software',
  login_software_id: 'Steward does not link credentials to software',
  credential_folder_id: 'Steward does not keep credentials in folders',
};

/** The input with old names read as the current ones; a current name sent wins over its old one. */
function withAliases(input: V1Input): V1Input {
  const out: V1Input = { ...input };
  for (const [old, current] of Object.entries(ALIASES)) {
    if (input[old] !== undefined && input[old] !== null && (out[current] === undefined || out[current] === null)) out[current] = input[old];
  }
  return out;
}

function refuseUnsupportedLinks(input: V1Input): void {
  const issues = Object.entries(UNSUPPORTED)
    .filter(([key]) => given(input, key) && input[key]!.trim() !== '0')
    .map(([key, message]) => ({ field: key, code: 'unsupported', message }));
  if (issues.length) throw new ValidationError(issues);
}

/** The service's input for the v1 fields sent (absent ones stay absent). */
function loginFields(input: V1Input): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(FIELDS)) if (input[key] !== undefined) out[field] = input[key];
  return out;
}

type CredentialRow = {
  id: number;
  client_id: number;
  asset_id: number | null;
  contact_id: number | null;
  name: string;
  description: string | null;
  uri: string | null;
  uri_2: string | null;
  username_secret: string | null;
  password_secret: string | null;
  otp_secret: string | null;
  notes: string | null;
  favorite: number | boolean;
  created_at: string;
  updated_at: string | null;
  archived_at: string | null;
  password_changed_at: string | null;
};

/** One row in ITFlow's column order; the secrets only when revealed. */
function format(row: CredentialRow, secrets: LoginSecrets | undefined): V1Row {
  return {
    credential_id: str(row.id),
    credential_name: row.name,
    credential_description: row.description,
    credential_category: null,
    credential_uri: row.uri,
    credential_uri_2: row.uri_2,
    credential_username: secrets?.username ?? null,
    credential_password: secrets?.password ?? null,
    credential_otp_secret: secrets?.otpSecret ?? null,
    credential_note: row.notes,
    credential_favorite: str(Boolean(row.favorite)),
    credential_created_at: datetime(row.created_at),
    credential_updated_at: datetime(row.updated_at),
    credential_archived_at: datetime(row.archived_at),
    credential_accessed_at: null,
    credential_password_changed_at: datetime(row.password_changed_at),
    credential_folder_id: '0',
    credential_contact_id: str(row.contact_id, '0'),
    credential_asset_id: str(row.asset_id, '0'),
    credential_client_id: str(row.client_id),
  };
}

export function registerV1Credentials(app: FastifyInstance, store: Store, secrets: () => SecretBox): void {
  v1Endpoint(app, store, 'credentials', 'read', 'GET', async ({ ctx, principal, input: raw }) => {
    authorize(principal, 'credential', 1);
    const input = withAliases(raw);
    const clientId = given(input, 'client_id') ? requiredId(input, 'client_id') : null;
    const single = given(input, 'credential_id');
    const id = single ? requiredId(input, 'credential_id') : null;
    const page = single ? null : { limit: paging(input, 'limit', 50), offset: paging(input, 'offset', 0) };
    const rows = await readV1Credentials(ctx, { clientId, id, page });
    if (rows.length === 0) return failure(NOT_FOUND);
    const revealed = await revealStoredLogins(
      ctx,
      secrets(),
      rows.filter((r) => mayRevealLoginSecrets(principal, r.client_id)),
    );
    return { success: 'True', count: rows.length, data: rows.map((r) => format(r, revealed.get(r.id))) };
  });

  v1Endpoint(
    app,
    store,
    'credentials',
    'create',
    'POST',
    async (call) => {
      authorize(call.principal, 'credential', 2);
      const input = withAliases(call.input);
      const clientId = targetClient({ ...call, input });
      // ITFlow refuses a credential without a password.
      if (!given(input, 'credential_password') || input.credential_password!.trim() === '') {
        throw new ValidationError([{ field: 'credential_password', code: 'required', message: 'is required' }]);
      }
      refuseUnsupportedLinks(call.input);
      const fields = loginFields(input);
      const login = await createLogin(call.ctx, secrets(), { ...fields, name: fields.name, clientId });
      return created(login.id);
    },
    fieldName,
  );

  v1Endpoint(
    app,
    store,
    'credentials',
    'update',
    'POST',
    async (call) => {
      const raw = call.input;
      authorize(call.principal, 'credential', 2);
      const input = withAliases(raw);
      const record = await recordOfClient({ ...call, input }, 'logins', 'credential_id', 'credential', 2);
      if (!record) return missing('credential', input);
      refuseUnsupportedLinks(raw);
      await updateLogin(call.ctx, secrets(), record.id, loginFields(input));
      return written(1);
    },
    fieldName,
  );
}
