// The login pages: a client's list, the form (secrets are written, never shown back), and the page of
// one login with its secrets revealed on request and its TOTP code counting down live.
import { CsrfField, TextArea, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { Pagination } from '../web/pagination.tsx';
import { ClientTabs, LinkForm } from '../web/record-pages.views.tsx';

export interface LoginRow {
  id: number;
  client_id: number;
  name: string;
  description: string | null;
  uri: string | null;
  uri_2: string | null;
  notes: string | null;
  asset_id: number | null;
  contact_id: number | null;
  archived_at: string | null;
  password_changed_at: string | null;
  asset_name?: string | null;
  contact_name?: string | null;
  has_otp?: boolean;
}

type Choice = { id: number; name: string };

export function LoginListView({
  shell,
  client,
  rows,
  q,
  archived,
  canWrite,
  page,
  pageSize,
  total,
}: {
  shell: Shell;
  client: Choice;
  rows: LoginRow[];
  q: string;
  archived: boolean;
  canWrite: boolean;
  page: number;
  pageSize: number;
  total: number;
}) {
  return (
    <AppPage title={`${client.name}: logins`} shell={shell} results="results">
      <h1 class="h4">{client.name}: logins</h1>
      <ClientTabs clientId={client.id} current="logins" />
      <div class="d-flex flex-wrap gap-2 align-items-center mb-3">
        <form method="get" action={`/clients/${client.id}/logins`} class="d-flex gap-2" role="search">
          <label class="visually-hidden" for="login-search">
            Search logins
          </label>
          <input id="login-search" class="form-control form-control-sm" type="search" name="q" value={q} placeholder="Search logins" />
          {archived ? <input type="hidden" name="archived" value="1" /> : null}
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Search
          </button>
        </form>
        <a class="btn btn-sm btn-link" href={archived ? `/clients/${client.id}/logins` : `/clients/${client.id}/logins?archived=1`}>
          {archived ? 'Active logins' : 'Archived'}
        </a>
        {canWrite ? (
          <a class="btn btn-sm btn-primary ms-auto" href={`/clients/${client.id}/logins/new`}>
            Add login
          </a>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p id="results" class="text-body-secondary">
          {q ? `No logins match "${q}".` : 'No logins here.'}
        </p>
      ) : (
        <div class="table-responsive">
          <table class="table table-sm table-hover align-middle">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">URI</th>
                <th scope="col">Asset</th>
                <th scope="col">Password changed</th>
              </tr>
            </thead>
            <tbody id="results">
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/logins/${r.id}`}>{r.name}</a>
                  </td>
                  <td>{r.description ?? ''}</td>
                  <td class="text-break">{r.uri ?? ''}</td>
                  <td>{r.asset_id ? <a href={`/assets/${r.asset_id}`}>{r.asset_name}</a> : ''}</td>
                  <td class="small text-body-secondary">{r.password_changed_at?.slice(0, 10) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={page}
        pageSize={pageSize}
        total={total}
        href={(p) =>
          `/clients/${client.id}/logins?${new URLSearchParams({ ...(q ? { q } : {}), ...(archived ? { archived: '1' } : {}), page: String(p) }).toString()}`
        }
      />
    </AppPage>
  );
}

export function LoginFormView({
  shell,
  clientId,
  login,
  values,
  errors,
  assets,
  contacts,
}: {
  shell: Shell;
  clientId: number;
  login: LoginRow | null;
  values: Record<string, string>;
  errors: FieldErrors;
  assets: Choice[];
  contacts: Choice[];
}) {
  const select = (name: string, label: string, choices: Choice[]) => (
    <div class="mb-3">
      <label class="form-label" for={`f-${name}`}>
        {label}
      </label>
      <select id={`f-${name}`} name={name} class={`form-select${errors[name] ? ' is-invalid' : ''}`}>
        <option value="">(none)</option>
        {choices.map((c) => (
          <option value={String(c.id)} selected={values[name] === String(c.id)}>
            {c.name}
          </option>
        ))}
      </select>
      {errors[name] ? <div class="invalid-feedback">{errors[name]}</div> : null}
    </div>
  );
  const keep = login ? 'Leave empty to keep the stored value.' : undefined;
  return (
    <AppPage title={login ? `Edit login ${login.name}` : 'Add login'} shell={shell}>
      <h1 class="h4">{login ? `Edit login ${login.name}` : 'Add login'}</h1>
      {Object.keys(errors).length ? (
        <div class="alert alert-danger py-2" role="alert">
          Nothing was saved: check the fields marked below.
        </div>
      ) : null}
      <form method="post" action={login ? `/logins/${login.id}/edit` : `/clients/${clientId}/logins/new`} class="record-form" novalidate autocomplete="off">
        <CsrfField token={shell.session.csrfToken} />
        <TextField name="name" label="Name" value={values.name} error={errors.name} required />
        <TextField name="description" label="Description" value={values.description} error={errors.description} />
        <TextField name="uri" label="URI" value={values.uri} error={errors.uri} />
        <TextField name="username" label="Username" value="" error={errors.username} autocomplete="off" help={keep} />
        <TextField name="password" label="Password" type="password" value="" error={errors.password} autocomplete="new-password" help={keep} />
        <TextField name="otpSecret" label="TOTP key (base32)" value="" error={errors.otpSecret} autocomplete="off" help={keep} />
        {login?.has_otp ? (
          <div class="form-check mb-3">
            <input class="form-check-input" type="checkbox" id="f-clearOtp" name="clearOtp" value="1" />
            <label class="form-check-label" for="f-clearOtp">
              Remove the stored TOTP key
            </label>
          </div>
        ) : null}
        {login ? null : select('assetId', 'Asset', assets)}
        {select('contactId', 'Contact', contacts)}
        <TextArea name="notes" label="Notes" value={values.notes} error={errors.notes} />
        <button class="btn btn-primary" type="submit">
          {login ? 'Save' : 'Add login'}
        </button>
        <a class="btn btn-link" href={login ? `/logins/${login.id}` : `/clients/${clientId}/logins`}>
          Cancel
        </a>
      </form>
    </AppPage>
  );
}

export interface Revealed {
  username: string | null;
  password: string | null;
  code: { value: string; secondsLeft: number } | null;
}

/** The secrets of a login, as revealed; the TOTP code refreshes itself while the page stays open. */
export function LoginSecrets({ loginId, name, secrets }: { loginId: number; name: string; secrets: Revealed }) {
  const row = (label: string, value: string) => (
    <div class="d-flex gap-2 align-items-center mb-1">
      <span class="text-body-secondary small">{label}</span>
      <code class="user-select-all" data-secret>
        {value}
      </code>
      <button type="button" class="btn btn-sm btn-outline-secondary py-0" data-copy={value} aria-label={`Copy the ${label.toLowerCase()} of ${name}`}>
        Copy
      </button>
    </div>
  );
  return (
    <div role="status" aria-label={`Secrets of ${name}`}>
      {secrets.username !== null ? row('Username', secrets.username) : null}
      {secrets.password !== null ? row('Password', secrets.password) : null}
      {secrets.code ? <TotpCode loginId={loginId} name={name} code={secrets.code} /> : null}
      {secrets.username === null && secrets.password === null && !secrets.code ? <span class="text-body-secondary small">No secrets stored.</span> : null}
    </div>
  );
}

export function TotpCode({ loginId, name, code }: { loginId: number; name: string; code: { value: string; secondsLeft: number } }) {
  // htmx asks for the next code the moment this one runs out; app.js counts the seconds down meanwhile.
  return (
    <div
      class="d-flex gap-2 align-items-center"
      id={`totp-${loginId}`}
      hx-post={`/logins/${loginId}/code`}
      hx-trigger={`load delay:${code.secondsLeft}s`}
      hx-swap="outerHTML"
    >
      <span class="text-body-secondary small">TOTP code</span>
      <code class="fs-5" data-totp>
        {code.value}
      </code>
      <span class="small text-body-secondary" data-totp-left={String(code.secondsLeft)}>
        {code.secondsLeft} s left
      </span>
      <button type="button" class="btn btn-sm btn-outline-secondary py-0" data-copy={code.value} aria-label={`Copy the TOTP code of ${name}`}>
        Copy
      </button>
    </div>
  );
}

export function LoginDetailView({
  shell,
  login,
  assets,
  canWrite,
  canDelete,
  canLink,
}: {
  shell: Shell;
  login: LoginRow;
  assets: Choice[];
  canWrite: boolean;
  canDelete: boolean;
  canLink: boolean;
}) {
  const csrf = shell.session.csrfToken;
  const base = `/logins/${login.id}`;
  const field = (label: string, value: string | null | undefined) => (
    <>
      <dt class="col-sm-4 text-body-secondary">{label}</dt>
      <dd class="col-sm-8 text-break record-value">{value || '—'}</dd>
    </>
  );
  return (
    <AppPage title={`Login ${login.name}`} shell={shell}>
      <p class="mb-1">
        <a href={`/clients/${login.client_id}/logins`}>← Logins</a>
      </p>
      <div class="d-flex flex-wrap gap-2 align-items-center mb-3">
        <h1 class="h4 mb-0">{login.name}</h1>
        {login.archived_at ? <span class="badge text-bg-warning">Archived</span> : null}
        <div class="ms-auto d-flex gap-2">
          {canWrite ? (
            <a class="btn btn-sm btn-outline-primary" href={`${base}/edit`}>
              Edit
            </a>
          ) : null}
          {canWrite ? (
            <form method="post" action={`${base}/${login.archived_at ? 'restore' : 'archive'}`}>
              <CsrfField token={csrf} />
              <button class="btn btn-sm btn-outline-secondary" type="submit">
                {login.archived_at ? 'Restore' : 'Archive'}
              </button>
            </form>
          ) : null}
          {canDelete ? (
            <form method="post" action={`${base}/delete`} data-confirm={`Delete the login ${login.name} and its secrets for good?`}>
              <CsrfField token={csrf} />
              <button class="btn btn-sm btn-outline-danger" type="submit">
                Delete
              </button>
            </form>
          ) : null}
        </div>
      </div>
      <div class="row g-4">
        <section class="col-lg-6" aria-label="Details">
          <dl class="row small">
            {field('Description', login.description)}
            {field('URI', login.uri)}
            {field('Contact', login.contact_name)}
            {field('Password changed', login.password_changed_at?.slice(0, 10))}
            {field('Notes', login.notes)}
          </dl>
          <h2 class="h6">Secrets</h2>
          <p class="small text-body-secondary">Shown only when asked for; every reveal is recorded in the audit log.</p>
          <div id="login-secrets">
            <form method="post" action={`${base}/reveal`} hx-post={`${base}/reveal`} hx-target="#login-secrets">
              <CsrfField token={csrf} />
              <button class="btn btn-sm btn-outline-primary" type="submit">
                Reveal
              </button>
            </form>
          </div>
        </section>
        <section class="col-lg-6" aria-labelledby="login-asset-h">
          <h2 id="login-asset-h" class="h6 text-uppercase text-body-secondary">
            Asset
          </h2>
          {login.asset_id ? (
            <div class="d-flex gap-2 align-items-center mb-2">
              <a href={`/assets/${login.asset_id}`}>{login.asset_name}</a>
              {canLink ? (
                <form method="post" action={`${base}/unlink`}>
                  <CsrfField token={csrf} />
                  <button class="btn btn-sm btn-link text-danger p-0" type="submit">
                    Unlink
                  </button>
                </form>
              ) : null}
            </div>
          ) : (
            <p class="small text-body-secondary">Not linked to an asset.</p>
          )}
          {canLink ? (
            <LinkForm
              action={`${base}/link`}
              csrf={csrf}
              choices={assets.map((a) => ({ id: a.id, label: a.name }))}
              label="Asset to link this login to"
              prompt="Choose an asset…"
            />
          ) : null}
        </section>
      </div>
    </AppPage>
  );
}
