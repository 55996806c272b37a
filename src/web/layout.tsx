// The app shell around every signed-in page: navigation, client picker, global search, the user's
// menu and one-time messages. Pages outside the shell (setup, sign-in) use `BarePage`.
import type { ComponentChildren } from 'preact';
import type { WebSession } from '../auth/session.service.ts';
import type { Flash } from './flash.ts';

export interface Shell {
  session: WebSession;
  companyName: string;
  clients: Array<{ id: number; name: string }>;
  currentClientId?: number | null;
  flash?: Flash | null;
  /** Unread notifications, shown on the bell in the top bar. */
  unread?: number;
}

function Head({ title, signedIn }: { title: string; signedIn?: boolean }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowScriptTags":false}' />
      <title>{title} · Steward</title>
      <link rel="icon" href="/static/app/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css" />
      <link rel="stylesheet" href="/static/app/app.css" />
      {/* Tag chips' colours (src/tags/tag.pages.ts): classes, since the CSP allows no inline styles. */}
      {signedIn ? <link rel="stylesheet" href="/tags/colors.css" /> : null}
      <script src="/static/app/theme.js"></script>
      <script defer src="/static/htmx/htmx.min.js"></script>
      <script defer src="/static/bootstrap/js/bootstrap.bundle.min.js"></script>
      <script defer src="/static/app/app.js"></script>
    </head>
  );
}

export function BarePage({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <Head title={title} />
      <body class="bg-body-tertiary">
        <main class="container py-5">
          <div class="mx-auto bare-page">{children}</div>
        </main>
      </body>
    </html>
  );
}

export function FlashMessage({ flash }: { flash: Flash | null | undefined }) {
  if (!flash) return null;
  return (
    <div class={`alert alert-${flash.kind} py-2`} role={flash.kind === 'danger' ? 'alert' : 'status'}>
      {flash.text}
    </div>
  );
}

/**
 * `results`: the id of a list page's rows; a "Skip to results" link, the page's first stop for the
 * keyboard, leads there past the menu and the filters.
 */
