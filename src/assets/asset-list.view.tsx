// The asset list page: type tabs with counts, search and filters, sortable columns, paging, and bulk
// actions on ticked rows.
import { ClientTabs } from '../web/record-pages.views.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { CsrfField } from '../web/forms.tsx';
import { RowStar } from './asset-related.pages.tsx';
import {
  PAGE_SIZES,
  SEARCH_CAP,
  SORTS,
  TYPE_TABS,
  WARRANTY_FILTERS,
  type AssetListFilters,
  type AssetListPage,
  type SortKey,
  type TabKey,
} from './asset-list.query.ts';

type Choice = { id: number; name: string };

/** The list's optional columns, in order; name and type are always shown. */
export const OPTIONAL_COLUMNS = {
  make_model: 'Make / model',
  serial: 'Serial',
  os: 'Operating system',
  ip: 'IP',
  mac: 'MAC',
  status: 'Status',
  contact: 'Assigned to',
  location: 'Location',
  client: 'Client',
  warranty: 'Warranty',
} as const;
export type ColumnKey = keyof typeof OPTIONAL_COLUMNS;
export const DEFAULT_COLUMNS: ColumnKey[] = ['make_model', 'serial', 'ip', 'mac', 'status', 'contact', 'location', 'client', 'warranty'];

export interface AssetListView {
  shell: Shell;
  basePath: string;
  client: { id: number; name: string } | null;
  filters: AssetListFilters;
  page: AssetListPage;
  statuses: string[];
  choices: { locations: Choice[]; contacts: Choice[]; tags: Choice[] };
  columns: ColumnKey[];
  canWrite: boolean;
  canDelete: boolean;
}

/** The list's URL with some filters changed (page back to 1 unless given). */
type Param = 'q' | 'tab' | 'archived' | 'status' | 'sort' | 'desc' | 'page' | 'size' | 'location' | 'tag' | 'warranty' | 'favorites' | 'client';

function href(v: AssetListView, change: Partial<Record<Param, string | null>>): string {
  const f = v.filters;
  const params = new URLSearchParams();
  const all = {
    q: f.q || null,
    tab: f.tab === 'all' ? null : f.tab,
    archived: f.archived ? '1' : null,
    status: f.status,
    location: f.locationId ? String(f.locationId) : null,
    tag: f.tagId ? String(f.tagId) : null,
    warranty: f.warranty,
    favorites: f.favorites ? '1' : null,
    client: !v.client && f.clientId ? String(f.clientId) : null,
    sort: f.sort === 'name' ? null : f.sort,
    desc: f.desc ? '1' : null,
    page: null,
    size: null,
    ...change,
  };
  for (const [k, value] of Object.entries(all)) if (value) params.set(k, value);
  const qs = params.toString();
  return qs ? `${v.basePath}?${qs}` : v.basePath;
}

function SortHeader({ v, sort }: { v: AssetListView; sort: SortKey }) {
  const active = v.filters.sort === sort;
  const nextDesc = active && !v.filters.desc;
  return (
    <th scope="col" aria-sort={active ? (v.filters.desc ? 'descending' : 'ascending') : undefined}>
      <a class="link-body-emphasis text-decoration-none" href={href(v, { sort, desc: nextDesc ? '1' : null })}>
        {SORTS[sort]}
        {active ? (v.filters.desc ? ' ▾' : ' ▴') : ''}
      </a>
    </th>
  );
}

