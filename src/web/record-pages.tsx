// Pages for the records around assets (locations, contacts, vendors, networks), built from one
// description per kind: a client's list (search, archived view, sort, paging), add and edit forms that
// show the rules' message next to the field, a detail page listing the assets (or, for a network, the
// interfaces) that point at the record with link and unlink, archive, restore, and delete with a
// confirmation saying what happens to those assets first. Every page checks the user's level for the
// kind's module and that the user may see the record's client; another client's record is "not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../access/access.ts';
import { loadClientFor, loadRecordFor } from '../access/record-access.ts';
import type { LinkedItem } from '../assets/asset-linkage.ts';
import type { WebSession } from '../auth/session.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { setFlash } from './flash.ts';
import { errorsByField, formFields, type FieldErrors } from './forms.tsx';
import { ConfirmPage } from './layout.tsx';
import { positiveInt } from './params.ts';
import { sendPage } from './render.ts';
import { filterFields, type RecordKind, type RecordRow } from './record-kind.ts';
import { listRecords, type RecordListQuery, referenceChoices, referenceNames } from './record-pages.query.ts';
import { RecordDetailView, RecordFormView, RecordListView } from './record-pages.views.tsx';
import { loadShell } from './shell.ts';
import { signedInRequest } from './web.tsx';

export type { LinkedItem };
export { filterFields, type RecordField, type RecordKind, type RecordRow, type RecordTable } from './record-kind.ts';

const PAGE_SIZE = 50;

