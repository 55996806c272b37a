// What the administration pages read besides users and roles (user-admin.service.ts): every client by
// name, archived ones too, to name a user's client limits and to offer them in the form. These pages are
// for administrators only (admin-guard.ts), who see every client.
import type { Ctx } from '../platform/context.ts';

export function allClientChoices(ctx: Ctx): Promise<Array<{ id: number; name: string }>> {
  return ctx.db.selectFrom('clients').select(['id', 'name']).orderBy('name').execute();
}