export function AssetListPageView(v: AssetListView) {
  const { filters: f, page } = v;
  const pages = Math.max(1, Math.ceil(page.total / f.pageSize));
  const title = v.client ? `${v.client.name}: assets` : 'Assets, all clients';
  // The client column says nothing on one client's list.
  const show = (column: ColumnKey) => v.columns.includes(column) && !(column === 'client' && v.client);
  return (
    <AppPage title={title} shell={v.shell}>
      <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
        <h1 class="h4 mb-0 me-auto">{title}</h1>
        <div class="btn-group">
          {v.canWrite ? (
            <a class="btn btn-outline-secondary btn-sm" href={`${v.basePath}/import`}>
              Import CSV
            </a>
          ) : null}
          <a class="btn btn-outline-secondary btn-sm" href={href(v, {}).replace(v.basePath, `${v.basePath}/export.csv`)} download>
            Export CSV
          </a>
          <a
            class="btn btn-outline-secondary btn-sm"
            href={`${href(v, {}).replace(v.basePath, `${v.basePath}/export.csv`)}${href(v, {}).includes('?') ? '&' : '?'}bom=1&columns=all`}
            download
          >
            CSV for Excel, all columns
          </a>
        </div>
        {v.client && v.canWrite ? (
          <a class="btn btn-primary btn-sm" href={`/assets/new?client_id=${v.client.id}`}>
            Add asset
          </a>
        ) : null}
      </div>
      {v.client ? <ClientTabs clientId={v.client.id} current="assets" /> : null}

      <ul class="nav nav-tabs mb-3">
        {(Object.keys(TYPE_TABS) as TabKey[]).map((tab) => (
          <li class="nav-item">
            <a
              class={`nav-link${f.tab === tab ? ' active' : ''}`}
              aria-current={f.tab === tab ? 'page' : undefined}
              href={href(v, { tab: tab === 'all' ? null : tab })}
            >
              {TYPE_TABS[tab].label} <span class="badge text-bg-secondary">{page.tabCounts[tab]}</span>
            </a>
          </li>
        ))}
      </ul>

      <form class="row g-2 align-items-end mb-3" method="get" action={v.basePath}>
        {f.tab !== 'all' ? <input type="hidden" name="tab" value={f.tab} /> : null}
        <div class="col-12 col-md-3">
          <label class="form-label small mb-1" for="list-q">
            Search
          </label>
          <input id="list-q" class="form-control form-control-sm" type="search" name="q" value={f.q} placeholder="Name, serial, IP, MAC, make, model, OS…" />
        </div>
        <div class="col-6 col-md-2">
          <label class="form-label small mb-1" for="list-status">
            Status
          </label>
          <select id="list-status" class="form-select form-select-sm" name="status">
            <option value="">Any</option>
            {v.statuses.map((s) => (
              <option value={s} selected={f.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {v.client ? (
          <div class="col-6 col-md-2">
            <label class="form-label small mb-1" for="list-location">
              Location
            </label>
            <select id="list-location" class="form-select form-select-sm" name="location">
              <option value="">Any</option>
              {v.choices.locations.map((l) => (
                <option value={String(l.id)} selected={f.locationId === l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div class="col-6 col-md-2">
            <label class="form-label small mb-1" for="list-client">
              Client
            </label>
            <select id="list-client" class="form-select form-select-sm" name="client">
              <option value="">Any</option>
              {v.shell.clients.map((c) => (
                <option value={String(c.id)} selected={f.clientId === c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="col-6 col-md-2">
          <label class="form-label small mb-1" for="list-tag">
            Tag
          </label>
          <select id="list-tag" class="form-select form-select-sm" name="tag">
            <option value="">Any</option>
            {v.choices.tags.map((t) => (
              <option value={String(t.id)} selected={f.tagId === t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div class="col-6 col-md-2">
          <label class="form-label small mb-1" for="list-warranty">
            Warranty
          </label>
          <select id="list-warranty" class="form-select form-select-sm" name="warranty">
            <option value="">Any</option>
            {Object.entries(WARRANTY_FILTERS).map(([key, label]) => (
              <option value={key} selected={f.warranty === key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="col-6 col-md-1">
          <label class="form-label small mb-1" for="list-size">
            Per page
          </label>
          <select id="list-size" class="form-select form-select-sm" name="size">
            {PAGE_SIZES.map((n) => (
              <option value={String(n)} selected={f.pageSize === n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div class="col-auto form-check ms-2 mb-1">
          <input id="list-archived" class="form-check-input" type="checkbox" name="archived" value="1" checked={f.archived} />
          <label class="form-check-label small" for="list-archived">
            Archived
          </label>
        </div>
        <div class="col-auto form-check ms-2 mb-1">
          <input id="list-favorites" class="form-check-input" type="checkbox" name="favorites" value="1" checked={f.favorites} />
          <label class="form-check-label small" for="list-favorites">
            Favorites only
          </label>
        </div>
        <div class="col-auto">
          <button class="btn btn-sm btn-outline-primary" type="submit">
            Apply
          </button>
        </div>
      </form>

      <details class="mb-2">
        <summary class="small">Columns</summary>
        <form method="get" action={v.basePath} class="d-flex flex-wrap gap-3 align-items-center mt-1">
          <input type="hidden" name="columns_set" value="1" />
          {(Object.keys(OPTIONAL_COLUMNS) as ColumnKey[]).map((c) => (
            <div class="form-check">
              <input class="form-check-input" type="checkbox" id={`col-${c}`} name="col" value={c} checked={v.columns.includes(c)} />
              <label class="form-check-label small" for={`col-${c}`}>
                {OPTIONAL_COLUMNS[c]}
              </label>
            </div>
          ))}
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Show these columns
          </button>
        </form>
      </details>

      {page.searchCapped ? (
        <div class="alert alert-info py-2">
          The search matched more than {SEARCH_CAP.toLocaleString('en-US')} assets; only the first {SEARCH_CAP.toLocaleString('en-US')} are listed. Narrow it
          down.
        </div>
      ) : null}

      <form method="post" action="/assets/bulk" id="bulk">
        <CsrfField token={v.shell.session.csrfToken} />
        <input type="hidden" name="return_to" value={href(v, { page: f.page > 1 ? String(f.page) : null })} />
        {v.canWrite ? (
          <div class="d-flex flex-wrap gap-2 align-items-center mb-2">
            <label class="small text-body-secondary" for="bulk-action">
              With ticked assets:
            </label>
            <select id="bulk-action" class="form-select form-select-sm w-auto" name="action" aria-describedby="bulk-help">
              <option value="set_status">Set status</option>
              <option value="favorite">Star as favorite</option>
              <option value="unfavorite">Remove the star</option>
              {v.client ? <option value="assign_contact">Assign to contact</option> : null}
              {v.client ? <option value="assign_location">Move to location</option> : null}
              <option value="set_physical_location">Set physical location</option>
              <option value="add_tags">Add tags</option>
              <option value="replace_tags">Replace tags</option>
              <option value="transfer">Transfer to client…</option>
              {f.archived ? <option value="restore">Restore</option> : <option value="archive">Archive</option>}
              {v.canDelete ? <option value="delete">Delete</option> : null}
            </select>
            <label class="visually-hidden" for="bulk-status">
              Status
            </label>
            <select id="bulk-status" class="form-select form-select-sm w-auto" name="status">
              <option value="">Status…</option>
              {v.statuses.map((s) => (
                <option value={s}>{s}</option>
              ))}
            </select>
            {v.client ? (
              <>
                <label class="visually-hidden" for="bulk-contact">
                  Contact
                </label>
                <select id="bulk-contact" class="form-select form-select-sm w-auto" name="contact_id">
                  <option value="">Contact…</option>
                  <option value="none">(nobody)</option>
                  {v.choices.contacts.map((c) => (
                    <option value={String(c.id)}>{c.name}</option>
                  ))}
                </select>
                <label class="visually-hidden" for="bulk-location">
                  Location
                </label>
                <select id="bulk-location" class="form-select form-select-sm w-auto" name="location_id">
                  <option value="">Location…</option>
                  <option value="none">(none)</option>
                  {v.choices.locations.map((l) => (
                    <option value={String(l.id)}>{l.name}</option>
                  ))}
                </select>
              </>
            ) : null}
            <label class="visually-hidden" for="bulk-physical">
              Physical location
            </label>
            <input id="bulk-physical" class="form-control form-control-sm w-auto" name="physical_location" placeholder="Physical location…" />
            <label class="visually-hidden" for="bulk-tags">
              Tags
            </label>
            <input id="bulk-tags" class="form-control form-control-sm w-auto" name="tags" placeholder="Tags, comma-separated…" />
            <button class="btn btn-sm btn-outline-primary" type="submit" data-confirm="Apply this to every ticked asset?">
              Apply to ticked
            </button>
            <span id="bulk-help" class="visually-hidden">
              Choose an action, fill in the value it needs, then apply.
            </span>
          </div>
        ) : null}
        <div class="table-responsive">
          <table class="table table-sm table-hover align-middle table-assets">
            <thead>
              <tr>
                {v.canWrite ? (
                  <th scope="col">
                    <input class="form-check-input" type="checkbox" data-check-all aria-label="Tick all" />
                  </th>
                ) : null}
                <SortHeader v={v} sort="name" />
                <SortHeader v={v} sort="type" />
                {show('make_model') ? <th scope="col">Make / model</th> : null}
                {show('serial') ? <SortHeader v={v} sort="serial" /> : null}
                {show('os') ? <th scope="col">Operating system</th> : null}
                {show('ip') ? <SortHeader v={v} sort="ip" /> : null}
                {show('mac') ? <th scope="col">MAC</th> : null}
                {show('status') ? <SortHeader v={v} sort="status" /> : null}
                {show('contact') ? <th scope="col">Assigned to</th> : null}
                {show('location') ? <th scope="col">Location</th> : null}
                {show('client') ? <SortHeader v={v} sort="client" /> : null}
                {show('warranty') ? <SortHeader v={v} sort="warranty" /> : null}
              </tr>
            </thead>
            <tbody>
              {page.rows.length === 0 ? (
                <tr>
                  <td colSpan={12} class="text-body-secondary py-4 text-center">
                    No assets match.{v.client && v.canWrite ? ' Add the first one with “Add asset”.' : ''}
                    {!v.client && v.shell.clients.length === 0 ? (
                      <>
                        {' '}
                        There are no clients yet: <a href="/clients/new">add your first client</a>.
                      </>
                    ) : null}
                    {!v.client && v.shell.clients.length > 0 && v.canWrite ? ' To add an asset, choose a client first.' : null}
                  </td>
                </tr>
              ) : (
                page.rows.map((r) => (
                  <tr>
                    {v.canWrite ? (
                      <td>
                        <input class="form-check-input" type="checkbox" name="ids" value={String(r.id)} data-row-check aria-label={`Tick ${r.name}`} />
                      </td>
                    ) : null}
                    <td>
                      {v.canWrite ? (
                        <RowStar asset={r} />
                      ) : r.favorite ? (
                        <span role="img" title="Favorite" aria-label="Favorite">
                          ★{' '}
                        </span>
                      ) : null}{' '}
                      <a href={`/assets/${r.id}`}>{r.name}</a>
                      {r.archivedAt ? <span class="badge text-bg-warning ms-1">archived</span> : null}
                    </td>
                    <td>{r.type}</td>
                    {show('make_model') ? <td>{[r.make, r.model].filter(Boolean).join(' ')}</td> : null}
                    {show('serial') ? <td class="mono">{r.serial}</td> : null}
                    {show('os') ? <td>{r.os}</td> : null}
                    {show('ip') ? <td class="mono">{r.ip}</td> : null}
                    {show('mac') ? <td class="mono">{r.mac}</td> : null}
                    {show('status') ? <td>{r.status}</td> : null}
                    {show('contact') ? <td>{r.contactName}</td> : null}
                    {show('location') ? <td>{r.locationName}</td> : null}
                    {show('client') ? (
                      <td>
                        <a class="link-secondary" href={`/clients/${r.clientId}/assets`}>
                          {r.clientName}
                        </a>
                      </td>
                    ) : null}
                    {show('warranty') ? <td>{r.warrantyExpire}</td> : null}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </form>

      <nav class="d-flex align-items-center gap-2" aria-label="Pages">
        <span class="small text-body-secondary me-auto">
          {page.total.toLocaleString('en-US')} assets · page {f.page} of {pages}
        </span>
        {f.page > 1 ? (
          <a class="btn btn-sm btn-outline-secondary" href={href(v, { page: String(f.page - 1), size: String(f.pageSize) })} rel="prev">
            Previous
          </a>
        ) : null}
        {f.page < pages ? (
          <a class="btn btn-sm btn-outline-secondary" href={href(v, { page: String(f.page + 1), size: String(f.pageSize) })} rel="next">
            Next
          </a>
        ) : null}
      </nav>
    </AppPage>
  );
}
