// A list of the signed-in user's notifications, each linking to its asset, with read and dismiss
// buttons: on the notifications page and, compact, on the dashboard.
import { CsrfField } from '../web/forms.tsx';
import type { Notification } from './notification.service.ts';

export function NotificationList({ items, csrf, compact }: { items: Notification[]; csrf: string; compact?: boolean }) {
  if (items.length === 0) return <p class="text-body-secondary small mb-0">Nothing new.</p>;
  return (
    <ul class="list-group" aria-label="Notifications">
      {items.map((n) => (
        <li class={`list-group-item d-flex gap-2 align-items-center${n.read ? '' : ' fw-semibold'}`} data-notification={String(n.id)}>
          {n.assetId ? (
            <a href={`/assets/${n.assetId}`} class="me-auto">
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
                  <button class="btn btn-sm btn-link p-0" type="submit">
                    Mark read
                  </button>
                </form>
              )}
              <form method="post" action="/notifications/dismiss">
                <CsrfField token={csrf} />
                <input type="hidden" name="id" value={String(n.id)} />
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
