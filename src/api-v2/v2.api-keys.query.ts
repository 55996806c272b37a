// The reads of /api/v2/api-keys (administrators only): a page of keys with the list's filters and
// sort, and one key: its public prefix, name, user, expiry, last use, revocation and scope. Never the
// secret's hash.
import { sql, type SqlBool } from 'kysely';
import { requireKeyAdministrator } from '../accounts/api-key.service.ts';
import type { Ctx } from '../platform/context.ts';
import { foldedContains } from '../platform/db/fold.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { V2Call } from './v2.call.ts';
import { applyPage, filterConditions, pageRows, type ListFields } from './v2.list.ts';
import type { ListRequest } from './v2.resource.ts';

export interface ApiKeyRow {
  id: number;
  name: string;
  user_id: number;
  user_email: string;
  prefix: string;
  expires_on: string | null;
  created_at: string;
  last_used_at: string | null;
  last_used_ip: string | null;
  revoked_at: string | null;
  read_only: number | boolean;
  scope_modules: string | null;
  scope_client_ids: string | null;
}

export const apiKeyFields: ListFields = {
  id: { column: 'api_keys.id', type: 'integer' },
  name: { column: 'api_keys.name', type: 'text' },
  user_id: { column: 'api_keys.user_id', type: 'integer' },
  user_email: { column: 'users.email', type: 'text' },
  prefix: { column: 'api_keys.prefix', type: 'text' },
  expires_on: { column: 'api_keys.expires_on', type: 'date', nullable: true },
  last_used_at: { column: 'api_keys.last_used_at', type: 'time', nullable: true },
  revoked_at: { column: 'api_keys.revoked_at', type: 'time', nullable: true },
  read_only: { column: 'api_keys.read_only', type: 'boolean' },
  created_at: { column: 'api_keys.created_at', type: 'time' },
};

function keyQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.user_id',
      'users.email as user_email',
      'api_keys.prefix',
      'api_keys.expires_on',
      'api_keys.created_at',
      'api_keys.last_used_at',
      'api_keys.last_used_ip',
      'api_keys.revoked_at',
      'api_keys.read_only',
      'api_keys.scope_modules',
      'api_keys.scope_client_ids',
    ]);
}

export async function listApiKeyRows({ call, query, page }: ListRequest): Promise<{ rows: ApiKeyRow[]; cursor: string | null }> {
  const ctx = { ...call.ctx, principal: call.principal };
  requireKeyAdministrator(ctx);
  let q = keyQuery(ctx);
  for (const condition of filterConditions(ctx.dialect, apiKeyFields, query)) q = q.where(condition);
  if (typeof query.updated_since === 'string') q = q.where(sql<SqlBool>`coalesce(api_keys.revoked_at, api_keys.created_at) >= ${query.updated_since}`);
  if (typeof query.q === 'string' && query.q.trim()) {
    const term = query.q.trim();
    q = q.where(sql<SqlBool>`(${foldedContains(ctx.dialect, sql.ref('api_keys.name'), term)} or ${foldedContains(ctx.dialect, sql.ref('users.email'), term)})`);
  }
  const rows = (await applyPage(q, page, 'api_keys.id').execute()) as unknown as Array<ApiKeyRow & Record<string, unknown>>;
  return pageRows(rows, page, (r) => r.id);
}

export async function readApiKeyRow(call: V2Call, ctx: Ctx, id: number): Promise<ApiKeyRow> {
  requireKeyAdministrator({ ...ctx, principal: call.principal });
  const row = await keyQuery(ctx).where('api_keys.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('API key', id);
  return row as ApiKeyRow;
}
