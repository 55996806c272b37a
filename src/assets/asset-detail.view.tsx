// The asset page: every field (ITFlow hides status, vendor, purchase reference and physical
// location; Steward shows them), interfaces, notes, and the history timeline.
import type { ComponentChildren } from 'preact';
import type { AssetEvent } from '../history/history.ts';
import { RelativeTime } from '../web/relative-time.tsx';
import { storyOf, type StoryReferences, type StoryValue } from './asset-history-story.ts';
import { FavoriteButton, QuickNotes } from './asset-related.pages.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { CsrfField } from '../web/forms.tsx';
import type { Asset, AssetInterface } from './asset.ts';
import { AssetDetailsList, AssetUri } from './asset-details-list.view.tsx';
import { InterfacesSection } from './asset-interfaces.view.tsx';
import { LinkPicker } from './asset-link-picker.view.tsx';
import { TagChips, TagOptions, type TagRef } from '../tags/tag-chip.tsx';

type TransferEnd = { id: number | null; clientName: string | null };

export interface AssetDetailView {
  shell: Shell;
  asset: Asset;
  clientName: string;
  names: { location: string | null; contact: string | null; vendor: string | null };
  interfaces: AssetInterface[];
  /** Interface id → the port it is cabled to. */
  connections: Map<number, { assetId: number; assetName: string; portName: string }>;
  interfaceTypes: string[];
  networks: Array<{ id: number; name: string }>;
  notes: Array<{ id: number; type: string; body: string; createdAt: string; createdBy: string | null }>;
  events: AssetEvent[];
  storyRefs: StoryReferences;
  tags: TagRef[];
  /** The existing tags, offered as the tag box is typed in. */
  tagChoices: Array<{ name: string }>;
  noteTypes: string[];
  related: {
    logins: Array<{ id: number; name: string; uri: string | null }>;
    services: Array<{ id: number; name: string }>;
    tickets: Array<{ id: number; number: number; subject: string; status: string }>;
  };
  /** Read access to logins: without it, no login of the asset is named. */
  canSeeSecrets: boolean;
  /** Write access to logins: linking one changes the login. */
  canLinkLogins?: boolean;
  /** The records this one was transferred from / to; id and client null when the user may not see them. */
  transfer: { from: TransferEnd | null; to: TransferEnd | null; undoBlocker: string | null; restoreBlocker: string | null };
  canWrite: boolean;
  canDelete: boolean;
  /** YYYY-MM-DD, for the warranty badge; today (UTC) unless given. */
  today?: string;
}

const SOURCE_LABELS: Record<string, string> = { web: 'web', api: 'API', import: 'CSV import', cli: 'command line', system: 'Steward', transfer: 'transfer' };

function StoryText({ value, as: Tag }: { value: StoryValue; as: 'del' | 'span' }) {
  const inner = value.href ? <a href={value.href}>{value.text}</a> : value.text;
  return Tag === 'del' ? <del>{inner}</del> : <span class="history-new">{inner}</span>;
}

