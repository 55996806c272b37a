// Administration of what every user shares (administrators only): roles and their module levels, the
// edited lists and tags, company settings and audit retention, and the audit-log viewer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MODULES } from '../access/access.ts';
import type { WebSession } from '../auth/session.service.ts';
import { readAuditLog, type AuditFilters } from '../audit/audit.query.ts';
import { auditRetentionDays, recordAudit, setAuditRetentionDays } from '../audit/audit.service.ts';
import { addListValue, listValues, setListValueArchived } from '../lists/list.service.ts';
import type { ListName } from '../lists/list.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { getSetting, setSetting } from '../settings/setting.service.ts';
import { privateTargetsAllowed, setPrivateTargetsAllowed } from '../webhooks/webhook-target.ts';
import { createTag, listTags, setTagColor } from '../tags/tag.service.ts';
import { setFlash } from '../web/flash.ts';
import { errorsByField, formFields } from '../web/forms.tsx';
import { positiveInt } from '../web/params.ts';
import { sendPage } from '../web/render.ts';
import { adminGate } from './admin-guard.ts';
import { loadShell } from '../web/shell.ts';
import { AuditView, CompanySettingsView, LIST_TITLES, ListsView, RolesView } from './admin-settings.views.tsx';
import { createRole, listRoleLevels, setRoleLevels } from './role.service.ts';
import { isCalendarDay } from '../platform/dates.ts';
import { MalformedRequestError } from '../platform/errors.ts';
import { excerpt } from '../platform/text.ts';

const LISTS = Object.keys(LIST_TITLES) as ListName[];

