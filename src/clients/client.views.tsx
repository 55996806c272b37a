// The client pages: the list of clients, a client's overview, and its add/edit form.
import { CsrfField, TextArea, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { Pagination } from '../web/pagination.tsx';
import { ClientTabs } from '../web/record-pages.views.tsx';
import { ATTENTION_DAYS, RETIREMENT_YEARS, type ClientOverview, type OverviewAsset } from './client-overview.ts';
import type { Client } from './client.service.ts';

import type { ClientListRow } from './client-list.query.ts';

export type { ClientListRow };

export function ClientListView({
  shell,
  rows,
  q,
  archived,
  canAdd,
  page,
  pageSize,
  total,
}: {
  shell: Shell;
  rows: ClientListRow[];
  q: string;
  archived: boolean;
  canAdd: boolean;
  page: number;
  pageSize: number;
  total: number;
}) {
  return (
    <AppPage title="Clients" shell={shell} results="results">
      <div class="d-flex flex-wrap gap-2 align-items-center mb-3">
        <h1 class="h4 mb-0 me-auto">{archived ? 'Archived clients' : 'Clients'}</h1>
        <form method="get" action="/clients" class="d-flex gap-2" role="search">
          <label class="visually-hidden" for="client-search">
            Search clients
          </label>
          <input id="client-search" class="form-control form-control-sm" type="search" name="q" value={q} placeholder="Search clients" />
          {archived ? <input type="hidden" name="archived" value="1" /> : null}
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Search
          </button>
        </form>
        <a class="btn btn-sm btn-link" href={archived ? '/clients' : '/clients?archived=1'}>
          {archived ? 'Active clients' : 'Archived'}
        </a>
        {canAdd ? (
          <a class="btn btn-sm btn-primary" href="/clients/new">
            Add client
          </a>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p id="results" class="text-body-secondary">
          {q ? `No client matches "${q}".` : 'No clients here.'}
        </p>
      ) : (
        <div class="table-responsive">
          <table class="table table-sm table-hover align-middle">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Website</th>
                <th scope="col" class="text-end">
                  Assets
                </th>
              </tr>
            </thead>
            <tbody id="results">
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/clients/${r.id}`}>{r.name}</a>
                  </td>
                  <td>{r.type ?? ''}</td>
                  <td class="text-break">{r.website ?? ''}</td>
                  <td class="text-end">
                    <a href={`/clients/${r.id}/assets`}>{r.assets}</a>
                  </td>
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
        href={(p) => `/clients?${new URLSearchParams({ ...(q ? { q } : {}), ...(archived ? { archived: '1' } : {}), page: String(p) }).toString()}`}
      />
    </AppPage>
  );
}

function AssetList({
  title,
  id,
  assets,
  dateLabel,
  more,
  empty,
}: {
  title: string;
  id: string;
  assets: OverviewAsset[];
  dateLabel?: string;
  more?: string;
  empty: string;
}) {
  return (
    <section class="col-md-6 col-xl-3" aria-labelledby={id}>
      <div class="card h-100">
        <div class="card-header d-flex">
          <h2 id={id} class="h6 mb-0 me-auto">
            {title}
          </h2>
          {more && assets.length ? (
            <a class="small" href={more}>
              All
            </a>
          ) : null}
        </div>
        {assets.length === 0 ? (
          <p class="card-body small text-body-secondary mb-0">{empty}</p>
        ) : (
          <ul class="list-group list-group-flush">
            {assets.map((a) => (
              <li class="list-group-item small d-flex gap-2">
                <a href={`/assets/${a.id}`} class="me-auto">
                  {a.name}
                </a>
                {a.date ? (
                  <span class="text-body-secondary" title={dateLabel}>
                    {a.date}
                  </span>
                ) : (
                  <span class="text-body-secondary">{a.type ?? ''}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

export function ClientOverviewView({
  shell,
  client,
  overview,
  canEdit,
  canDelete,
}: {
  shell: Shell;
  client: Client;
  overview: ClientOverview;
  canEdit: boolean;
  canDelete: boolean;
}) {
  const c = overview.counts;
  const base = `/clients/${client.id}`;
  const stats: Array<[string, number, string]> = [
    ['Assets', c.assets, `${base}/assets`],
    ['Locations', c.locations, `${base}/locations`],
    ['Contacts', c.contacts, `${base}/contacts`],
    ['Vendors', c.vendors, `${base}/vendors`],
    ['Networks', c.networks, `${base}/networks`],
    ['Archived assets', c.archivedAssets, `${base}/assets?archived=1`],
  ];
  return (
    <AppPage title={client.name} shell={shell}>
      <div class="d-flex flex-wrap gap-2 align-items-center mb-2">
        <h1 class="h4 mb-0 me-auto">
          {client.name}
          {client.archivedAt ? <span class="badge text-bg-warning ms-2">Archived</span> : null}
        </h1>
        {canEdit ? (
          <a class="btn btn-sm btn-outline-primary" href={`${base}/edit`}>
            Edit
          </a>
        ) : null}
        {canEdit ? (
          <form
            method="post"
            action={`${base}/${client.archivedAt ? 'restore' : 'archive'}`}
            data-confirm={client.archivedAt ? undefined : `Archive ${client.name}? It leaves the client picker; its records stay as they are.`}
          >
            <CsrfField token={shell.session.csrfToken} />
            <button class="btn btn-sm btn-outline-secondary" type="submit">
              {client.archivedAt ? 'Restore' : 'Archive'}
            </button>
          </form>
        ) : null}
        {canDelete ? (
          <form
            method="post"
            action={`${base}/delete`}
            data-confirm={`Delete ${client.name} for good, with its locations, contacts and other records? It has no assets.`}
          >
            <CsrfField token={shell.session.csrfToken} />
            <button class="btn btn-sm btn-outline-danger" type="submit">
              Delete
            </button>
          </form>
        ) : null}
      </div>
      <ClientTabs clientId={client.id} current="overview" />
      {client.website || client.type || client.notes ? (
        <p class="small text-body-secondary record-value">{[client.type, client.website, client.notes].filter(Boolean).join(' · ')}</p>
      ) : null}
      <ul class="list-inline mb-3" aria-label="Counts">
        {stats.map(([label, n, href]) => (
          <li class="list-inline-item me-3">
            <a href={href}>
              <strong data-count={label}>{n}</strong> {label.toLowerCase()}
            </a>
          </li>
        ))}
      </ul>
      <div class="row g-3">
        <AssetList title="Favorite assets" id="ov-favorites" assets={overview.favorites} more={`${base}/assets?favorites=1`} empty="No starred assets." />
        <AssetList
          title={`Warranty ends within ${ATTENTION_DAYS} days`}
          id="ov-ending"
          assets={overview.warrantyEnding}
          dateLabel="Warranty ends"
          more={`${base}/assets?warranty=${ATTENTION_DAYS}`}
          empty="None."
        />
        <AssetList
          title={`Due for retirement (${RETIREMENT_YEARS}+ years installed)`}
          id="ov-retire"
          assets={overview.retirementDue}
          dateLabel="Installed"
          empty="None."
        />
        <AssetList
          title="Warranty expired"
          id="ov-expired"
          assets={overview.warrantyExpired}
          dateLabel="Warranty ended"
          more={`${base}/assets?warranty=expired`}
          empty="None."
        />
      </div>
    </AppPage>
  );
}

export function ClientFormView({
  shell,
  client,
  values,
  errors,
}: {
  shell: Shell;
  client: Client | null;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  return (
    <AppPage title={client ? `Edit ${client.name}` : 'Add a client'} shell={shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">{client ? `Edit ${client.name}` : 'Add a client'}</h1>
        <form method="post" action={client ? `/clients/${client.id}/edit` : '/clients/new'} novalidate>
          <CsrfField token={shell.session.csrfToken} />
          <TextField name="name" label="Client name" value={values.name} error={errors.name} required autofocus />
          <TextField name="type" label="Type" value={values.type} error={errors.type} help="e.g. Managed, Break-fix" />
          <TextField name="website" label="Website" value={values.website} error={errors.website} />
          <TextArea name="notes" label="Notes" value={values.notes} error={errors.notes} />
          <button class="btn btn-primary" type="submit">
            {client ? 'Save' : 'Add client'}
          </button>
          {client ? (
            <a class="btn btn-link" href={`/clients/${client.id}`}>
              Cancel
            </a>
          ) : null}
        </form>
      </div>
    </AppPage>
  );
}
