// The asset list page: type tabs with counts, search and filters, sortable columns, paging, and bulk
// actions on ticked rows.
import { AppPage, type Shell } from '../web/layout.tsx';
import { CsrfField } from '../web/forms.tsx';
import { PAGE_SIZES, SEARCH_CAP, SORTS, TYPE_TABS, type AssetListFilters, type AssetListPage, type SortKey, type TabKey } from './asset-list.query.ts';

export interface AssetListView {
  shell: Shell;
  basePath: string;
  client: { id: number; name: string } | null;
  filters: AssetListFilters;
  page: AssetListPage;
  statuses: string[];
  canWrite: boolean;
  canDelete: boolean;
}

/** The list's URL with some filters changed (page back to 1 unless given). */
function href(v: AssetListView, change: Partial<Record<'q' | 'tab' | 'archived' | 'status' | 'sort' | 'desc' | 'page' | 'size', string | null>>): string {
  const f = v.filters;
  const params = new URLSearchParams();
  const all = {
    q: f.q || null, tab: f.tab === 'all' ? null : f.tab, archived: f.archived ? '1' : null, status: f.status,
    sort: f.sort === 'name' ? null : f.sort, desc: f.desc ? '1' : null, page: null, size: null, ...change,
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
        {SORTS[sort]}{active ? (v.filters.desc ? ' ▾' : ' ▴') : ''}
      </a>
    </th>
  );
}