export function registerAdminSettingsPages(app: FastifyInstance, store: Store): void {
  const admin = adminGate(store);
  const idParam = (request: FastifyRequest) => {
    const id = positiveInt((request.params as { id: string }).id);
    if (!id) throw new NotFoundError('record', '');
    return id;
  };

  const rolesPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    errors: Record<string, string> = {},
    status = 200,
  ) => sendPage(reply, <RolesView shell={await loadShell(s.ctx, s.session, request, reply)} roles={await listRoleLevels(s.ctx)} errors={errors} />, status);
  app.get('/admin/roles', async (request, reply) => {
    const s = admin(request);
    return s ? rolesPage(request, reply, s) : reply;
  });
  app.post('/admin/roles', async (request, reply) => {
    const s = admin(request);
    try {
      await createRole(s.ctx, formFields(request.body).name);
      setFlash(reply, { kind: 'success', text: 'Role added; set its levels below.' });
      return reply.redirect('/admin/roles', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return rolesPage(request, reply, s, errorsByField(error.issues), 422);
    }
  });
  app.post('/admin/roles/:id', async (request, reply) => {
    const s = admin(request);
    const form = formFields(request.body);
    try {
      await setRoleLevels(s.ctx, idParam(request), Object.fromEntries(MODULES.map((m) => [m, form[m]])));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return rolesPage(request, reply, s, errorsByField(error.issues), 422);
    }
    setFlash(reply, { kind: 'success', text: 'Role saved.' });
    return reply.redirect('/admin/roles', 303);
  });

  const listsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const [lists, tags, shell] = await Promise.all([
      Promise.all(LISTS.map(async (list) => ({ list, values: await listValues(s.ctx, list, true) }))),
      listTags(s.ctx),
      loadShell(s.ctx, s.session, request, reply),
    ]);
    return sendPage(reply, <ListsView shell={shell} lists={lists} tags={tags} errors={errors} />, status);
  };
  app.get('/admin/lists', async (request, reply) => {
    const s = admin(request);
    return s ? listsPage(request, reply, s) : reply;
  });
  app.post('/admin/lists/:list', async (request, reply) => {
    const s = admin(request);
    const list = (request.params as { list: string }).list as ListName;
    if (!LISTS.includes(list)) throw new NotFoundError('list', list);
    try {
      await addListValue(s.ctx, list, formFields(request.body).name);
      return reply.redirect('/admin/lists', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return listsPage(request, reply, s, { [list]: error.issues.map((i) => i.message).join('; ') }, 422);
    }
  });
  for (const action of ['archive', 'restore'] as const) {
    app.post(`/admin/lists/values/:id/${action}`, async (request, reply) => {
      const s = admin(request);
      await setListValueArchived(s.ctx, idParam(request), action === 'archive');
      return reply.redirect('/admin/lists', 303);
    });
  }
  app.post('/admin/tags', async (request, reply) => {
    const s = admin(request);
    const form = formFields(request.body);
    try {
      await createTag(s.ctx, { name: form.name, color: form.color });
      return reply.redirect('/admin/lists', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return listsPage(request, reply, s, { tags: error.issues.map((i) => `${i.field}: ${i.message}`).join('; ') }, 422);
    }
  });
  app.post('/admin/tags/:id', async (request, reply) => {
    const s = admin(request);
    try {
      await setTagColor(s.ctx, idParam(request), formFields(request.body).color);
      return reply.redirect('/admin/lists', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return listsPage(request, reply, s, { tags: error.issues.map((i) => `${i.field}: ${i.message}`).join('; ') }, 422);
    }
  });

  app.get('/admin/settings', async (request, reply) => {
    const s = admin(request);
    const values = {
      companyName: await getSetting(s.ctx, 'company.name', ''),
      retentionDays: String(await auditRetentionDays(s.ctx)),
      webhookPrivateTargets: (await privateTargetsAllowed(s.ctx)) ? 'on' : '',
    };
    return sendPage(reply, <CompanySettingsView shell={await loadShell(s.ctx, s.session, request, reply)} values={values} errors={{}} />);
  });
  app.post('/admin/settings', async (request, reply) => {
    const s = admin(request);
    const form = formFields(request.body);
    const errors: Record<string, string> = {};
    const name = (form.companyName ?? '').trim();
    if (!name) errors.companyName = 'Is required';
    else if (name.length > 200) errors.companyName = 'Is longer than 200 characters';
    try {
      if (!errors.companyName) await setAuditRetentionDays(s.ctx, form.retentionDays);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(errors, errorsByField(error.issues));
    }
    if (Object.keys(errors).length)
      return sendPage(reply, <CompanySettingsView shell={await loadShell(s.ctx, s.session, request, reply)} values={form} errors={errors} />, 422);
    await setSetting(s.ctx, 'company.name', name);
    await setPrivateTargetsAllowed(s.ctx, form.webhookPrivateTargets === 'on');
    await recordAudit(s.ctx, {
      action: 'settings.changed',
      details: { companyName: name, retentionDays: Number(form.retentionDays), webhookPrivateTargets: form.webhookPrivateTargets === 'on' },
    });
    setFlash(reply, { kind: 'success', text: 'Settings saved.' });
    return reply.redirect('/admin/settings', 303);
  });

  app.get('/admin/audit', async (request, reply) => {
    const s = admin(request);
    const q = request.query as Record<string, string | undefined>;
    for (const field of ['from', 'to'] as const) {
      if (q[field] && !isCalendarDay(q[field])) throw new MalformedRequestError(field, `"${excerpt(q[field]!)}" is not a date; use YYYY-MM-DD`);
    }
    const filters: AuditFilters = {
      action: (q.action ?? '').slice(0, 100),
      outcome: q.outcome === 'success' || q.outcome === 'failure' ? q.outcome : '',
      actor: (q.actor ?? '').slice(0, 200),
      from: q.from ?? '',
      to: q.to ?? '',
      page: Math.max(1, positiveInt(q.page) ?? 1),
    };
    const [log, shell] = await Promise.all([readAuditLog(s.ctx, filters), loadShell(s.ctx, s.session, request, reply)]);
    return sendPage(reply, <AuditView shell={shell} entries={log.entries} actions={log.actions} filters={filters} more={log.more} />);
  });
}
