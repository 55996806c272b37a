// The asset list page: type tabs with counts, search and filters, sortable columns, paging, and bulk
// actions on ticked rows.
import { ClientTabs } from '../web/record-pages.views.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { CsrfField } from '../web/forms.tsx';
import { PageNumbers } from '../web/pagination.tsx';
import { RowStar } from './asset-related.pages.tsx';
import { BULK_ACTIONS, type BulkActionKey } from './bulk-actions.ts';
import { WarrantyBadge } from './warranty-badge.tsx';
import { TagChip, TagChips, TagOptions, tagColorClasses } from '../tags/tag-chip.tsx';
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
  choices: { locations: Choice[]; contacts: Choice[]; tags: Array<Choice & { color: string | null }> };
  columns: ColumnKey[];
  canWrite: boolean;
  canDelete: boolean;
  /** YYYY-MM-DD, for the warranty badges; today (UTC) unless given. */
  today?: string;
}

/**
 * How soon a column gives way as the window narrows (the CSS hides `lp-1` first, `lp-4` last; at
 * phone width only name, type and status stay). Name, type and status have none.
 */
const COLUMN_PRIORITY: Partial<Record<ColumnKey, string>> = {
  os: 'lp-1',
  make_model: 'lp-2',
  mac: 'lp-2',
  serial: 'lp-3',
  contact: 'lp-3',
  location: 'lp-3',
  ip: 'lp-4',
  client: 'lp-4',
  warranty: 'lp-4',
};

/** The list's URL with some filters changed (page back to 1 unless given). */
type Param = 'q' | 'tab' | 'archived' | 'status' | 'sort' | 'desc' | 'page' | 'size' | 'location' | 'tag' | 'warranty' | 'favorites' | 'client';

function href(v: AssetListView, change: Partial<Record<Param, string | null>>): string {
  const qs = listParams(v, change).toString();
  return qs ? `${v.basePath}?${qs}` : v.basePath;
}

function listParams(v: AssetListView, change: Partial<Record<Param, string | null>>): URLSearchParams {
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
  return params;
}

