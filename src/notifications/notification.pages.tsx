// The signed-in user's notifications, newest first, 50 a page, each linking to its asset (a warranty
// digest to the expired warranties); read and dismissed by the user, one by one or all at once.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { formFields } from '../web/forms.tsx';
import { CsrfField } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import { markNotifications, notificationPage, type NotificationPage } from './notification.service.ts';
import { NotificationList } from './notification.view.tsx';
import { positiveInt } from '../web/params.ts';
import { Pagination } from '../web/pagination.tsx';

const pageHref = (page: number) => (page > 1 ? `/notifications?page=${page}` : '/notifications');

function NotificationsPage({ shell, list }: { shell: Shell; list: NotificationPage }) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title="Notifications" shell={shell}>
      <div class="d-flex gap-2 align-items-center mb-3">
        <h1 class="h4 mb-0 me-auto">Notifications</h1>
        {list.unread > 0 ? (
          <form method="post" action="/notifications/read">
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-secondary" type="submit">
              Mark all read
            </button>
          </form>
        ) : null}
        {list.total > 0 ? (
          <form method="post" action="/notifications/dismiss" data-confirm={`Dismiss all ${list.total} notifications?`}>
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-danger" type="submit">
              Dismiss all
            </button>
          </form>
        ) : null}
      </div>
      <NotificationList items={list.items} csrf={csrf} page={list.page} />
      <div class="mt-3">
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} href={pageHref} />
      </div>
    </AppPage>
  );
}

export function registerNotificationPages(app: FastifyInstance, store: Store): void {
  app.get('/notifications', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const page = positiveInt((request.query as Record<string, string | undefined>).page) ?? 1;
    const [list, shell] = await Promise.all([notificationPage(ctx, session.principal, page), loadShell(ctx, session, request, reply)]);
    return sendPage(reply, <NotificationsPage shell={shell} list={list} />);
  });
  for (const action of ['read', 'dismiss'] as const) {
    app.post(`/notifications/${action}`, async (request, reply) => {
      const session = signedInSession(request);
      const form = formFields(request.body);
      const id = positiveInt(form.id);
      await markNotifications(baseCtx(store, request), session.principal, action, id);
      // One of them: back to the page it was on; all of them: to the first.
      return reply.redirect(pageHref(id === null ? 1 : (positiveInt(form.page) ?? 1)), 303);
    });
  }
}