export function AppPage({ title, shell, results, children }: { title: string; shell: Shell; results?: string; children: ComponentChildren }) {
  const { session } = shell;
  return (
    <html lang="en">
      <Head title={title} signedIn />
      <body hx-headers={JSON.stringify({ 'x-csrf-token': session.csrfToken })}>
        {results ? (
          <a class="visually-hidden-focusable" href={`#${results}`}>
            Skip to results
          </a>
        ) : null}
        <a class="visually-hidden-focusable" href="#main">
          Skip to content
        </a>
        <nav class="navbar navbar-expand-lg border-bottom bg-body" aria-label="Main">
          <div class="container-fluid gap-2">
            <a class="navbar-brand fw-semibold" href="/assets">
              Steward <span class="text-body-secondary fw-normal small">{shell.companyName}</span>
            </a>
            <button
              class="navbar-toggler"
              type="button"
              data-bs-toggle="collapse"
              data-bs-target="#nav"
              aria-controls="nav"
              aria-expanded="false"
              aria-label="Menu"
            >
              <span class="navbar-toggler-icon"></span>
            </button>
            <div class="collapse navbar-collapse gap-2" id="nav">
              <ul class="navbar-nav">
                <li class="nav-item">
                  <a class="nav-link" href="/dashboard">
                    Dashboard
                  </a>
                </li>
                <li class="nav-item">
                  <a class="nav-link" href="/clients">
                    Clients
                  </a>
                </li>
                <li class="nav-item">
                  <a class="nav-link" href="/assets">
                    All assets
                  </a>
                </li>
              </ul>
              <form class="d-flex" method="get" action="/clients/go">
                <label class="visually-hidden" for="client-picker">
                  Client
                </label>
                <select id="client-picker" name="client_id" class="form-select form-select-sm" data-autosubmit>
                  <option value="">Choose a client…</option>
                  {shell.clients.map((c) => (
                    <option value={String(c.id)} selected={c.id === shell.currentClientId}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <noscript>
                  <button class="btn btn-sm btn-outline-secondary ms-1" type="submit">
                    Go
                  </button>
                </noscript>
              </form>
              {session.principal.levels.client >= 2 && (session.principal.isAdmin || session.principal.allow === null) ? (
                <a class="btn btn-sm btn-primary" href="/clients/new">
                  Add client
                </a>
              ) : null}
              <form class="d-flex ms-lg-auto" method="get" action="/search" role="search" aria-label="Site">
                <label class="visually-hidden" for="global-search">
                  Search assets, clients, contacts, locations, networks, logins and tickets
                </label>
                <input id="global-search" class="form-control form-control-sm" type="search" name="q" placeholder="Search (press /)" aria-keyshortcuts="/" />
              </form>
              <a class="btn btn-sm btn-outline-secondary position-relative" href="/notifications">
                Notifications
                {shell.unread ? (
                  <span class="badge text-bg-danger ms-1" data-unread>
                    {shell.unread}
                    <span class="visually-hidden"> unread</span>
                  </span>
                ) : null}
              </a>
              <div class="dropdown">
                <button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false">
                  {session.userName}
                </button>
                <div class="dropdown-menu dropdown-menu-end">
                  <span class="dropdown-item-text small text-body-secondary">{session.email}</span>
                  <a class="dropdown-item" href="/account/password">
                    Password
                  </a>
                  <a class="dropdown-item" href="/account/two-factor">
                    Two-factor sign-in
                  </a>
                  {session.principal.isAdmin ? (
                    <a class="dropdown-item" href="/admin/users">
                      Administration
                    </a>
                  ) : null}
                  <button class="dropdown-item" type="button" data-theme-toggle>
                    Switch light/dark
                  </button>
                  <form method="post" action="/sign-out">
                    <input type="hidden" name="_csrf" value={session.csrfToken} />
                    <button class="dropdown-item" type="submit">
                      Sign out
                    </button>
                  </form>
                </div>
              </div>
            </div>
          </div>
        </nav>
        <main id="main" class="container-fluid py-3">
          <FlashMessage flash={shell.flash} />
          {children}
        </main>
        <div class="modal fade" id="confirm-modal" role="dialog" tabindex={-1} aria-labelledby="confirm-modal-title" aria-hidden="true">
          <div class="modal-dialog">
            <div class="modal-content">
              <div class="modal-header">
                <h2 class="modal-title h5" id="confirm-modal-title">
                  Are you sure?
                </h2>
                <button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Cancel"></button>
              </div>
              <div class="modal-body">
                <p data-confirm-message></p>
              </div>
              <div class="modal-footer">
                <button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">
                  Cancel
                </button>
                <button type="button" class="btn btn-danger" data-confirm-ok>
                  Yes, go ahead
                </button>
              </div>
            </div>
          </div>
        </div>
      </body>
    </html>
  );
}

const ERROR_TITLES: Record<number, string> = { 403: 'Not allowed', 404: 'Not found', 409: 'Changed meanwhile', 503: 'Try again in a moment' };

export function ErrorPage({ status, message }: { status: number; message: string }) {
  const title = ERROR_TITLES[status] ?? (status < 500 ? 'That did not work' : 'Something went wrong');
  return (
    <BarePage title={title}>
      <h1 class="h4">{title}</h1>
      <p>{message}</p>
      <a href="/assets">Back to the asset list</a>
    </BarePage>
  );
}

/**
 * Asks before something that cannot be undone, for browsers without JavaScript (which get a dialog
 * instead): the same form again, with its fields and confirmed=1.
 */
export function ConfirmPage({
  shell,
  title,
  message,
  action,
  fields,
  cancelHref,
}: {
  shell: Shell;
  title: string;
  message: string;
  action: string;
  fields: Array<[string, string]>;
  cancelHref: string;
}) {
  return (
    <AppPage title={title} shell={shell}>
      <div class="bare-page">
        <h1 class="h4">{title}</h1>
        <p>{message}</p>
        <form method="post" action={action}>
          <input type="hidden" name="_csrf" value={shell.session.csrfToken} />
          {fields
            .filter(([k]) => k !== '_csrf' && k !== 'confirmed')
            .map(([k, v]) => (
              <input type="hidden" name={k} value={v} />
            ))}
          <input type="hidden" name="confirmed" value="1" />
          <button class="btn btn-danger" type="submit">
            Yes, go ahead
          </button>
          <a class="btn btn-outline-secondary ms-2" href={cancelHref}>
            Cancel
          </a>
        </form>
      </div>
    </AppPage>
  );
}
