// Views of the record pages (see record-pages.tsx): list, form and detail, and the client's tabs.
import type { FieldErrors } from './forms.tsx';
import { CsrfField, TextArea, TextField } from './forms.tsx';
import { AppPage, type Shell } from './layout.tsx';
import { Pagination } from './pagination.tsx';
import type { LinkedItem } from '../assets/asset-linkage.ts';
import { filterFields, type RecordKind, type RecordRow } from './record-kind.ts';
import { plural } from './plural.ts';

const TABS = [
  ['overview', 'Overview'],
  ['assets', 'Assets'],
  ['locations', 'Locations'],
  ['contacts', 'Contacts'],
  ['vendors', 'Vendors'],
  ['networks', 'Networks'],
  ['logins', 'Logins'],
  ['services', 'Services'],
  ['tickets', 'Tickets'],
] as const;

/** The client's sections: its assets and the records around them. */
export function ClientTabs({ clientId, current }: { clientId: number; current: (typeof TABS)[number][0] }) {
  return (
    <nav aria-label="Client sections" class="mb-3">
      <ul class="nav nav-underline">
        {TABS.map(([key, label]) => (
          <li class="nav-item">
            <a
              class={`nav-link${key === current ? ' active' : ''}`}
              aria-current={key === current ? 'page' : undefined}
              href={key === 'overview' ? `/clients/${clientId}` : `/clients/${clientId}/${key}`}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function RecordListView(v: {
  shell: Shell;
  kind: RecordKind;
  client: { id: number; name: string; archived_at: string | null };
  rows: RecordRow[];
  counts: Map<number, number>;
  total: number;
  page: number;
  pageSize: number;
  q: string;
  archived: boolean;
  desc: boolean;
  canWrite: boolean;
  filters: Record<string, string>;
  references: Record<'location' | 'contact', Array<{ id: number; name: string }>>;
}) {
  const { kind, client } = v;
  const listHref = (extra: Record<string, string>) => {
    const params = new URLSearchParams({
      ...(v.q ? { q: v.q } : {}),
      ...(v.archived ? { archived: '1' } : {}),
      ...(v.desc ? { dir: 'desc' } : {}),
      ...v.filters,
      ...extra,
    });
    const text = params.toString();
    return `/clients/${client.id}/${kind.table}${text ? `?${text}` : ''}`;
  };
  const usedBy = kind.linkage.what === 'interface' ? 'Interfaces' : 'Assets';
  return (
    <AppPage title={`${client.name}: ${kind.plural.toLowerCase()}`} shell={v.shell} {...(v.rows.length ? { results: 'results' } : {})}>
      <h1 class="h4">
        {client.name}: {kind.plural.toLowerCase()}
      </h1>
      <ClientTabs clientId={client.id} current={kind.table} />
      <div class="d-flex flex-wrap gap-2 align-items-center mb-3">
        <form method="get" action={`/clients/${client.id}/${kind.table}`} class="d-flex gap-2" role="search">
          <label class="visually-hidden" for="record-search">
            Search {kind.plural.toLowerCase()}
          </label>
          <input
            id="record-search"
            class="form-control form-control-sm"
            type="search"
            name="q"
            value={v.q}
            placeholder={`Search ${kind.plural.toLowerCase()}`}
          />
          {v.archived ? <input type="hidden" name="archived" value="1" /> : null}
          {filterFields(kind).map((f) => (
            <>
              <label class="visually-hidden" for={`filter-${f.name}`}>
                {f.label}
              </label>
              <select id={`filter-${f.name}`} name={f.name} class="form-select form-select-sm" data-autosubmit>
                <option value="">{`Any ${f.label.toLowerCase()}`}</option>
                {(f.kind === 'select'
                  ? (f.options ?? []).map((o) => ({ value: o, label: o }))
                  : v.references[f.kind as 'location' | 'contact'].map((r) => ({ value: String(r.id), label: r.name }))
                ).map((o) => (
                  <option value={o.value} selected={v.filters[f.name] === o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </>
          ))}
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Search
          </button>
        </form>
        <a class="btn btn-sm btn-link" href={v.archived ? `/clients/${client.id}/${kind.table}` : `/clients/${client.id}/${kind.table}?archived=1`}>
          {v.archived ? `Active ${kind.plural.toLowerCase()}` : 'Archived'}
        </a>
        {v.canWrite && !client.archived_at && kind.importable ? (
          <a class="btn btn-sm btn-outline-secondary ms-auto" href={`/clients/${client.id}/${kind.table}/import`}>
            Import CSV
          </a>
        ) : null}
        {v.canWrite && !client.archived_at ? (
          <a class={`btn btn-sm btn-primary${kind.importable ? '' : ' ms-auto'}`} href={`/clients/${client.id}/${kind.table}/new`}>
            Add {kind.singular}
          </a>
        ) : null}
      </div>
      {v.rows.length === 0 ? (
        <p class="text-body-secondary">
          {v.q || Object.keys(v.filters).length
            ? `No ${kind.plural.toLowerCase()} match${v.q ? ` "${v.q}"` : ' these filters'}.`
            : v.archived
              ? `No archived ${kind.plural.toLowerCase()}.`
              : `No ${kind.plural.toLowerCase()} yet.`}
        </p>
      ) : (
        <div class="table-responsive">
          <table class="table table-sm table-hover align-middle">
            <thead>
              <tr>
                <th scope="col">
                  <a href={listHref({ dir: v.desc ? 'asc' : 'desc' })}>Name {v.desc ? '↓' : '↑'}</a>
                </th>
                {kind.listColumns.map((c) => (
                  <th scope="col">{c.label}</th>
                ))}
                <th scope="col" class="text-end">
                  {usedBy}
                </th>
              </tr>
            </thead>
            <tbody id="results">
              {v.rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/${kind.table}/${r.id}`}>{r.name}</a>
                  </td>
                  {kind.listColumns.map((c) => (
                    <td>{r[c.column] == null ? '' : String(r[c.column])}</td>
                  ))}
                  <td class="text-end">{v.counts.get(r.id) ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={v.page} pageSize={v.pageSize} total={v.total} href={(p) => listHref({ page: String(p) })} />
    </AppPage>
  );
}

export function RecordFormView({
  shell,
  kind,
  clientId,
  record,
  values,
  errors,
  references,
}: {
  shell: Shell;
  kind: RecordKind;
  clientId: number;
  record: RecordRow | null;
  values: Record<string, string>;
  errors: FieldErrors;
  references: Record<'location' | 'contact', Array<{ id: number; name: string }>>;
}) {
  const action = record ? `/${kind.table}/${record.id}/edit` : `/clients/${clientId}/${kind.table}/new`;
  const title = record ? `Edit ${kind.singular} ${record.name}` : `Add ${kind.singular}`;
  return (
    <AppPage title={title} shell={shell}>
      <h1 class="h4">{title}</h1>
      {Object.keys(errors).length ? (
        <div class="alert alert-danger py-2" role="alert">
          Nothing was saved: check the fields marked below.
        </div>
      ) : null}
      <form method="post" action={action} class="record-form" novalidate>
        <CsrfField token={shell.session.csrfToken} />
        {kind.fields.map((f) => {
          if (f.kind === 'textarea') return <TextArea name={f.name} label={f.label} value={values[f.name]} error={errors[f.name]} />;
          if (f.kind === 'checkbox') {
            return (
              <div class="form-check mb-3">
                <input type="hidden" name={f.name} value="" />
                <input
                  class="form-check-input"
                  type="checkbox"
                  id={`f-${f.name}`}
                  name={f.name}
                  value="1"
                  checked={values[f.name] === '1' || values[f.name] === 'true'}
                />
                <label class="form-check-label" for={`f-${f.name}`}>
                  {f.label}
                </label>
              </div>
            );
          }
          if (f.kind === 'location' || f.kind === 'contact') {
            return (
              <div class="mb-3">
                <label class="form-label" for={`f-${f.name}`}>
                  {f.label}
                </label>
                <select id={`f-${f.name}`} name={f.name} class={`form-select${errors[f.name] ? ' is-invalid' : ''}`}>
                  <option value="">(none)</option>
                  {references[f.kind].map((l) => (
                    <option value={String(l.id)} selected={values[f.name] === String(l.id)}>
                      {l.name}
                    </option>
                  ))}
                </select>
                {errors[f.name] ? <div class="invalid-feedback">{errors[f.name]}</div> : null}
              </div>
            );
          }
          if (f.kind === 'select') {
            return (
              <div class="mb-3">
                <label class="form-label" for={`f-${f.name}`}>
                  {f.label}
                </label>
                <select id={`f-${f.name}`} name={f.name} class={`form-select${errors[f.name] ? ' is-invalid' : ''}`}>
                  {f.required ? null : <option value="">(none)</option>}
                  {(f.options ?? []).map((o) => (
                    <option value={o} selected={values[f.name] === o}>
                      {o}
                    </option>
                  ))}
                </select>
                {errors[f.name] ? <div class="invalid-feedback">{errors[f.name]}</div> : null}
              </div>
            );
          }
          return (
            <TextField
              name={f.name}
              label={f.label}
              value={values[f.name]}
              error={errors[f.name]}
              type={f.kind === 'email' ? 'email' : f.kind === 'date' ? 'date' : 'text'}
              required={f.required}
            />
          );
        })}
        <button class="btn btn-primary" type="submit">
          {record ? 'Save' : `Add ${kind.singular}`}
        </button>
        <a class="btn btn-link" href={record ? `/${kind.table}/${record.id}` : `/clients/${clientId}/${kind.table}`}>
          Cancel
        </a>
      </form>
    </AppPage>
  );
}

export function RecordDetailView({
  shell,
  kind,
  record,
  linked,
  choices,
  referenceNames,
  canWrite,
  canDelete,
  canLink,
}: {
  shell: Shell;
  kind: RecordKind;
  record: RecordRow;
  linked: LinkedItem[];
  choices: Array<{ id: number; label: string }>;
  referenceNames: Record<string, string | null>;
  canWrite: boolean;
  canDelete: boolean;
  canLink: boolean;
}) {
  const base = `/${kind.table}/${record.id}`;
  const isNetwork = kind.linkage.what === 'interface';
  const csrf = shell.session.csrfToken;
  const shown = kind.fields.slice(1);
  return (
    <AppPage title={`${kind.singular}: ${record.name}`} shell={shell}>
      <p class="mb-1">
        <a href={`/clients/${record.client_id}/${kind.table}`}>← {kind.plural}</a>
      </p>
      <div class="d-flex flex-wrap gap-2 align-items-center mb-3">
        <h1 class="h4 mb-0">{record.name}</h1>
        <span class="badge text-bg-light border">{kind.singular}</span>
        {record.archived_at ? <span class="badge text-bg-warning">Archived</span> : null}
        <div class="ms-auto d-flex gap-2">
          {canWrite ? (
            <a class="btn btn-sm btn-outline-primary" href={`${base}/edit`}>
              Edit
            </a>
          ) : null}
          {canWrite ? (
            <form method="post" action={`${base}/${record.archived_at ? 'restore' : 'archive'}`}>
              <CsrfField token={csrf} />
              <button class="btn btn-sm btn-outline-secondary" type="submit">
                {record.archived_at ? 'Restore' : 'Archive'}
              </button>
            </form>
          ) : null}
          {canDelete ? (
            <form
              method="post"
              action={`${base}/delete`}
              data-confirm={`Delete ${kind.singular} ${record.name} for good? ${linked.length ? `${plural(linked.length, isNetwork ? 'interface' : 'asset')} will lose it, recorded in their history.` : ''}`}
            >
              <CsrfField token={csrf} />
              <button class="btn btn-sm btn-outline-danger" type="submit">
                Delete
              </button>
            </form>
          ) : null}
        </div>
      </div>
      <div class="row g-4">
        <section class="col-lg-5" aria-label="Details">
          <dl class="row small mb-0">
            {shown.map((f) => {
              const raw = f.kind === 'location' || f.kind === 'contact' ? referenceNames[f.name] : record[f.column];
              const value = f.kind === 'checkbox' ? (raw ? 'Yes' : 'No') : raw == null || raw === '' ? '—' : String(raw);
              return (
                <>
                  <dt class="col-sm-4 text-body-secondary">{f.label}</dt>
                  <dd class="col-sm-8 text-break record-value">{value}</dd>
                </>
              );
            })}
          </dl>
        </section>
        <section class="col-lg-7" aria-labelledby="linked-h">
          <h2 id="linked-h" class="h6 text-uppercase text-body-secondary">
            {isNetwork ? 'Interfaces on this network' : 'Assets'} ({linked.length})
          </h2>
          {linked.length === 0 ? (
            <p class="text-body-secondary small">None yet.</p>
          ) : (
            <ul class="list-group mb-3">
              {linked.map((item) => (
                <li class="list-group-item d-flex align-items-center gap-2">
                  <a href={`/assets/${item.assetId}`}>{item.assetName}</a>
                  <span class="small text-body-secondary">{item.detail}</span>
                  {canLink ? (
                    <form method="post" action={`${base}/unlink`} class="ms-auto">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="target" value={String(item.targetId)} />
                      <button class="btn btn-sm btn-link text-danger p-0" type="submit" aria-label={`Unlink ${item.assetName}`}>
                        Unlink
                      </button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {canLink ? (
            <LinkForm
              action={`${base}/link`}
              csrf={csrf}
              choices={choices}
              label={isNetwork ? 'Interface to put on this network' : `Asset to link to this ${kind.singular}`}
              prompt={isNetwork ? 'Choose an interface…' : 'Choose an asset…'}
            />
          ) : null}
        </section>
      </div>
    </AppPage>
  );
}

/** "Choose … [Link]": links one of `choices` from a record's page; nothing when there is nothing to link. */
export function LinkForm({
  action,
  csrf,
  choices,
  label,
  prompt,
}: {
  action: string;
  csrf: string;
  choices: Array<{ id: number; label: string }>;
  label: string;
  prompt: string;
}) {
  if (choices.length === 0) return null;
  return (
    <form method="post" action={action} class="d-flex gap-2">
      <CsrfField token={csrf} />
      <label class="visually-hidden" for="link-target">
        {label}
      </label>
      <select id="link-target" name="target" class="form-select form-select-sm">
        <option value="">{prompt}</option>
        {choices.map((c) => (
          <option value={String(c.id)}>{c.label}</option>
        ))}
      </select>
      <button class="btn btn-sm btn-outline-primary" type="submit">
        Link
      </button>
    </form>
  );
}
