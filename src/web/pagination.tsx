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