export function registerRecordPages(app: FastifyInstance, store: Store, kind: RecordKind): void {
  const base = `/${kind.table}`;
  const nameColumn = kind.nameColumn ?? 'name';
  const signedIn = (request: FastifyRequest) => signedInRequest(store, request);
  const notFound = (): never => {
    throw new NotFoundError(kind.singular, '');
  };

  const clientFor = (ctx: Ctx, raw: unknown, level: 1 | 2 | 3) => loadClientFor(ctx, kind.module, level, positiveInt(raw));

  const recordFor = async (ctx: Ctx, request: FastifyRequest, level: 1 | 2 | 3): Promise<RecordRow> => {
    const id = positiveInt((request.params as { id?: string }).id);
    const row = (await loadRecordFor(ctx, kind.table, kind.module, level, kind.singular, id)) as unknown as RecordRow;
    row.name = String(row[nameColumn]);
    return row;
  };

  const referencesOf = (ctx: Ctx, clientId: number) => referenceChoices(ctx, kind, clientId);

  // The list of one client's records.
  app.get(`/clients/:clientId${base}`, async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, (request.params as { clientId: string }).clientId, 1);
    const query = request.query as Record<string, string | undefined>;
    const q = (query.q ?? '').trim().slice(0, 200);
    const archived = query.archived === '1';
    const page = Math.max(1, positiveInt(query.page) ?? 1);
    const desc = query.dir === 'desc';
    // Each choice field (a ticket's status, a contact's location, …) is a filter too.
    const filters: Record<string, string> = {};
    const where: RecordListQuery['filters'] = [];
    for (const f of filterFields(kind)) {
      const value = query[f.name] ?? '';
      const valid = f.kind === 'select' ? (f.options ?? []).includes(value) : positiveInt(value) !== null;
      if (!valid) continue;
      filters[f.name] = value;
      where.push({ column: f.column, value: f.kind === 'select' ? value : Number(value) });
    }
    const { rows: list, total } = await listRecords(s.ctx, kind, { clientId: client.id, q, archived, desc, page, pageSize: PAGE_SIZE, filters: where });
    const counts = await kind.linkage.usage(
      s.ctx,
      list.map((r) => r.id),
    );
    const [shell, references] = await Promise.all([loadShell(s.ctx, s.session, request, reply, client.id), referencesOf(s.ctx, client.id)]);
    return sendPage(
      reply,
      <RecordListView
        shell={shell}
        kind={kind}
        client={client}
        rows={list}
        counts={counts}
        total={total}
        page={page}
        pageSize={PAGE_SIZE}
        q={q}
        archived={archived}
        desc={desc}
        filters={filters}
        references={references}
        canWrite={s.session.principal.levels[kind.module] >= 2}
      />,
    );
  });

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { session: WebSession; ctx: Ctx },
    clientId: number,
    values: Record<string, string>,
    errors: FieldErrors,
    record: RecordRow | null,
    status = 200,
  ) => {
    const shell = await loadShell(s.ctx, s.session, request, reply, clientId);
    const references = await referencesOf(s.ctx, clientId);
    return sendPage(
      reply,
      <RecordFormView shell={shell} kind={kind} clientId={clientId} record={record} values={values} errors={errors} references={references} />,
      status,
    );
  };

  /**
   * The service's input from a posted form. A new record reads every field (absent means blank); an
   * edit only the fields the post carries, so the others keep their values. The form sends each
   * checkbox with a hidden blank before it, so an unticked box is "no" rather than absent.
   */
  const inputOf = (form: Record<string, string>, mode: 'create' | 'update') => {
    const input: Record<string, unknown> = {};
    for (const f of kind.fields) {
      if (mode === 'update' && form[f.name] === undefined) continue;
      input[f.name] =
        f.kind === 'checkbox'
          ? form[f.name] === '1'
          : f.kind === 'location' || f.kind === 'contact'
            ? form[f.name]
              ? Number(form[f.name])
              : null
            : (form[f.name] ?? '');
    }
    return input;
  };

  app.get(`/clients/:clientId${base}/new`, async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, (request.params as { clientId: string }).clientId, 2);
    return showForm(request, reply, s, client.id, {}, {}, null);
  });

  app.post(`/clients/:clientId${base}/new`, async (request, reply) => {
    const s = signedIn(request);
    const client = await clientFor(s.ctx, (request.params as { clientId: string }).clientId, 2);
    const form = formFields(request.body);
    try {
      const name = form[kind.fields[0]!.name] ?? '';
      const created = await kind.create(s.ctx, { name, ...inputOf(form, 'create'), clientId: client.id });
      setFlash(reply, { kind: 'success', text: `${capital(kind.singular)} "${name}" added.` });
      return reply.redirect(`${base}/${created.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(
        request,
        reply,
        s,
        client.id,
        form,
        errorsByField(error.issues, (f) => (f === 'clientId' ? kind.fields[0]!.name : f)),
        null,
        422,
      );
    }
  });

  app.get(`${base}/:id`, async (request, reply) => {
    const s = signedIn(request);
    const record = await recordFor(s.ctx, request, 1);
    const [linked, choices, names, shell] = await Promise.all([
      kind.linkage.linked(s.ctx, record.id),
      kind.linkage.choices(s.ctx, record.id, record.client_id),
      referenceNames(s.ctx, kind, record),
      loadShell(s.ctx, s.session, request, reply, record.client_id),
    ]);
    const level = s.session.principal.levels[kind.module];
    return sendPage(
      reply,
      <RecordDetailView
        shell={shell}
        kind={kind}
        record={record}
        linked={linked}
        choices={choices}
        referenceNames={names}
        canWrite={level >= 2}
        canDelete={level >= 3}
        canLink={s.session.principal.levels.support >= 2}
      />,
    );
  });

  app.get(`${base}/:id/edit`, async (request, reply) => {
    const s = signedIn(request);
    const record = await recordFor(s.ctx, request, 2);
    const values = Object.fromEntries(
      kind.fields.map((f) => [f.name, f.kind === 'checkbox' ? (record[f.column] ? '1' : '') : record[f.column] == null ? '' : String(record[f.column])]),
    );
    return showForm(request, reply, s, record.client_id, values, {}, record);
  });

  app.post(`${base}/:id/edit`, async (request, reply) => {
    const s = signedIn(request);
    const record = await recordFor(s.ctx, request, 2);
    const form = formFields(request.body);
    try {
      await kind.update(s.ctx, record.id, inputOf(form, 'update'));
      setFlash(reply, { kind: 'success', text: `${capital(kind.singular)} saved.` });
      return reply.redirect(`${base}/${record.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, s, record.client_id, form, errorsByField(error.issues), record, 422);
    }
  });

  const state = (action: 'archive' | 'restore' | 'delete') => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const record = await recordFor(s.ctx, request, action === 'delete' ? 3 : 2);
    if (action === 'delete' && formFields(request.body).confirmed !== '1') {
      const shell = await loadShell(s.ctx, s.session, request, reply, record.client_id);
      const message = await deleteImpact(s.ctx, kind, record);
      return sendPage(
        reply,
        <ConfirmPage
          shell={shell}
          title={`Delete ${kind.singular} ${record.name}?`}
          message={message}
          action={`${base}/${record.id}/delete`}
          fields={[]}
          cancelHref={`${base}/${record.id}`}
        />,
      );
    }
    if (action === 'archive') await kind.archive(s.ctx, record.id);
    if (action === 'restore') await kind.restore(s.ctx, record.id);
    if (action === 'delete') await kind.remove(s.ctx, record.id);
    setFlash(reply, {
      kind: 'success',
      text: `${capital(kind.singular)} "${record.name}" ${action === 'delete' ? 'deleted' : action === 'archive' ? 'archived' : 'restored'}.`,
    });
    return reply.redirect(action === 'delete' ? `/clients/${record.client_id}${base}` : `${base}/${record.id}`, 303);
  };
  app.post(`${base}/:id/archive`, state('archive'));
  app.post(`${base}/:id/restore`, state('restore'));
  app.post(`${base}/:id/delete`, state('delete'));

  // Link and unlink from the record's side: the asset (or interface) changes, through its own rules.
  const link = (linking: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const record = await recordFor(s.ctx, request, 1);
    authorize(s.session.principal, 'support', 2, { clientId: record.client_id, entity: kind.singular, id: record.id });
    const target = positiveInt(formFields(request.body).target);
    if (!target) {
      setFlash(reply, { kind: 'danger', text: `Choose ${kind.linkage.what === 'interface' ? 'an interface' : 'an asset'} first.` });
      return reply.redirect(`${base}/${record.id}`, 303);
    }
    if (!(await kind.linkage.link(s.ctx, record.id, record.client_id, target, linking))) return notFound();
    setFlash(reply, { kind: 'success', text: linking ? 'Linked.' : 'Unlinked.' });
    return reply.redirect(`${base}/${record.id}`, 303);
  };
  app.post(`${base}/:id/link`, link(true));
  app.post(`${base}/:id/unlink`, link(false));
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export async function deleteImpact(ctx: Ctx, kind: RecordKind, record: RecordRow): Promise<string> {
  const n = await kind.linkage.count(ctx, record.id);
  const what = kind.linkage.what;
  if (n === 0) return `No ${what} points at this ${kind.singular}. It is deleted for good.`;
  const them = n === 1 ? `1 ${what} points at this ${kind.singular}. It loses it` : `${n} ${what}s point at this ${kind.singular}. Each loses it`;
  const where = what === 'interface' ? (n === 1 ? "its asset's history" : "their assets' history") : n === 1 ? 'its history' : "each asset's history";
  return `${them}, recorded in ${where}; then the ${kind.singular} is deleted for good.`;
}
