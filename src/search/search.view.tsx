// The search results page: the term again in a box, then one section per kind of record that matched,
// headed by the kind and its count, listing the first matches with their client.
import { AppPage, type Shell } from '../web/layout.tsx';
import { SEARCH_GROUP_SIZE, type SearchGroup, type SearchResults } from './search.query.ts';

/** Where to see every match of a kind when the page lists only the first ones. */
const ALL_MATCHES: Partial<Record<SearchGroup['kind'], (q: string) => string>> = {
  assets: (q) => `/assets?q=${encodeURIComponent(q)}`,
  clients: (q) => `/clients?q=${encodeURIComponent(q)}`,
};

export function SearchPage({ shell, results }: { shell: Shell; results: SearchResults }) {
  const { term, groups, total } = results;
  const found = groups.filter((g) => g.total > 0);
  return (
    <AppPage title={term ? `Search: ${term}` : 'Search'} shell={shell}>
      <h1 class="h4">Search</h1>
      <form class="d-flex gap-2 mb-3 search-page-form" method="get" action="/search" role="search">
        <label class="visually-hidden" for="search-page-q">
          Search for
        </label>
        <input
          id="search-page-q"
          class="form-control"
          type="search"
          name="q"
          value={term}
          maxLength={200}
          placeholder="Name, serial, IP, MAC, CIDR, ticket number"
        />
        <button class="btn btn-primary" type="submit">
          Search
        </button>
      </form>
      {term === '' ? (
        <p class="text-body-secondary">Type a name, a serial, an IP or MAC address, a network or a ticket number.</p>
      ) : (
        <>
          <p class="text-body-secondary" data-search-summary>
            {total === 0 ? `Nothing matches "${term}".` : `${total} match${total === 1 ? '' : 'es'} for "${term}": `}
            {total === 0
              ? null
              : found.map((g, i) => (
                  <>
                    {i > 0 ? ', ' : null}
                    <a href={`#search-${g.kind}`}>
                      {g.heading} ({g.total})
                    </a>
                  </>
                ))}
          </p>
          {found.map((g) => (
            <SearchGroupSection group={g} term={term} />
          ))}
        </>
      )}
    </AppPage>
  );
}

function SearchGroupSection({ group, term }: { group: SearchGroup; term: string }) {
  const more = ALL_MATCHES[group.kind];
  return (
    <section class="mb-4" aria-labelledby={`search-${group.kind}`} data-search-group={group.kind}>
      <h2 id={`search-${group.kind}`} class="h5">
        {group.heading} <span class="badge text-bg-secondary">{group.capped ? `${group.total}+` : group.total}</span>
      </h2>
      <ul class="list-group">
        {group.hits.map((h) => (
          <li class="list-group-item d-flex flex-wrap gap-2">
            <a href={h.href}>{h.name}</a>
            {h.detail ? <span class="text-body-secondary small">{h.detail}</span> : null}
            {group.kind === 'clients' ? null : <span class="ms-auto text-body-secondary small">{h.clientName}</span>}
          </li>
        ))}
      </ul>
      {group.total > group.hits.length ? (
        <p class="small text-body-secondary mt-1">
          The first {SEARCH_GROUP_SIZE} of {group.total}.{' '}
          {more ? (
            <a href={more(term)}>
              All {group.total} {group.heading.toLowerCase()}
            </a>
          ) : (
            'Add to the search to narrow it.'
          )}
        </p>
      ) : null}
    </section>
  );
}
