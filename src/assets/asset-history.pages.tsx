// The history beyond the asset page: its CSV (the same words as the timeline), and for administrators
// the assets deleted for good, each leading to its whole timeline, as the delete dialog promises.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { Principal } from '../access/access.ts';
import { SettingsNav } from '../accounts/admin-settings.views.tsx';
import { readAssetHistory } from '../history/history.read.ts';
import type { AssetEvent } from '../history/history.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { NotFoundError } from '../platform/errors.ts';
import { AppPage, type Shell } from '../web/layout.tsx';
import { Pagination } from '../web/pagination.tsx';
import { positiveInt } from '../web/params.ts';
import { RelativeTime } from '../web/relative-time.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { storyOf, type StoryReferences } from './asset-history-story.ts';
import { listDeletedAssets, loadStoryReferences, type DeletedAsset } from './asset-history.query.ts';
import { Timeline } from './asset-detail.view.tsx';
import { loadAssetFor } from './asset.service.ts';

const MOST_EVENTS = 10_000;
const DELETED_PER_PAGE = 50;

async function wholeHistory(ctx: Ctx, principal: Principal, assetId: number): Promise<AssetEvent[]> {
  const events: AssetEvent[] = [];
  let cursor: number | null = null;
  do {
    const page = await readAssetHistory(ctx, principal, assetId, { includeLineage: true, cursor, limit: 500 });
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== null && events.length < MOST_EVENTS);
  return events;
}

const CSV_HEADINGS = [
  'When (UTC)',
  'Asset',
  'Event',
  'About',
  'Detail',
  'Field',
  'Old value',
  'New value',
  'By',
  'Source',
  'IP address',
  'Reason',
  'Correlation id',
];

/** One line per changed field (an event without field changes: one line), oldest first. */
export function historyCsv(events: AssetEvent[], refs: StoryReferences): string {
  const lines: unknown[][] = [CSV_HEADINGS];
  for (const e of [...events].reverse()) {
    const story = storyOf(e, refs);
    const common = [e.createdAt, e.assetName, story.title, story.subject?.text ?? '', story.detail ?? ''];
    const tail = [e.actor.name, e.source, e.ip ?? '', e.reason ?? '', e.correlationId ?? ''];
    if (story.lines.length === 0) lines.push([...common, '', '', '', ...tail]);
    for (const line of story.lines) lines.push([...common, line.label, line.old.text, line.new.text, ...tail]);
  }
  return `\uFEFF${stringify(lines, { record_delimiter: '\r\n' })}`;
}

async function sendHistoryCsv(ctx: Ctx, principal: Principal, reply: FastifyReply, assetId: number, name: string) {
  const events = await wholeHistory(ctx, principal, assetId);
  const refs = await loadStoryReferences(ctx, principal, events);
  const file = `history-${name.replace(/[^\w.-]+/g, '_').slice(0, 60) || assetId}-${new Date().toISOString().slice(0, 10)}.csv`;
  reply.header('content-disposition', `attachment; filename="${file}"`);
  reply.header('cache-control', 'no-store');
  reply.type('text/csv; charset=utf-8');
  return reply.send(historyCsv(events, refs));
}

export function registerAssetHistoryPages(app: FastifyInstance, store: Store): void {
  app.get('/assets/:id/history.csv', async (request, reply) => {
    const { ctx, session } = signedInRequest(store, request);
    const asset = await loadAssetFor(ctx, session.principal, positiveInt((request.params as { id: string }).id), 1);
    return sendHistoryCsv(ctx, session.principal, reply, asset.id, asset.name);
  });
}

