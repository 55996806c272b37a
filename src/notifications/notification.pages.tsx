// The signed-in user's notifications, newest first, each linking to its asset; read and dismissed
// by the user, one by one or all at once.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { formFields } from '../web/forms.tsx';
import { CsrfField } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import { listNotifications, markNotifications, type Notification } from './notification.service.ts';
import { NotificationList } from './notification.view.tsx';
import { positiveInt } from '../web/params.ts';

function NotificationsPage({ shell, items }: { shell: Shell; items: Notification[] }) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title="Notifications" shell={shell}>
      <div class="d-flex gap-2 align-items-center mb-3">
        <h1 class="h4 mb-0 me-auto">Notifications</h1>
        {items.some((n) => !n.read) ? (
          <form method="post" action="/notifications/read">
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-secondary" type="submit">
              Mark all read
            </button>
          </form>
        ) : null}
        {items.length ? (
          <form method="post" action="/notifications/dismiss" data-confirm="Dismiss every notification?">
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-danger" type="submit">
              Dismiss all
            </button>
          </form>
        ) : null}
      </div>
      <NotificationList items={items} csrf={csrf} />
    </AppPage>
  );
}

export function registerNotificationPages(app: FastifyInstance, store: Store): void {
  app.get('/notifications', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const [items, shell] = await Promise.all([listNotifications(ctx, session.principal), loadShell(ctx, session, request, reply)]);
    return sendPage(reply, <NotificationsPage shell={shell} items={items} />);
  });
  for (const action of ['read', 'dismiss'] as const) {
    app.post(`/notifications/${action}`, async (request, reply) => {
      const session = signedInSession(request);
      const raw = formFields(request.body).id;
      const id = positiveInt(raw);
      await markNotifications(baseCtx(store, request), session.principal, action, id);
      return reply.redirect('/notifications', 303);
    });
  }
}
