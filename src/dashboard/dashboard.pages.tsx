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
import { setFlash } from '../web/flash.ts';
import { formFields } from '../web/forms.tsx';
import { loadGettingStarted, type GettingStarted } from './getting-started.query.ts';
import { setGettingStartedHidden } from './getting-started.service.ts';
import { GettingStartedPage, progressText } from './getting-started.view.tsx';

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

function DashboardPage({ shell, data, notifications, start }: { shell: Shell; data: Dashboard; notifications: Notification[]; start: GettingStarted | null }) {
  return (
    <AppPage title="Dashboard" shell={shell}>
      <h1 class="h4">Hello, {shell.session.userName}</h1>
      <p class="text-body-secondary">
        <strong data-count="added">{data.addedThisYear.toLocaleString('en-US')}</strong> {data.addedThisYear === 1 ? 'asset' : 'assets'} added this year across
        your clients.
      </p>
      {start && !start.complete ? (
        <p class="alert alert-info py-2" data-getting-started>
          <a href="/welcome">Getting started</a>: {progressText(start)}.
        </p>
      ) : null}
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
    const [data, notifications, shell, start] = await Promise.all([
      loadDashboard(ctx, session.principal, todayOf(ctx)),
      listNotifications(ctx, session.principal, 10),
      loadShell(ctx, session, request, reply),
      loadGettingStarted(ctx, session.principal),
    ]);
    return sendPage(reply, <DashboardPage shell={shell} data={data} notifications={notifications} start={start} />);
  });

  // The first-run checklist (administrators; anyone else goes to the dashboard).
  app.get('/welcome', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const start = await loadGettingStarted(ctx, session.principal);
    if (!start) return reply.redirect('/dashboard');
    const shell = await loadShell(ctx, session, request, reply);
    return sendPage(reply, <GettingStartedPage shell={shell} g={start} />);
  });

  app.post('/welcome/hide', async (request, reply) => {
    const session = signedInSession(request);
    const hidden = formFields(request.body).hidden !== '0';
    await setGettingStartedHidden(baseCtx(store, request), session.principal, hidden);
    if (!hidden) return reply.redirect('/welcome', 303);
    setFlash(reply, { kind: 'info', text: 'The getting-started checklist is hidden. The dashboard links to it until every step is done.' });
    return reply.redirect('/assets', 303);
  });
}
