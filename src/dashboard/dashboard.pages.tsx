// The signed-in user's dashboard: what is new and what needs attention across the clients they may see.
import type { FastifyInstance } from 'fastify';
import { authorize } from '../access/access.ts';
import { listNotifications } from '../notifications/notification.service.ts';
import { NotificationList } from '../notifications/notification.view.tsx';
import type { Notification } from '../notifications/notification.service.ts';
import { todayOf } from '../platform/dates.ts';
import type { Store } from '../platform/db/store.ts';
import { AppPage, type Shell } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import { loadDashboard, WARRANTY_DAYS, type Dashboard, type DashboardAsset } from './dashboard.query.ts';

function Card({ title, id, assets, more }: { title: string; id: string; assets: DashboardAsset[]; more?: string }) {
  return (
    <section class="col-lg-6" aria-labelledby={id}>
      <div class="card h-100">
        <div class="card-header d-flex">
          <h2 id={id} class="h6 mb-0 me-auto">
            {title}
          </h2>
          {more ? (
            <a class="small" href={more}>
              All
            </a>
          ) : null}
        </div>
        {assets.length === 0 ? (
          <p class="card-body small text-body-secondary mb-0">None.</p>
        ) : (
          <ul class="list-group list-group-flush">
            {assets.map((a) => (
              <li class="list-group-item small d-flex flex-wrap gap-2">
                <a href={`/assets/${a.id}`}>{a.name}</a>
                <span class="text-body-secondary">{a.clientName}</span>
                <span class="ms-auto text-body-secondary">{a.note}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function DashboardPage({ shell, data, notifications }: { shell: Shell; data: Dashboard; notifications: Notification[] }) {
  return (
    <AppPage title="Dashboard" shell={shell}>
      <h1 class="h4">Hello, {shell.session.userName}</h1>
      <p class="text-body-secondary">
        <strong data-count="added">{data.addedThisYear}</strong> asset(s) added this year across your clients.
      </p>
      <div class="row g-3">
        <section class="col-12" aria-labelledby="dash-notifications">
          <h2 id="dash-notifications" class="h6">
            Notifications{' '}
            <a class="small fw-normal" href="/notifications">
              All
            </a>
          </h2>
          <NotificationList items={notifications} csrf={shell.session.csrfToken} compact />
        </section>
        <Card
          title={`Warranties ending within ${WARRANTY_DAYS} days`}
          id="dash-warranty"
          assets={data.warrantyEnding}
          more={`/assets?warranty=${WARRANTY_DAYS}`}
        />
        <Card title="Recently changed" id="dash-changed" assets={data.recentlyChanged} />
        <Card title="Added this year" id="dash-added" assets={data.recentlyAdded} />
      </div>
    </AppPage>
  );
}

export function registerDashboardPages(app: FastifyInstance, store: Store): void {
  app.get('/dashboard', async (request, reply) => {
    const session = signedInSession(request);
    authorize(session.principal, 'support', 1);
    const ctx = baseCtx(store, request);
    const [data, notifications, shell] = await Promise.all([
      loadDashboard(ctx, session.principal, todayOf(ctx)),
      listNotifications(ctx, session.principal, 10),
      loadShell(ctx, session, request, reply),
    ]);
    return sendPage(reply, <DashboardPage shell={shell} data={data} notifications={notifications} />);
  });
}
