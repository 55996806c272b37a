// Administration screens: users (list, add, edit with client limits and two-factor reset) and API keys.
import { RelativeTime } from '../web/relative-time.tsx';
import type { ApiKeyInfo } from './api-key.service.ts';
import { MODULES } from '../access/access.ts';
import { moduleName } from '../access/key-scope.ts';
import type { UserRow } from './user-admin.service.ts';
import { CsrfField, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { SettingsNav } from './admin-settings.views.tsx';

type Role = { id: number; name: string; isAdmin: boolean };
type ClientChoice = { id: number; name: string };

function limits(u: UserRow, clients: ClientChoice[]): string {
  const name = (id: number) => clients.find((c) => c.id === id)?.name ?? `client ${id}`;
  if (u.isAdmin) return 'All clients (administrator)';
  const parts = [u.allow.length ? `Only ${u.allow.map(name).join(', ')}` : 'All clients', ...(u.deny.length ? [`except ${u.deny.map(name).join(', ')}`] : [])];
  return parts.join(' ');
}

export function UserListView({ shell, users, clients }: { shell: Shell; users: UserRow[]; clients: ClientChoice[] }) {
  return (
    <AppPage title="Users" shell={shell}>
      <div class="d-flex align-items-center mb-2">
        <h1 class="h4 mb-0 me-auto">Administration</h1>
        <a class="btn btn-sm btn-primary" href="/admin/users/new">
          Add user
        </a>
      </div>
      <SettingsNav current="users" />
      <div class="table-responsive">
        <table class="table table-sm align-middle">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Clients</th>
              <th scope="col">Status</th>
              <th scope="col">Two-factor</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>
                  <a href={`/admin/users/${u.id}`}>{u.name}</a>
                </td>
                <td>{u.email}</td>
                <td>{u.roleName}</td>
                <td class="small">{limits(u, clients)}</td>
                <td>{u.status === 'active' ? 'Active' : <span class="badge text-bg-secondary">Disabled</span>}</td>
                <td>{u.twoFactor ? 'On' : 'Off'}</td>
                <td class="small text-body-secondary">{u.lastLoginAt ? <RelativeTime iso={u.lastLoginAt} /> : 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AppPage>
  );
}

function RoleSelect({ roles, value, error }: { roles: Role[]; value: string; error?: string | undefined }) {
  return (
    <div class="mb-3">
      <label class="form-label" for="f-role">
        Role
      </label>
      <select id="f-role" name="role" class={`form-select${error ? ' is-invalid' : ''}`}>
        {roles.map((r) => (
          <option value={String(r.id)} selected={value === String(r.id)}>
            {r.name}
          </option>
        ))}
      </select>
      {error ? <div class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

export function NewUserView({ shell, roles, values, errors }: { shell: Shell; roles: Role[]; values: Record<string, string>; errors: FieldErrors }) {
  return (
    <AppPage title="Add user" shell={shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">Add user</h1>
        <form method="post" action="/admin/users/new" novalidate>
          <CsrfField token={shell.session.csrfToken} />
          <TextField name="name" label="Name" value={values.name} error={errors.name} required />
          <TextField name="email" label="Email" type="email" value={values.email} error={errors.email} required autocomplete="off" />
          <TextField
            name="password"
            label="Initial password (12 characters or more, not easy to guess)"
            type="password"
            error={errors.password}
            required
            autocomplete="new-password"
          />
          <RoleSelect roles={roles} value={values.role ?? String(roles.find((r) => r.name === 'Technician')?.id ?? '')} error={errors.role} />
          <button class="btn btn-primary" type="submit">
            Add user
          </button>{' '}
          <a class="btn btn-link" href="/admin/users">
            Cancel
          </a>
        </form>
      </div>
    </AppPage>
  );
}

export function EditUserView({
  shell,
  user,
  roles,
  clients,
  values,
  errors,
}: {
  shell: Shell;
  user: UserRow;
  roles: Role[];
  clients: ClientChoice[];
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const csrf = shell.session.csrfToken;
  const mode = (id: number) => (user.allow.includes(id) ? 'allow' : user.deny.includes(id) ? 'deny' : '');
  return (
    <AppPage title={`User ${user.name}`} shell={shell}>
      <p class="mb-1">
        <a href="/admin/users">← Users</a>
      </p>
      <h1 class="h4">
        {user.name} <span class="text-body-secondary fs-6">{user.email}</span>
      </h1>
      <div class="row g-4">
        <section class="col-lg-5" aria-labelledby="user-h">
          <h2 id="user-h" class="h6">
            Account
          </h2>
          <form method="post" action={`/admin/users/${user.id}`} novalidate>
            <CsrfField token={csrf} />
            <TextField name="name" label="Name" value={values.name} error={errors.name} required />
            <RoleSelect roles={roles} value={values.role ?? String(user.roleId)} error={errors.roleId} />
            <div class="mb-3">
              <label class="form-label" for="f-status">
                Status
              </label>
              <select id="f-status" name="status" class={`form-select${errors.status ? ' is-invalid' : ''}`}>
                <option value="active" selected={(values.status ?? user.status) === 'active'}>
                  Active
                </option>
                <option value="disabled" selected={(values.status ?? user.status) === 'disabled'}>
                  Disabled (cannot sign in; API keys stop working)
                </option>
              </select>
              {errors.status ? <div class="invalid-feedback">{errors.status}</div> : null}
            </div>
            <button class="btn btn-primary" type="submit">
              Save
            </button>
          </form>
          <h2 class="h6 mt-4">Two-factor sign-in</h2>
          {user.twoFactor ? (
            <form
              method="post"
              action={`/admin/users/${user.id}/reset-two-factor`}
              data-confirm={`Turn two-factor sign-in off for ${user.name}? They can set it up again.`}
            >
              <CsrfField token={csrf} />
              <p class="small">On.</p>
              <button class="btn btn-sm btn-outline-danger" type="submit">
                Reset two-factor sign-in
              </button>
            </form>
          ) : (
            <p class="small text-body-secondary">Off.</p>
          )}
          <h2 id="password-h" class="h6 mt-4">
            Password
          </h2>
          <form method="post" action={`/admin/users/${user.id}/password`} aria-labelledby="password-h" novalidate>
            <CsrfField token={csrf} />
            {user.mustChangePassword ? <p class="small">Reset: {user.name} chooses a new password at their next sign-in.</p> : null}
            <p class="small text-body-secondary">
              Give {user.name} a new password, then tell it to them. Their sessions end now, and they must choose a password of their own when they sign in.
            </p>
            <TextField
              name="password"
              label="New password"
              type="password"
              error={errors.password}
              required
              autocomplete="new-password"
              help="At least 12 characters, not easy to guess."
            />
            <TextField
              name="password_confirm"
              label="New password again"
              type="password"
              error={errors.password_confirm}
              required
              autocomplete="new-password"
            />
            <button class="btn btn-sm btn-outline-danger" type="submit">
              Reset password
            </button>
          </form>
        </section>
        <section class="col-lg-7" aria-labelledby="access-h">
          <h2 id="access-h" class="h6">
            Clients
          </h2>
          {user.isAdmin ? <p class="small text-body-secondary">Administrators see every client; limits apply to other roles.</p> : null}
          <p class="small text-body-secondary">
            Leave every client on "Role's default" to let the user see all clients. Choose "Only these" for some to limit the user to them; "Never" keeps the
            user from a client in any case.
          </p>
          <form method="post" action={`/admin/users/${user.id}/clients`}>
            <CsrfField token={csrf} />
            <table class="table table-sm align-middle">
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {clients.map((c) => (
                  <tr>
                    <td>
                      <label for={`access-${c.id}`}>{c.name}</label>
                    </td>
                    <td>
                      <select id={`access-${c.id}`} name={`client_${c.id}`} class="form-select form-select-sm">
                        <option value="" selected={mode(c.id) === ''}>
                          Role's default
                        </option>
                        <option value="allow" selected={mode(c.id) === 'allow'}>
                          Only these
                        </option>
                        <option value="deny" selected={mode(c.id) === 'deny'}>
                          Never
                        </option>
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button class="btn btn-primary" type="submit">
              Save client access
            </button>
          </form>
        </section>
      </div>
    </AppPage>
  );
}

export function ApiKeysView({
  shell,
  keys,
  users,
  clients,
  created,
  values,
  chosen,
  errors,
}: {
  shell: Shell;
  keys: ApiKeyInfo[];
  users: Array<{ email: string; name: string }>;
  clients: ClientChoice[];
  created?: { name: string; secret: string } | undefined;
  values: Record<string, string>;
  /** The modules and clients ticked in a form sent back with errors. */
  chosen: { modules: string[]; clients: string[] };
  errors: FieldErrors;
}) {
  const csrf = shell.session.csrfToken;
  const clientName = (id: number) => clients.find((c) => c.id === id)?.name ?? `client ${id}`;
  return (
    <AppPage title="API keys" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="api-keys" />
      {created ? (
        <div class="alert alert-success" role="alert">
          <p class="mb-1">Key "{created.name}" created. Copy the secret now: it is not shown again.</p>
          <code class="d-block user-select-all" data-secret>
            {created.secret}
          </code>
          <button class="btn btn-sm btn-outline-secondary mt-2" type="button" data-copy={created.secret}>
            Copy
          </button>
        </div>
      ) : null}
      <form method="post" action="/admin/api-keys" class="row g-2 align-items-end mb-4" novalidate>
        <CsrfField token={csrf} />
        <div class="col-md-3">
          <label class="form-label" for="f-user">
            Acts as user
          </label>
          <select id="f-user" name="user" class={`form-select${errors.user ? ' is-invalid' : ''}`}>
            {users.map((u) => (
              <option value={u.email} selected={values.user === u.email}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
          {errors.user ? <div class="invalid-feedback">{errors.user}</div> : null}
        </div>
        <div class="col-md-3">
          <TextField name="name" label="Key name" value={values.name} error={errors.name} required />
        </div>
        <div class="col-md-3">
          <TextField name="expires" label="Expires on (optional)" type="date" value={values.expires} error={errors.expires} />
        </div>
        <div class="col-md-3 mb-3">
          <div class="form-check">
            <input
              class={`form-check-input${errors.read_only ? ' is-invalid' : ''}`}
              type="checkbox"
              id="f-read-only"
              name="read_only"
              value="yes"
              checked={values.read_only === 'yes'}
            />
            <label class="form-check-label" for="f-read-only">
              Read only
            </label>
            {errors.read_only ? <div class="invalid-feedback">{errors.read_only}</div> : null}
          </div>
        </div>
        <fieldset class="col-md-6">
          <legend class="form-label fs-6 mb-1">Modules</legend>
          <div class="form-text mt-0 mb-1" id="f-modules-help">
            None ticked: every module its user may use.
          </div>
          {MODULES.map((m) => (
            <div class="form-check form-check-inline">
              <input
                class={`form-check-input${errors.modules ? ' is-invalid' : ''}`}
                type="checkbox"
                id={`f-module-${m}`}
                name="modules"
                value={m}
                checked={chosen.modules.includes(m)}
                aria-describedby="f-modules-help"
              />
              <label class="form-check-label" for={`f-module-${m}`}>
                {moduleName(m)}
              </label>
            </div>
          ))}
          {errors.modules ? <div class="invalid-feedback d-block">{errors.modules}</div> : null}
        </fieldset>
        <div class="col-md-3">
          <label class="form-label" for="f-clients">
            Clients
          </label>
          <select
            id="f-clients"
            name="clients"
            multiple
            size={Math.min(6, Math.max(3, clients.length))}
            class={`form-select${errors.clients ? ' is-invalid' : ''}`}
            aria-describedby="f-clients-help"
          >
            {clients.map((c) => (
              <option value={String(c.id)} selected={chosen.clients.includes(String(c.id))}>
                {c.name}
              </option>
            ))}
          </select>
          <div class="form-text" id="f-clients-help">
            None chosen: every client its user sees.
          </div>
          {errors.clients ? <div class="invalid-feedback d-block">{errors.clients}</div> : null}
        </div>
        <div class="col-md-3 mb-3">
          <button class="btn btn-primary" type="submit">
            Create key
          </button>
        </div>
      </form>
      <div class="table-responsive">
        <table class="table table-sm align-middle">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">User</th>
              <th scope="col">Starts with</th>
              <th scope="col">Scope</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr>
                <td>{k.name}</td>
                <td>{k.userEmail}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td data-scope>
                  {k.scope}
                  {k.clientIds ? <div class="small text-body-secondary">{k.clientIds.map(clientName).join(', ')}</div> : null}
                </td>
                <td>{k.expiresOn ?? 'never'}</td>
                <td class="small">{k.lastUsedAt ? `${k.lastUsedAt.slice(0, 16).replace('T', ' ')} from ${k.lastUsedIp ?? '?'}` : 'never'}</td>
                <td>{k.revokedAt ? <span class="badge text-bg-secondary">Revoked</span> : 'Active'}</td>
                <td>
                  {k.revokedAt ? null : (
                    <form method="post" action={`/admin/api-keys/${k.id}/revoke`} data-confirm={`Revoke the key "${k.name}"? Scripts using it stop working.`}>
                      <CsrfField token={csrf} />
                      <button class="btn btn-sm btn-outline-danger" type="submit">
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AppPage>
  );
}