/** Administrators only: register inside the administrators' scope. */
export function registerDeletedAssetPages(admin: FastifyInstance, store: Store): void {
  admin.get('/admin/deleted-assets', async (request, reply) => {
    const { ctx, session } = signedInRequest(store, request);
    const page = positiveInt((request.query as { page?: string }).page) ?? 1;
    const { rows, total } = await listDeletedAssets(ctx, session.principal, { page, pageSize: DELETED_PER_PAGE });
    const shell = await loadShell(ctx, session, request, reply);
    return sendPage(reply, <DeletedAssetsPage shell={shell} rows={rows} total={total} page={page} />);
  });

  const deletedEvents = async (ctx: Ctx, principal: Principal, id: number | null) => {
    const events = id ? await wholeHistory(ctx, principal, id) : [];
    const own = events.filter((e) => e.assetId === id);
    if (own.length === 0 || own[0]!.action !== 'deleted') throw new NotFoundError('deleted asset', id ?? '');
    return events;
  };

  admin.get('/admin/deleted-assets/:id', async (request, reply) => {
    const { ctx, session } = signedInRequest(store, request);
    const id = positiveInt((request.params as { id: string }).id);
    const events = await deletedEvents(ctx, session.principal, id);
    const refs = await loadStoryReferences(ctx, session.principal, events);
    const shell = await loadShell(ctx, session, request, reply);
    return sendPage(reply, <DeletedAssetPage shell={shell} id={id!} events={events} refs={refs} />);
  });

  admin.get('/admin/deleted-assets/:id/history.csv', async (request, reply) => {
    const { ctx, session } = signedInRequest(store, request);
    const id = positiveInt((request.params as { id: string }).id);
    const events = await deletedEvents(ctx, session.principal, id);
    return sendHistoryCsv(ctx, session.principal, reply, id!, events[0]!.assetName);
  });
}

function DeletedAssetsPage({ shell, rows, total, page }: { shell: Shell; rows: DeletedAsset[]; total: number; page: number }) {
  return (
    <AppPage title="Deleted assets" shell={shell}>
      <h1 class="h4">Administration</h1>
      <SettingsNav current="deleted-assets" />
      <p class="text-body-secondary">Assets deleted for good. Each keeps its whole history: open one to read its timeline, or download it as CSV.</p>
      {rows.length === 0 ? (
        <p>{total === 0 ? 'No asset has been deleted.' : 'No deleted assets on this page.'}</p>
      ) : (
        <div class="table-responsive">
          <table class="table table-sm align-middle">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Serial</th>
                <th scope="col">Client</th>
                <th scope="col">Deleted by</th>
                <th scope="col">Deleted</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/deleted-assets/${r.assetId}`}>{r.name}</a>
                  </td>
                  <td class="mono">{r.serial ?? '—'}</td>
                  <td>{r.clientName ? <a href={`/clients/${r.clientId}`}>{r.clientName}</a> : 'a deleted client'}</td>
                  <td>{r.deletedBy}</td>
                  <td>
                    <RelativeTime iso={r.deletedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={DELETED_PER_PAGE} total={total} href={(p) => `/admin/deleted-assets?page=${p}`} />
    </AppPage>
  );
}

function DeletedAssetPage({ shell, id, events, refs }: { shell: Shell; id: number; events: AssetEvent[]; refs: StoryReferences }) {
  const last = events.find((e) => e.assetId === id)!;
  return (
    <AppPage title={`${last.assetName} (deleted)`} shell={shell}>
      <nav aria-label="breadcrumb">
        <ol class="breadcrumb small mb-2">
          <li class="breadcrumb-item">
            <a href="/admin/deleted-assets">Deleted assets</a>
          </li>
          <li class="breadcrumb-item active" aria-current="page">
            {last.assetName}
          </li>
        </ol>
      </nav>
      <h1 class="h4">
        {last.assetName} <span class="badge text-bg-danger">deleted</span>
      </h1>
      <p>
        Deleted by {last.actor.name} <RelativeTime iso={last.createdAt} />. <a href={`/admin/deleted-assets/${id}/history.csv`}>Export history as CSV</a>
      </p>
      <section aria-labelledby="history-h">
        <h2 id="history-h" class="h6 text-uppercase text-body-secondary">
          History
        </h2>
        <Timeline events={events} refs={refs} />
      </section>
    </AppPage>
  );
}