function SortHeader({ v, sort, class: cls }: { v: AssetListView; sort: SortKey; class: string }) {
  const active = v.filters.sort === sort;
  const nextDesc = active && !v.filters.desc;
  return (
    <th scope="col" class={cls} aria-sort={active ? (v.filters.desc ? 'descending' : 'ascending') : undefined}>
      <a class="link-body-emphasis text-decoration-none" href={href(v, { sort, desc: nextDesc ? '1' : null })} title={`Sort by ${SORTS[sort]}`}>
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
  const today = v.today ?? new Date().toISOString().slice(0, 10);
  const activeFilters = [f.status, v.client ? f.locationId : f.clientId, f.tagId, f.warranty, f.archived || null, f.favorites || null].filter(
    (x) => x !== null && x !== undefined,
  ).length;
  return (
    <AppPage title={title} shell={v.shell} results="results">
      <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
        <h1 class="h4 mb-0 me-auto">{title}</h1>
        <div class="btn-group asset-list-actions">
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

      <form class="row g-2 align-items-end mb-3 asset-filters" method="get" action={v.basePath}>
        {f.tab !== 'all' ? <input type="hidden" name="tab" value={f.tab} /> : null}
        <div class="col-12 col-md-3">
          <label class="form-label small mb-1" for="list-q">
            Search
          </label>
          <input id="list-q" class="form-control form-control-sm" type="search" name="q" value={f.q} placeholder="Name, serial, IP, MAC, make, model, OS…" />
        </div>
        {/* At phone width the filters fold away behind "Filters"; wider, the summary is hidden and they show inline (app.css). */}
        <details class="col-auto col-md list-filters">
          <summary class="btn btn-sm btn-outline-secondary">Filters{activeFilters ? ` (${activeFilters})` : ''}</summary>
          <div class="row g-2 align-items-end">
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
                  <option value={String(t.id)} selected={f.tagId === t.id} class={t.color ? tagColorClasses(t.color) : undefined}>
                    {t.name}
                  </option>
                ))}
              </select>
              <ActiveTagChip v={v} />
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
          </div>
        </details>
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
        {v.canWrite ? <BulkBar v={v} /> : null}
        <div class="table-responsive asset-list-scroll">
          <table class="table table-sm table-hover align-middle table-assets asset-list">
            <thead>
              <tr>
                {v.canWrite ? (
                  <th scope="col" class="col-check">
                    <input class="form-check-input" type="checkbox" data-check-all aria-label="Tick all" />
                  </th>
                ) : null}
                <SortHeader v={v} sort="name" class="col-name" />
                <SortHeader v={v} sort="type" class="col-type" />
                {LIST_COLUMNS.filter(show).map((c) => (
                  <SortHeader v={v} sort={c} class={`col-${c} ${COLUMN_PRIORITY[c] ?? ''}`.trim()} />
                ))}
              </tr>
            </thead>
            <tbody id="results">
              {page.rows.length === 0 ? (
                <tr>
                  <td colSpan={13} class="text-body-secondary py-4 text-center wrap">
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
                      <td class="col-check">
                        <input class="form-check-input" type="checkbox" name="ids" value={String(r.id)} data-row-check aria-label={`Tick ${r.name}`} />
                      </td>
                    ) : null}
                    <td class="col-name" title={r.name}>
                      {v.canWrite ? (
                        <RowStar asset={r} />
                      ) : r.favorite ? (
                        <span role="img" title="Favorite" aria-label="Favorite">
                          ★{' '}
                        </span>
                      ) : null}{' '}
                      <a href={`/assets/${r.id}`}>{r.name}</a>
                      {r.archivedAt ? <span class="badge text-bg-warning ms-1">archived</span> : null}
                      <TagChips tags={r.tags} class="d-block" />
                    </td>
                    <Cell class="col-type" text={r.type} />
                    {LIST_COLUMNS.filter(show).map((c) => (
                      <ListCell column={c} row={r} today={today} />
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </form>

      <nav class="d-flex flex-wrap align-items-center gap-2 list-pages" aria-label="Pages">
        <span class="small text-body-secondary me-auto">
          {page.total.toLocaleString('en-US')} assets · page {f.page} of {pages}
        </span>
        <PageNumbers
          page={f.page}
          pages={pages}
          href={(p) => href(v, { page: String(p), size: String(f.pageSize) })}
          action={v.basePath}
          params={[...listParams(v, { size: String(f.pageSize) }).entries()]}
        />
      </nav>
    </AppPage>
  );
}

/** The tag the list is filtered by, as its chip under the filter. */
function ActiveTagChip({ v }: { v: AssetListView }) {
  const tag = v.choices.tags.find((t) => t.id === v.filters.tagId);
  return tag ? <TagChip tag={tag} class="mt-1" /> : null;
}

/** The optional columns in the order the table shows them. */
const LIST_COLUMNS: ColumnKey[] = ['make_model', 'serial', 'os', 'ip', 'mac', 'status', 'contact', 'location', 'client', 'warranty'];

/** A cell cut to its column's width with an ellipsis; the whole text is in its tooltip. */
function Cell({ class: cls, text, mono }: { class: string; text: string | null; mono?: boolean }) {
  return (
    <td class={`${cls}${mono ? ' mono' : ''}`} title={text || undefined}>
      {text}
    </td>
  );
}

function ListCell({ column: c, row: r, today }: { column: ColumnKey; row: AssetListView['page']['rows'][number]; today: string }) {
  const cls = `col-${c} ${COLUMN_PRIORITY[c] ?? ''}`.trim();
  switch (c) {
    case 'make_model':
      return <Cell class={cls} text={[r.make, r.model].filter(Boolean).join(' ')} />;
    case 'serial':
      return <Cell class={cls} text={r.serial} mono />;
    case 'os':
      return <Cell class={cls} text={r.os} />;
    case 'ip':
      return <Cell class={cls} text={r.ip} mono />;
    case 'mac':
      return <Cell class={cls} text={r.mac} mono />;
    case 'status':
      return <Cell class={cls} text={r.status} />;
    case 'contact':
      return <Cell class={cls} text={r.contactName} />;
    case 'location':
      return <Cell class={cls} text={r.locationName} />;
    case 'client':
      return (
        <td class={cls} title={r.clientName}>
          <a class="link-secondary" href={`/clients/${r.clientId}/assets`}>
            {r.clientName}
          </a>
        </td>
      );
    case 'warranty':
      return (
        <td class={`${cls} wrap`} title={r.warrantyExpire ?? undefined}>
          <span class="d-block">{r.warrantyExpire}</span>
          <WarrantyBadge expire={r.warrantyExpire} today={today} />
        </td>
      );
  }
}

/**
 * The bulk bar: the action, then the one value field it needs. Without JavaScript every field shows,
 * each labelled with its action; app.js shows only the chosen action's field, hides the bar while
 * nothing is ticked, and fills in the question the dialog asks ("Delete 3 assets? …").
 */
function BulkBar({ v }: { v: AssetListView }) {
  const f = v.filters;
  const offered: BulkActionKey[] = [
    'set_status',
    'favorite',
    'unfavorite',
    ...(v.client ? (['assign_contact', 'assign_location'] as const) : []),
    'set_physical_location',
    'add_tags',
    'replace_tags',
    'transfer',
    f.archived ? 'restore' : 'archive',
    ...(v.canDelete ? (['delete'] as const) : []),
  ];
  return (
    <div class="bulk-bar mb-2" data-bulk-bar>
      <div>
        <label class="form-label small mb-1" for="bulk-action">
          With ticked assets:
        </label>
        <select id="bulk-action" class="form-select form-select-sm" name="action" data-bulk-action aria-describedby="bulk-help">
          <option value="">Choose an action…</option>
          {offered.map((key) => (
            <option value={key} data-confirm-template={BULK_ACTIONS[key].confirm('{assets}', '{value}')}>
              {BULK_ACTIONS[key].label}
            </option>
          ))}
        </select>
      </div>
      <div class="bulk-field" data-bulk-for="set_status">
        <label class="form-label small mb-1" for="bulk-status">
          Set status to
        </label>
        <select id="bulk-status" class="form-select form-select-sm" name="status">
          <option value="">Status…</option>
          {v.statuses.map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
      </div>
      {v.client ? (
        <>
          <div class="bulk-field" data-bulk-for="assign_contact">
            <label class="form-label small mb-1" for="bulk-contact">
              Assign to contact
            </label>
            <select id="bulk-contact" class="form-select form-select-sm" name="contact_id">
              <option value="">Contact…</option>
              <option value="none">(nobody)</option>
              {v.choices.contacts.map((c) => (
                <option value={String(c.id)}>{c.name}</option>
              ))}
            </select>
          </div>
          <div class="bulk-field" data-bulk-for="assign_location">
            <label class="form-label small mb-1" for="bulk-location">
              Move to location
            </label>
            <select id="bulk-location" class="form-select form-select-sm" name="location_id">
              <option value="">Location…</option>
              <option value="none">(none)</option>
              {v.choices.locations.map((l) => (
                <option value={String(l.id)}>{l.name}</option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      <div class="bulk-field" data-bulk-for="set_physical_location">
        <label class="form-label small mb-1" for="bulk-physical">
          Set physical location to
        </label>
        <input id="bulk-physical" class="form-control form-control-sm" name="physical_location" placeholder="Physical location…" />
      </div>
      <div class="bulk-field" data-bulk-for="add_tags replace_tags">
        <label class="form-label small mb-1" for="bulk-tags">
          Tags to add or replace with
        </label>
        <input
          id="bulk-tags"
          class="form-control form-control-sm"
          name="tags"
          placeholder="Tags, comma-separated…"
          list="bulk-tags-options"
          autocomplete="off"
          data-tag-input
        />
        <TagOptions id="bulk-tags-options" tags={v.choices.tags} />
      </div>
      <div>
        <button class="btn btn-sm btn-outline-primary" type="submit" data-bulk-apply data-confirm="Apply this to every ticked asset?">
          Apply to ticked
        </button>
      </div>
      <span id="bulk-help" class="visually-hidden">
        Choose an action, fill in the value it needs, then apply.
      </span>
    </div>
  );
}
