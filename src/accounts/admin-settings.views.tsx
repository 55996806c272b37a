// Administration screens for the shared settings: roles and their module levels, the edited lists and
// tags, company settings with the audit retention, and the audit-log viewer.
import { TagChip } from '../tags/tag-chip.tsx';
import { MODULES, type Module } from '../access/access.ts';
import type { AuditEntry, AuditFilters } from '../audit/audit.query.ts';
import type { ListValue } from '../lists/list.service.ts';
import type { ListName } from '../lists/list.service.ts';
import { CsrfField, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import type { RoleLevels } from './role.service.ts';
import { plural } from '../web/plural.ts';

const MODULE_NAMES: Record<Module, string> = {
  client: 'Clients & contacts',
  support: 'Assets & tickets',
  credential: 'Logins',
  sales: 'Sales',
  financial: 'Finance',
  reporting: 'Reports',
};
const LEVEL_NAMES = ['None', 'Read', 'Write', 'Full'];
export const LIST_TITLES: Record<ListName, string> = {
  asset_type: 'Asset types',
  asset_status: 'Asset statuses',
  note_type: 'Note types',
  interface_type: 'Interface types',
};

export function SettingsNav({ current }: { current: 'users' | 'api-keys' | 'roles' | 'lists' | 'settings' | 'audit' | 'deleted-assets' | 'webhooks' }) {
  const items: Array<[typeof current, string, string]> = [
    ['users', 'Users', '/admin/users'],
    ['roles', 'Roles', '/admin/roles'],
    ['api-keys', 'API keys', '/admin/api-keys'],
    ['lists', 'Lists & tags', '/admin/lists'],
    ['settings', 'Company', '/admin/settings'],
    ['audit', 'Audit log', '/admin/audit'],
    ['deleted-assets', 'Deleted assets', '/admin/deleted-assets'],
    ['webhooks', 'Webhooks', '/admin/webhooks'],
  ];
  return (
    <nav aria-label="Administration" class="mb-3">
      <ul class="nav nav-underline">
        {items.map(([key, label, href]) => (
          <li class="nav-item">
            <a class={`nav-link${key === current ? ' active' : ''}`} aria-current={key === current ? 'page' : undefined} href={href}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function RolesView({ shell, roles, errors }: { shell: Shell; roles: RoleLevels[]; errors: FieldErrors }) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title="Roles" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="roles" />
      <p class="small text-body-secondary">Read lets a role see, Write add and change, Full also delete. Administrators always have full access.</p>
      {Object.entries(errors)
        .filter(([field]) => field !== 'name')
        .map(([field, message]) => (
          <div class="alert alert-danger py-2" role="alert">
            Nothing was saved: {field}: {message}
          </div>
        ))}
      {roles.map((r) => (
        <form method="post" action={`/admin/roles/${r.id}`} class="card card-body mb-3" aria-label={`Role ${r.name}`}>
          <CsrfField token={csrf} />
          <h2 class="h6">
            {r.name} <span class="text-body-secondary fw-normal small">{plural(r.users, 'user')}</span>
          </h2>
          <div class="row g-2">
            {MODULES.map((m) => (
              <div class="col-sm-4 col-lg-2">
                <label class="form-label small" for={`role-${r.id}-${m}`}>
                  {MODULE_NAMES[m]}
                </label>
                <select id={`role-${r.id}-${m}`} name={m} class="form-select form-select-sm" disabled={r.isAdmin}>
                  {LEVEL_NAMES.map((label, level) => (
                    <option value={String(level)} selected={r.levels[m] === level}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          {r.isAdmin ? null : (
            <div class="mt-2">
              <button class="btn btn-sm btn-primary" type="submit">
                Save {r.name}
              </button>
            </div>
          )}
        </form>
      ))}
      <form method="post" action="/admin/roles" class="d-flex gap-2 align-items-end" novalidate>
        <CsrfField token={csrf} />
        <TextField name="name" label="New role" error={errors.name} />
        <div class="mb-3">
          <button class="btn btn-outline-primary" type="submit">
            Add role
          </button>
        </div>
      </form>
    </AppPage>
  );
}

export function ListsView({
  shell,
  lists,
  tags,
  errors,
}: {
  shell: Shell;
  lists: Array<{ list: ListName; values: ListValue[] }>;
  tags: Array<{ id: number; name: string; color: string | null; assets: number }>;
  errors: Record<string, string>;
}) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title="Lists and tags" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="lists" />
      <p class="small text-body-secondary">
        Archived values are no longer offered; records that hold them keep them. Values are not renamed or deleted, so every asset's history still matches the
        list.
      </p>
      <div class="row g-3">
        {lists.map(({ list, values }) => (
          <section class="col-md-6 col-xl-3" aria-labelledby={`list-${list}`}>
            <h2 id={`list-${list}`} class="h6">
              {LIST_TITLES[list]}
            </h2>
            <ul class="list-group mb-2">
              {values.map((v) => (
                <li class={`list-group-item d-flex align-items-center py-1${v.archived ? ' text-body-secondary' : ''}`}>
                  <span class="me-auto">
                    {v.name}
                    {v.archived ? ' (archived)' : ''}
                  </span>
                  <form method="post" action={`/admin/lists/values/${v.id}/${v.archived ? 'restore' : 'archive'}`}>
                    <CsrfField token={csrf} />
                    <button class="btn btn-sm btn-link p-0" type="submit" aria-label={`${v.archived ? 'Restore' : 'Archive'} ${v.name}`}>
                      {v.archived ? 'Restore' : 'Archive'}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action={`/admin/lists/${list}`} class="d-flex gap-1" novalidate>
              <CsrfField token={csrf} />
              <label class="visually-hidden" for={`add-${list}`}>
                New value for {LIST_TITLES[list]}
              </label>
              <input id={`add-${list}`} name="name" class={`form-control form-control-sm${errors[list] ? ' is-invalid' : ''}`} placeholder="New value" />
              <button class="btn btn-sm btn-outline-primary" type="submit">
                Add
              </button>
            </form>
            {errors[list] ? <div class="small text-danger">{errors[list]}</div> : null}
          </section>
        ))}
      </div>
      <section class="mt-4" aria-labelledby="tags-h">
        <h2 id="tags-h" class="h6">
          Tags
        </h2>
        {errors.tags ? <div class="alert alert-danger py-2">{errors.tags}</div> : null}
        <ul class="list-group mb-2">
          {tags.map((t) => (
            <li class="list-group-item d-flex align-items-center gap-2 py-1">
              <span class="me-auto">
                <TagChip tag={t} /> <span class="small text-body-secondary">{plural(t.assets, 'asset')}</span>
              </span>
              <form method="post" action={`/admin/tags/${t.id}`} class="d-flex gap-1">
                <CsrfField token={csrf} />
                <label class="visually-hidden" for={`tag-color-${t.id}`}>
                  Colour of {t.name}
                </label>
                <input
                  id={`tag-color-${t.id}`}
                  type="color"
                  name="color"
                  value={t.color ?? '#6c757d'}
                  class="form-control form-control-sm form-control-color"
                />
                <button class="btn btn-sm btn-link p-0" type="submit">
                  Save colour
                </button>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action="/admin/tags" class="d-flex gap-1" novalidate>
          <CsrfField token={csrf} />
          <label class="visually-hidden" for="new-tag">
            New tag
          </label>
          <input id="new-tag" name="name" class="form-control form-control-sm" placeholder="New tag" />
          <label class="visually-hidden" for="new-tag-color">
            Colour of the new tag
          </label>
          <input id="new-tag-color" type="color" name="color" value="#1e88e5" class="form-control form-control-sm form-control-color" />
          <button class="btn btn-sm btn-outline-primary" type="submit">
            Add tag
          </button>
        </form>
      </section>
    </AppPage>
  );
}

export function CompanySettingsView({ shell, values, errors }: { shell: Shell; values: Record<string, string>; errors: FieldErrors }) {
  return (
    <AppPage title="Company settings" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="settings" />
      <form method="post" action="/admin/settings" class="record-form" novalidate>
        <CsrfField token={shell.session.csrfToken} />
        <TextField name="companyName" label="Company name" value={values.companyName} error={errors.companyName} required />
        <TextField
          name="retentionDays"
          label="Keep audit-log entries for (days)"
          value={values.retentionDays}
          error={errors.retentionDays}
          help="Older entries are removed by 'npx steward audit purge'. Asset history is never removed."
        />
        <div class="form-check mb-3">
          <input
            class="form-check-input"
            type="checkbox"
            id="f-webhookPrivateTargets"
            name="webhookPrivateTargets"
            checked={values.webhookPrivateTargets === 'on'}
            aria-describedby="f-webhookPrivateTargets-help"
          />
          <label class="form-check-label" for="f-webhookPrivateTargets">
            Allow webhooks to private addresses
          </label>
          <div id="f-webhookPrivateTargets-help" class="form-text">
            Off by default: a webhook URL on this host, a private network or a link-local address is refused, so a webhook cannot reach inside your network.
          </div>
        </div>
        <button class="btn btn-primary" type="submit">
          Save
        </button>
      </form>
    </AppPage>
  );
}

export function AuditView({
  shell,
  entries,
  actions,
  filters,
  more,
}: {
  shell: Shell;
  entries: AuditEntry[];
  actions: string[];
  filters: AuditFilters;
  more: boolean;
}) {
  const params = (page: number) =>
    new URLSearchParams({
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.outcome ? { outcome: filters.outcome } : {}),
      ...(filters.actor ? { actor: filters.actor } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
      page: String(page),
    }).toString();
  return (
    <AppPage title="Audit log" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="audit" />
      <form method="get" action="/admin/audit" class="row g-2 align-items-end mb-3">
        <div class="col-auto">
          <label class="form-label small" for="audit-action">
            Action
          </label>
          <select id="audit-action" name="action" class="form-select form-select-sm">
            <option value="">Any</option>
            {actions.map((a) => (
              <option value={a} selected={a === filters.action}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div class="col-auto">
          <label class="form-label small" for="audit-outcome">
            Outcome
          </label>
          <select id="audit-outcome" name="outcome" class="form-select form-select-sm">
            <option value="">Any</option>
            <option value="success" selected={filters.outcome === 'success'}>
              Success
            </option>
            <option value="failure" selected={filters.outcome === 'failure'}>
              Failure
            </option>
          </select>
        </div>
        <div class="col-auto">
          <label class="form-label small" for="audit-actor">
            Who
          </label>
          <input id="audit-actor" name="actor" value={filters.actor} class="form-control form-control-sm" />
        </div>
        <div class="col-auto">
          <label class="form-label small" for="audit-from">
            From
          </label>
          <input id="audit-from" type="date" name="from" value={filters.from} class="form-control form-control-sm" />
        </div>
        <div class="col-auto">
          <label class="form-label small" for="audit-to">
            To
          </label>
          <input id="audit-to" type="date" name="to" value={filters.to} class="form-control form-control-sm" />
        </div>
        <div class="col-auto">
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Filter
          </button>
        </div>
      </form>
      <div class="table-responsive">
        <table class="table table-sm align-middle small" id="audit">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Who</th>
              <th scope="col">From</th>
              <th scope="col">Record</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td class="text-nowrap">{e.createdAt.slice(0, 19).replace('T', ' ')}</td>
                <td>{e.action}</td>
                <td>{e.outcome === 'failure' ? <span class="badge text-bg-danger">failure</span> : 'success'}</td>
                <td>{e.actorName ?? ''}</td>
                <td>{e.ip ?? ''}</td>
                <td>{e.entity ?? ''}</td>
                <td class="text-break">{e.details ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" class="d-flex gap-2">
        {filters.page > 1 ? (
          <a class="btn btn-sm btn-outline-secondary" href={`/admin/audit?${params(filters.page - 1)}`}>
            Newer
          </a>
        ) : null}
        {more ? (
          <a class="btn btn-sm btn-outline-secondary" href={`/admin/audit?${params(filters.page + 1)}`}>
            Older
          </a>
        ) : null}
      </nav>
    </AppPage>
  );
}
