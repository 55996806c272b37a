// A list of the signed-in user's notifications, each linking to its asset, with read and dismiss
// buttons: on the notifications page and, compact, on the dashboard.
import { CsrfField } from '../web/forms.tsx';
import type { Notification } from './notification.service.ts';

/** `page`: the list page it is shown on, kept by the read and dismiss buttons so the user stays there. */
export function NotificationList({ items, csrf, compact, page }: { items: Notification[]; csrf: string; compact?: boolean; page?: number }) {
  if (items.length === 0) return <p class="text-body-secondary small mb-0">Nothing new.</p>;
  return (
    <ul class="list-group" aria-label="Notifications">
      {items.map((n) => (
        <li class={`list-group-item d-flex gap-2 align-items-center${n.read ? '' : ' fw-semibold'}`} data-notification={String(n.id)}>
          {n.href ? (
            <a href={n.href} class="me-auto">
              {n.title}
            </a>
          ) : (
            <span class="me-auto">{n.title}</span>
          )}
          {compact ? null : (
            <>
              {n.read ? null : (
                <form method="post" action="/notifications/read">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="id" value={String(n.id)} />
                  {page && page > 1 ? <input type="hidden" name="page" value={String(page)} /> : null}
                  <button class="btn btn-sm btn-link p-0" type="submit">
                    Mark read
                  </button>
                </form>
              )}
              <form method="post" action="/notifications/dismiss">
                <CsrfField token={csrf} />
                <input type="hidden" name="id" value={String(n.id)} />
                {page && page > 1 ? <input type="hidden" name="page" value={String(page)} /> : null}
                <button class="btn btn-sm btn-link text-danger p-0" type="submit">
                  Dismiss
                </button>
              </form>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
