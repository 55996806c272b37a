import argon2 from 'argon2';
import { sql } from 'kysely';
import { nowIso, type Ctx } from '../platform/context.ts';
import { IssueList } from '../platform/errors.ts';
import { optionalText, requiredText, type Raw } from '../platform/fields.ts';
import { getSetting } from '../settings/setting.service.ts';
import { checkNewPassword } from './password-policy.ts';

/** The seeded roles by their short CLI names. */
export const ROLE_NAMES = { admin: 'Administrator', technician: 'Technician', accountant: 'Accountant' } as const;

export interface User {
  id: number;
  email: string;
  name: string;
  roleId: number;
  roleName: string;
  status: 'active' | 'disabled';
}

/** Creates a user; `company` is the company's name when it is not saved yet (first-run setup). */
export async function createUser(ctx: Ctx, input: { email: Raw; name: Raw; password: Raw; role: Raw; company?: string }): Promise<User> {
  const issues = new IssueList();
  const email = requiredText(issues, 'email', input.email, 200).toLowerCase();
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) issues.add('email', 'email_invalid', `"${email}" is not an email address`);
  if (email && (await ctx.db.selectFrom('users').select('id').where(sql`lower(email)`, '=', email).executeTakeFirst())) {
    issues.add('email', 'taken', `a user with the email ${email} already exists`);
  }
  const name = requiredText(issues, 'name', input.name, 200);
  const company = input.company ?? (await companyName(ctx));
  const password = await checkNewPassword(issues, 'password', input.password, { email, name, company });
  const roleText = optionalText(issues, 'role', input.role, 200) ?? '';
  const roleName = ROLE_NAMES[roleText.toLowerCase() as keyof typeof ROLE_NAMES] ?? roleText;
  const role = await ctx.db
    .selectFrom('roles')
    .select(['id', 'name'])
    .where(sql`lower(name)`, '=', roleName.toLowerCase())
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!role) issues.add('role', 'unknown_value', `"${roleText}" is not a role; use admin, technician, accountant or a role's name`);
  issues.throwIfAny();

  const password_hash = await hashPassword(password);
  const { id } = await ctx.db
    .insertInto('users')
    .values({ email, name, password_hash, role_id: role!.id, status: 'active', created_at: nowIso(ctx), totp_recovery_codes: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, email, name, roleId: role!.id, roleName: role!.name, status: 'active' };
}

export async function countUsers(ctx: Ctx): Promise<number> {
  const row = await ctx.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The company's name (setup saves it), a word a guessable password often contains. */
export async function companyName(ctx: Ctx): Promise<string> {
  const name = await getSetting<unknown>(ctx, 'company.name', '');
  return typeof name === 'string' ? name : '';
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password);
}