export function Timeline({ events, refs }: { events: AssetEvent[]; refs: StoryReferences }) {
  if (events.length === 0) return <p class="text-body-secondary">No history yet.</p>;
  return (
    <ol class="timeline" aria-label="History">
      {events.map((e) => {
        const story = storyOf(e, refs);
        return (
          <li>
            <div>
              <strong>{story.title}</strong>
              {story.subject ? (
                <>
                  {': '}
                  {story.subject.href ? <a href={story.subject.href}>{story.subject.text}</a> : story.subject.text}
                </>
              ) : null}{' '}
              <span class="text-body-secondary small">
                by {e.actor.name} · <RelativeTime iso={e.createdAt} /> · {SOURCE_LABELS[e.source] ?? e.source}
                {e.ip ? ` from ${e.ip}` : ''}
              </span>
            </div>
            {story.detail ? <div class="small">{story.detail}</div> : null}
            {Array.isArray(e.details?.warnings) ? e.details.warnings.map((w) => <div class="small text-warning-emphasis">Warning: {String(w)}</div>) : null}
            {e.reasonWithheld ? (
              <div class="small">A reason was given; only users who may see both clients see it.</div>
            ) : e.reason ? (
              <div class="small">Reason: {e.reason}</div>
            ) : null}
            {story.lines.length ? (
              <ul class="small mb-0">
                {story.lines.map((line) => (
                  <li>
                    <span class="text-body-secondary">{line.label}:</span> <StoryText value={line.old} as="del" /> → <StoryText value={line.new} as="span" />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function RelatedList({
  title,
  kind,
  asset,
  csrf,
  canWrite,
  items,
}: {
  title: string;
  kind: 'login' | 'service' | 'ticket';
  asset: Asset;
  csrf: string;
  canWrite: boolean;
  items: Array<{ id: number; label: ComponentChildren; extra?: ComponentChildren; below?: ComponentChildren }>;
}) {
  const id = `${kind}s-h`;
  return (
    <section aria-labelledby={id} class="mt-4">
      <h2 class="h6 text-uppercase text-body-secondary" id={id}>
        {title}
      </h2>
      {items.length === 0 ? (
        <p class="text-body-secondary small mb-1">None linked.</p>
      ) : (
        <ul class="list-unstyled mb-1">
          {items.map((item) => (
            <li class="mb-1">
              {item.label} {item.extra}
              {canWrite ? (
                <form method="post" action={`/assets/${asset.id}/${kind}s/${item.id}/unlink`} class="d-inline ms-2">
                  <CsrfField token={csrf} />
                  <button class="btn btn-link btn-sm p-0" type="submit">
                    unlink
                  </button>
                </form>
              ) : null}
              {item.below}
            </li>
          ))}
        </ul>
      )}
      {canWrite ? <LinkPicker assetId={asset.id} kind={kind} /> : null}
    </section>
  );
}

export function AssetDetailPage(v: AssetDetailView) {
  const a = v.asset;
  const csrf = v.shell.session.csrfToken;
  return (
    <AppPage title={a.name} shell={v.shell}>
      <nav aria-label="breadcrumb">
        <ol class="breadcrumb small mb-2">
          <li class="breadcrumb-item">
            <a href={`/clients/${a.clientId}/assets`}>{v.clientName}</a>
          </li>
          <li class="breadcrumb-item active" aria-current="page">
            {a.name}
          </li>
        </ol>
      </nav>
      <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
        <h1 class="h4 mb-0 me-auto">
          {v.canWrite ? (
            <FavoriteButton asset={a} csrf={csrf} />
          ) : a.favorite ? (
            <span role="img" aria-label="Favorite">
              ★{' '}
            </span>
          ) : null}{' '}
          {a.name}
          {a.archivedAt ? <span class="badge text-bg-warning ms-2">archived {a.archivedAt.slice(0, 10)}</span> : null}
        </h1>
        {v.canWrite ? (
          <a class="btn btn-sm btn-primary" href={`/assets/${a.id}/edit`}>
            Edit
          </a>
        ) : null}
        {v.canWrite ? (
          <a class="btn btn-sm btn-outline-secondary" href={`/assets/${a.id}/copy`}>
            Copy
          </a>
        ) : null}
        {v.canWrite && !a.transferredToId && !v.transfer.restoreBlocker ? (
          <a class="btn btn-sm btn-outline-secondary" href={`/assets/transfer?ids=${a.id}`}>
            Transfer to client
          </a>
        ) : null}
        {v.canWrite && v.transfer.to && !v.transfer.undoBlocker ? (
          <form
            method="post"
            action={`/assets/${a.id}/undo-transfer`}
            data-confirm={`Undo the transfer of ${a.name}? The copy is archived and this record restored.`}
          >
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-secondary" type="submit">
              Undo transfer
            </button>
          </form>
        ) : null}
        {v.canWrite && !v.transfer.restoreBlocker ? (
          <form method="post" action={`/assets/${a.id}/${a.archivedAt ? 'restore' : 'archive'}`}>
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-secondary" type="submit">
              {a.archivedAt ? 'Restore' : 'Archive'}
            </button>
          </form>
        ) : null}
        {v.canDelete ? (
          <form
            method="post"
            action={`/assets/${a.id}/delete`}
            data-confirm={`Delete ${a.name} for good? Its history is kept: administrators find it under Administration → Deleted assets.`}
          >
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-danger" type="submit">
              Delete
            </button>
          </form>
        ) : null}
      </div>

      {v.transfer.to ? (
        <div class="alert alert-info py-2" role="note">
          Transferred{' '}
          {v.transfer.to.id ? (
            <>
              to {v.transfer.to.clientName}: <a href={`/assets/${v.transfer.to.id}`}>the asset there</a>
            </>
          ) : (
            'to another client'
          )}
          . This record stays archived here, with its tickets, logins and services.
          {v.transfer.undoBlocker ? ` It cannot be restored: ${v.transfer.undoBlocker}.` : ' "Undo transfer" brings it back while the copy is unchanged.'}
        </div>
      ) : null}
      {v.transfer.from ? (
        <div class="alert alert-secondary py-2" role="note">
          Came{' '}
          {v.transfer.from.id ? (
            <>
              from {v.transfer.from.clientName}: <a href={`/assets/${v.transfer.from.id}`}>the original record</a>
            </>
          ) : (
            'from another client'
          )}
          . Its history before the transfer is part of the timeline below.
          {v.transfer.restoreBlocker ? ' Its transfer was undone: this copy stays archived, and the original is the active record.' : null}
        </div>
      ) : null}
      <div class="row g-4">
        <section class="col-lg-6" aria-labelledby="details-h">
          <h2 id="details-h" class="h6 text-uppercase text-body-secondary">
            Details
          </h2>
          <AssetDetailsList asset={a} names={v.names} today={v.today ?? new Date().toISOString().slice(0, 10)} />
          <h2 class="h6 text-uppercase text-body-secondary" id="quick-notes-h">
            Quick notes
          </h2>
          <QuickNotes asset={a} canWrite={v.canWrite} />
        </section>
        <section class="col-lg-6" aria-labelledby="interfaces-h">
          <InterfacesSection
            asset={a}
            csrf={csrf}
            canWrite={v.canWrite}
            interfaces={v.interfaces}
            connections={v.connections}
            interfaceTypes={v.interfaceTypes}
            networks={v.networks}
          />
          <h2 class="h6 text-uppercase text-body-secondary mt-4" id="tags-h">
            Tags
          </h2>
          {v.tags.length ? <TagChips tags={v.tags} class="d-block mb-2" /> : v.canWrite ? null : <p>—</p>}
          {v.canWrite ? (
            <form method="post" action={`/assets/${a.id}/tags`} class="d-flex gap-2">
              <CsrfField token={csrf} />
              <label class="visually-hidden" for="asset-tags">
                Tags, comma-separated (a new name becomes a new tag)
              </label>
              <input
                id="asset-tags"
                class="form-control form-control-sm"
                name="tags"
                value={v.tags.map((t) => t.name).join(', ')}
                placeholder="No tags"
                list="asset-tags-options"
                autocomplete="off"
                data-tag-input
              />
              <TagOptions id="asset-tags-options" tags={v.tagChoices} />
              <button class="btn btn-sm btn-outline-secondary" type="submit">
                Save tags
              </button>
            </form>
          ) : null}

          <h2 class="h6 text-uppercase text-body-secondary mt-4" id="notes-h">
            Notes
          </h2>
          {v.notes.length === 0 ? (
            <p class="text-body-secondary">No notes.</p>
          ) : (
            <ul class="list-unstyled">
              {v.notes.map((n) => (
                <li class="mb-2">
                  <span class="badge text-bg-secondary me-1">{n.type}</span>
                  {n.body}
                  <div class="small text-body-secondary">
                    {n.createdBy ?? 'someone'} · <RelativeTime iso={n.createdAt} />
                  </div>
                  {v.canWrite ? (
                    <details class="small">
                      <summary>edit or archive</summary>
                      <form method="post" action={`/assets/${a.id}/notes/${n.id}/edit`} class="mt-1">
                        <CsrfField token={csrf} />
                        <label class="visually-hidden" for={`note-${n.id}`}>
                          Note text
                        </label>
                        <textarea id={`note-${n.id}`} class="form-control form-control-sm" name="body" rows={2} maxLength={65_535}>
                          {n.body}
                        </textarea>
                        <button class="btn btn-sm btn-outline-secondary mt-1" type="submit">
                          Save note
                        </button>
                      </form>
                      <form method="post" action={`/assets/${a.id}/notes/${n.id}/archive`} class="mt-1">
                        <CsrfField token={csrf} />
                        <button class="btn btn-sm btn-link p-0" type="submit">
                          Archive this note
                        </button>
                      </form>
                    </details>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {v.canWrite ? (
            <form method="post" action={`/assets/${a.id}/notes`} class="card card-body">
              <CsrfField token={csrf} />
              <div class="d-flex gap-2 mb-2">
                <label class="visually-hidden" for="new-note-type">
                  Note type
                </label>
                <select id="new-note-type" class="form-select form-select-sm w-auto" name="type">
                  {v.noteTypes.map((t) => (
                    <option value={t}>{t}</option>
                  ))}
                </select>
                <button class="btn btn-sm btn-primary" type="submit">
                  Add note
                </button>
              </div>
              <label class="visually-hidden" for="new-note-body">
                New note
              </label>
              <textarea
                id="new-note-body"
                class="form-control form-control-sm"
                name="body"
                rows={2}
                placeholder="What happened, what to remember…"
                maxLength={65_535}
                required
              ></textarea>
            </form>
          ) : null}

          {v.canSeeSecrets ? (
            <RelatedList
              title="Logins"
              kind="login"
              asset={a}
              csrf={csrf}
              canWrite={v.canWrite && v.canLinkLogins === true}
              items={v.related.logins.map((l) => ({
                id: l.id,
                label: (
                  <>
                    {l.name}
                    {l.uri ? (
                      <span class="text-body-secondary small">
                        {' · '}
                        <AssetUri value={l.uri} />
                      </span>
                    ) : null}
                  </>
                ),
                extra: v.canSeeSecrets ? (
                  <form
                    method="post"
                    action={`/assets/${a.id}/logins/${l.id}/reveal`}
                    class="d-inline"
                    hx-post={`/assets/${a.id}/logins/${l.id}/reveal`}
                    hx-target={`#secrets-${l.id}`}
                  >
                    <CsrfField token={csrf} />
                    <button class="btn btn-link btn-sm p-0" type="submit" aria-label={`show secrets of ${l.name}`}>
                      show secrets
                    </button>
                  </form>
                ) : null,
                below: <div id={`secrets-${l.id}`}></div>,
              }))}
            />
          ) : null}
          <RelatedList
            title="Services"
            kind="service"
            asset={a}
            csrf={csrf}
            canWrite={v.canWrite}
            items={v.related.services.map((x) => ({ id: x.id, label: <>{x.name}</> }))}
          />
          <RelatedList
            title="Tickets"
            kind="ticket"
            asset={a}
            csrf={csrf}
            canWrite={v.canWrite}
            items={v.related.tickets.map((x) => ({
              id: x.id,
              label: (
                <>
                  #{x.number} {x.subject} <span class="badge text-bg-light">{x.status}</span>
                </>
              ),
            }))}
          />
        </section>
      </div>

      <section class="mt-4" aria-labelledby="history-h">
        <div class="d-flex align-items-baseline gap-3">
          <h2 id="history-h" class="h6 text-uppercase text-body-secondary">
            History
          </h2>
          <a class="small" href={`/assets/${a.id}/history.csv`}>
            Export history as CSV
          </a>
        </div>
        <Timeline events={v.events} refs={v.storyRefs} />
      </section>
    </AppPage>
  );
}
