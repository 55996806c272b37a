// "Previous · Page N of M (total) · Next" under a list; `href` builds the link to another page.
export function Pagination({ page, pageSize, total, href }: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pages">
      <ul class="pagination pagination-sm">
        {page > 1 ? (
          <li class="page-item">
            <a class="page-link" href={href(page - 1)}>
              Previous
            </a>
          </li>
        ) : null}
        <li class="page-item disabled">
          <span class="page-link">
            Page {page} of {pages} ({total})
          </span>
        </li>
        {page < pages ? (
          <li class="page-item">
            <a class="page-link" href={href(page + 1)}>
              Next
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/**
 * The page numbers to offer: the first, a window around the current one and the last, with null
 * where numbers are left out ("1 … 4 5 6 7 8 … 20").
 */
export function pageWindow(page: number, pages: number, around = 2): Array<number | null> {
  const shown = new Set([1, pages]);
  for (let p = Math.max(1, page - around); p <= Math.min(pages, page + around); p++) shown.add(p);
  const out: Array<number | null> = [];
  let last = 0;
  for (const p of [...shown].sort((x, y) => x - y)) {
    if (p - last === 2) out.push(p - 1);
    else if (p - last > 2) out.push(null);
    out.push(p);
    last = p;
  }
  return out;
}

/**
 * Previous, the page numbers, Next, and a small "Go to page" form (a GET form: it works without
 * JavaScript) that carries the list's other parameters as hidden fields.
 */
export function PageNumbers({
  page,
  pages,
  href,
  action,
  params,
}: {
  page: number;
  pages: number;
  href: (page: number) => string;
  /** The list's path, and its parameters other than the page, for the go-to form. */
  action: string;
  params: Array<[string, string]>;
}) {
  if (pages <= 1) return null;
  return (
    <>
      <ul class="pagination pagination-sm flex-wrap mb-0">
        {page > 1 ? (
          <li class="page-item">
            <a class="page-link" href={href(page - 1)} rel="prev">
              Previous
            </a>
          </li>
        ) : null}
        {pageWindow(page, pages).map((p) =>
          p === null ? (
            <li class="page-item disabled">
              <span class="page-link">…</span>
            </li>
          ) : (
            <li class={`page-item${p === page ? ' active' : ''}`}>
              <a class="page-link" href={href(p)} aria-current={p === page ? 'page' : undefined} aria-label={`Page ${p}`}>
                {p}
              </a>
            </li>
          ),
        )}
        {page < pages ? (
          <li class="page-item">
            <a class="page-link" href={href(page + 1)} rel="next">
              Next
            </a>
          </li>
        ) : null}
      </ul>
      <form class="d-flex align-items-center gap-1" method="get" action={action}>
        {params
          .filter(([k]) => k !== 'page')
          .map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
        <label class="small text-body-secondary text-nowrap" for="go-to-page">
          Go to page
        </label>
        <input id="go-to-page" class="form-control form-control-sm go-to-page" type="number" name="page" min="1" max={String(pages)} value={String(page)} />
        <button class="btn btn-sm btn-outline-secondary" type="submit">
          Go
        </button>
      </form>
    </>
  );
}