export function AssetListPageView(v: AssetListView) {
  const { filters: f, page } = v;
  const pages = Math.max(1, Math.ceil(page.total / f.pageSize));
  const title = v.client ? `${v.client.name}: assets` : 'Assets, all clients';
  return (
    <AppPage title={title} shell={v.shell}>
      <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
        <h1 class="h4 mb-0 me-auto">{title}</h1>
        {v.client && v.canWrite ? <a class="btn btn-primary btn-sm" href={`/assets/new?client_id=${v.client.id}`}>Add asset</a> : null}
      </div>

      <ul class="nav nav-tabs mb-3">
        {(Object.keys(TYPE_TABS) as TabKey[]).map((tab) => (
          <li class="nav-item">
            <a class={`nav-link${f.tab === tab ? ' active' : ''}`} aria-current={f.tab === tab ? 'page' : undefined} href={href(v, { tab: tab === 'all' ? null : tab })}>
              {TYPE_TABS[tab].label} <span class="badge text-bg-secondary">{page.tabCounts[tab]}</span>
            </a>
          </li>
        ))}
      </ul>

      <form class="row g-2 align-items-end mb-3" method="get" action={v.basePath}>
        {f.tab !== 'all' ? <input type="hidden" name="tab" value={f.tab} /> : null}
        <div class="col-12 col-md-5">
          <label class="form-label small mb-1" for="list-q">Search</label>
          <input id="list-q" class="form-control form-control-sm" type="search" name="q" value={f.q} placeholder="Name, serial, IP, MAC, make, model, OS…" />
        </div>
        <div class="col-6 col-md-2">
          <label class="form-label small mb-1" for="list-status">Status</label>
          <select id="list-status" class="form-select form-select-sm" name="status">
            <option value="">Any</option>
            {v.statuses.map((s) => <option value={s} selected={f.status === s}>{s}</option>)}
          </select>
        </div>
        <div class="col-6 col-md-2">
          <label class="form-label small mb-1" for="list-size">Per page</label>
          <select id="list-size" class="form-select form-select-sm" name="size">
            {PAGE_SIZES.map((n) => <option value={String(n)} selected={f.pageSize === n}>{n}</option>)}
          </select>
        </div>
        <div class="col-6 col-md-2 form-check ms-2 mb-1">
          <input id="list-archived" class="form-check-input" type="checkbox" name="archived" value="1" checked={f.archived} />
          <label class="form-check-label small" for="list-archived">Archived</label>
        </div>
        <div class="col-auto"><button class="btn btn-sm btn-outline-primary" type="submit">Apply</button></div>
      </form>

      {page.searchCapped ? <div class="alert alert-info py-2">The search matched more than {SEARCH_CAP.toLocaleString('en-US')} assets; only the first {SEARCH_CAP.toLocaleString('en-US')} are listed. Narrow it down.</div> : null}

      <form method="post" action="/assets/bulk" id="bulk">
        <CsrfField token={v.shell.session.csrfToken} />
        <input type="hidden" name="return_to" value={href(v, { page: f.page > 1 ? String(f.page) : null })} />
        {v.canWrite ? (
          <div class="d-flex flex-wrap gap-2 align-items-center mb-2">
            <label class="small text-body-secondary" for="bulk-status">With ticked assets:</label>
            <select id="bulk-status" class="form-select form-select-sm w-auto" name="status">
              <option value="">Set status…</option>
              {v.statuses.map((s) => <option value={s}>{s}</option>)}
            </select>
            <button class="btn btn-sm btn-outline-secondary" type="submit" name="action" value="set_status">Set status</button>
            {f.archived
              ? <button class="btn btn-sm btn-outline-secondary" type="submit" name="action" value="restore">Restore</button>
              : <button class="btn btn-sm btn-outline-secondary" type="submit" name="action" value="archive" data-confirm="Archive the ticked assets?">Archive</button>}
            {v.canDelete ? <button class="btn btn-sm btn-outline-danger" type="submit" name="action" value="delete" data-confirm="Delete the ticked assets for good? Their history is kept.">Delete</button> : null}
          </div>
        ) : null}
        <div class="table-responsive">
          <table class="table table-sm table-hover align-middle table-assets">
            <thead>
              <tr>
                {v.canWrite ? <th scope="col"><input class="form-check-input" type="checkbox" data-check-all aria-label="Tick all" /></th> : null}
                <SortHeader v={v} sort="name" />
                <SortHeader v={v} sort="type" />
                <th scope="col">Make / model</th>
                <SortHeader v={v} sort="serial" />
                <SortHeader v={v} sort="ip" />
                <th scope="col">MAC</th>
                <SortHeader v={v} sort="status" />
                <th scope="col">Assigned to</th>
                <th scope="col">Location</th>
                {v.client ? null : <SortHeader v={v} sort="client" />}
                <SortHeader v={v} sort="warranty" />
              </tr>
            </thead>
            <tbody>
              {page.rows.length === 0 ? (
                <tr><td colSpan={12} class="text-body-secondary py-4 text-center">
                  No assets match.{v.client && v.canWrite ? ' Add the first one with “Add asset”.' : ''}
                  {!v.client && v.shell.clients.length === 0 ? <> There are no clients yet: <a href="/clients/new">add your first client</a>.</> : null}
                  {!v.client && v.shell.clients.length > 0 && v.canWrite ? ' To add an asset, choose a client first.' : null}
                </td></tr>
              ) : page.rows.map((r) => (
                <tr>
                  {v.canWrite ? <td><input class="form-check-input" type="checkbox" name="ids" value={String(r.id)} data-row-check aria-label={`Tick ${r.name}`} /></td> : null}
                  <td>{r.favorite ? <span title="Favorite" aria-label="Favorite">★ </span> : null}<a href={`/assets/${r.id}`}>{r.name}</a>{r.archivedAt ? <span class="badge text-bg-warning ms-1">archived</span> : null}</td>
                  <td>{r.type}</td>
                  <td>{[r.make, r.model].filter(Boolean).join(' ')}</td>
                  <td class="mono">{r.serial}</td>
                  <td class="mono">{r.ip}</td>
                  <td class="mono">{r.mac}</td>
                  <td>{r.status}</td>
                  <td>{r.contactName}</td>
                  <td>{r.locationName}</td>
                  {v.client ? null : <td><a class="link-secondary" href={`/clients/${r.clientId}/assets`}>{r.clientName}</a></td>}
                  <td>{r.warrantyExpire}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </form>

      <nav class="d-flex align-items-center gap-2" aria-label="Pages">
        <span class="small text-body-secondary me-auto">{page.total.toLocaleString('en-US')} assets · page {f.page} of {pages}</span>
        {f.page > 1 ? <a class="btn btn-sm btn-outline-secondary" href={href(v, { page: String(f.page - 1), size: String(f.pageSize) })} rel="prev">Previous</a> : null}
        {f.page < pages ? <a class="btn btn-sm btn-outline-secondary" href={href(v, { page: String(f.page + 1), size: String(f.pageSize) })} rel="next">Next</a> : null}
      </nav>
    </AppPage>
  );
}
