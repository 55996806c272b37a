// The asset page: every field (ITFlow hides status, vendor, purchase reference and physical
// location; Steward shows them), interfaces, notes, and the history timeline.
import type { ComponentChildren } from 'preact';
import type { AssetEvent } from '../history/history.ts';
import { FavoriteButton, QuickNotes } from './asset-related.pages.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { CsrfField } from '../web/forms.tsx';
import { ASSET_FIELDS, EDITABLE_FIELDS, HAND_PLACED_FIELDS } from './asset-fields.ts';
import type { Asset, AssetInterface } from './asset.ts';

type Choice = { id: number; label: string };
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
  tags: string[];
  noteTypes: string[];
  related: {
    logins: Array<{ id: number; name: string; uri: string | null }>;
    services: Array<{ id: number; name: string }>;
    tickets: Array<{ id: number; number: number; subject: string; status: string }>;
  };
  linkable: { logins: Choice[]; services: Choice[]; tickets: Choice[] };
  /** Read access to logins: without it, no login of the asset is named. */
  canSeeSecrets: boolean;
  /** Write access to logins: linking one changes the login. */
  canLinkLogins?: boolean;
  /** The records this one was transferred from / to; id and client null when the user may not see them. */
  transfer: { from: TransferEnd | null; to: TransferEnd | null };
  canWrite: boolean;
  canDelete: boolean;
}

/** Fields the Details list does not show by hand: they follow it. */
const OTHER_DETAILS = EDITABLE_FIELDS.filter((f) => !HAND_PLACED_FIELDS.has(f));

const FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, ASSET_FIELDS[f].label])),
  clientId: 'Client',
  'primaryInterface.name': 'Interface name',
  'primaryInterface.ip': 'IP address',
  'primaryInterface.mac': 'MAC address',
  'primaryInterface.ipv6': 'IPv6 address',
  'primaryInterface.natIp': 'NAT IP',
  'primaryInterface.networkId': 'Network',
  'primaryInterface.type': 'Interface type',
  'primaryInterface.description': 'Interface description',
  'primaryInterface.notes': 'Interface notes',
};

const ACTION_LABELS: Partial<Record<AssetEvent['action'], string>> = {
  created: 'Created',
  copied: 'Copied',
  updated: 'Changed',
  archived: 'Archived',
  restored: 'Restored',
  deleted: 'Deleted',
  imported: 'Imported',
  transferred_out: 'Transferred out',
  transferred_in: 'Transferred in',
  interface_added: 'Interface added',
  interface_updated: 'Interface changed',
  interface_removed: 'Interface removed',
  primary_interface_changed: 'Primary interface changed',
  note_added: 'Note added',
  tags_changed: 'Tags changed',
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function Field({ label, value, mono }: { label: string; value: unknown; mono?: boolean }) {
  return (
    <>
      <dt class="col-sm-4">{label}</dt>
      <dd class={`col-sm-8${mono ? ' mono' : ''}`}>{show(value)}</dd>
    </>
  );
}

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function Timeline({ events }: { events: AssetEvent[] }) {
  if (events.length === 0) return <p class="text-body-secondary">No history yet.</p>;
  return (
    <ol class="timeline" aria-label="History">
      {events.map((e) => (
        <li>
          <div>
            <strong>{ACTION_LABELS[e.action] ?? e.action.replaceAll('_', ' ')}</strong>{' '}
            <span class="text-body-secondary small">
              by {e.actor.name} · {when(e.createdAt)} · {e.source}
              {e.ip ? ` from ${e.ip}` : ''}
            </span>
          </div>
          {e.action === 'transferred_in' ? (
            <div class="small">from {typeof e.details?.fromClientName === 'string' ? e.details.fromClientName : 'another client'}</div>
          ) : null}
          {e.action === 'transferred_out' ? (
            <div class="small">to {typeof e.details?.toClientName === 'string' ? e.details.toClientName : 'another client'}</div>
          ) : null}
          {e.reasonWithheld ? (
            <div class="small">A reason was given; only users who may see both clients see it.</div>
          ) : e.reason ? (
            <div class="small">Reason: {e.reason}</div>
          ) : null}
          {e.changes.length ? (
            <ul class="small mb-0">
              {e.changes.map((c) => (
                <li>
                  <span class="text-body-secondary">{FIELD_LABELS[c.field] ?? c.field}:</span> <del>{show(c.old)}</del> → <ins>{show(c.new)}</ins>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
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
  choices,
}: {
  title: string;
  kind: 'login' | 'service' | 'ticket';
  asset: Asset;
  csrf: string;
  canWrite: boolean;
  choices: Choice[];
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
      {canWrite && choices.length ? (
        <form method="post" action={`/assets/${asset.id}/${kind}s`} class="d-flex gap-2">
          <CsrfField token={csrf} />
          <label class="visually-hidden" for={`link-${kind}`}>{`Link a ${kind}`}</label>
          <select id={`link-${kind}`} class="form-select form-select-sm w-auto" name={`${kind}_id`}>
            {choices.map((c) => (
              <option value={String(c.id)}>{c.label}</option>
            ))}
          </select>
          <button class="btn btn-sm btn-outline-secondary" type="submit">{`Link ${kind}`}</button>
        </form>
      ) : null}
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
        {v.canWrite && !a.transferredToId ? (
          <a class="btn btn-sm btn-outline-secondary" href={`/assets/transfer?ids=${a.id}`}>
            Transfer to client
          </a>
        ) : null}
        {v.canWrite ? (
          <form method="post" action={`/assets/${a.id}/${a.archivedAt ? 'restore' : 'archive'}`}>
            <CsrfField token={csrf} />
            <button class="btn btn-sm btn-outline-secondary" type="submit">
              {a.archivedAt ? 'Restore' : 'Archive'}
            </button>
          </form>
        ) : null}
        {v.canDelete ? (
          <form method="post" action={`/assets/${a.id}/delete`} data-confirm={`Delete ${a.name} for good? Its history is kept.`}>
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
        </div>
      ) : null}
      <div class="row g-4">
        <section class="col-lg-6" aria-labelledby="details-h">
          <h2 id="details-h" class="h6 text-uppercase text-body-secondary">
            Details
          </h2>
          <dl class="row field-list">
            <Field label="Type" value={a.type} />
            <Field label="Status" value={a.status} />
            <Field label="Make" value={a.make} />
            <Field label="Model" value={a.model} />
            <Field label="Serial" value={a.serial} mono />
            <Field label="Operating system" value={a.os} />
            <Field label="Assigned to" value={v.names.contact} />
            <Field label="Location" value={v.names.location} />
            <Field label="Physical location" value={a.physicalLocation} />
            <Field label="Vendor" value={v.names.vendor} />
            <Field label="Purchase reference" value={a.purchaseReference} />
            <Field label="Purchase date" value={a.purchaseDate} />
            <Field label="Install date" value={a.installDate} />
            <Field label="Warranty expires" value={a.warrantyExpire} />
            <Field label="URI" value={a.uri} />
            <Field label="URI 2" value={a.uri2} />
            <Field label="Client URI" value={a.uriClient} />
            <Field label="Description" value={a.description} />
            {OTHER_DETAILS.map((f) => (
              <Field key={f} label={ASSET_FIELDS[f].label} value={a[f]} />
            ))}
          </dl>
          <h2 class="h6 text-uppercase text-body-secondary" id="quick-notes-h">
            Quick notes
          </h2>
          <QuickNotes asset={a} canWrite={v.canWrite} />
        </section>
        <section class="col-lg-6" aria-labelledby="interfaces-h">
          <h2 id="interfaces-h" class="h6 text-uppercase text-body-secondary">
            Interfaces{' '}
            <a class="small text-lowercase fw-normal ms-2" href={`/assets/${a.id}/interfaces.csv`} download>
              export CSV
            </a>
            {v.canWrite ? (
              <a class="small text-lowercase fw-normal ms-2" href={`/assets/${a.id}/interfaces/import`}>
                import CSV
              </a>
            ) : null}
          </h2>
          <div class="table-responsive">
            <table class="table table-sm align-middle">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">IP</th>
                  <th scope="col">MAC</th>
                  <th scope="col">Network</th>
                  <th scope="col">Connected to</th>
                  {v.canWrite ? (
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {v.interfaces.map((i) => {
                  const peer = v.connections.get(i.id);
                  const base = `/assets/${a.id}/interfaces/${i.id}`;
                  return (
                    <tr>
                      <td>
                        {i.name}
                        {i.primary ? <span class="badge text-bg-primary ms-1">primary</span> : null}
                      </td>
                      <td>{i.type}</td>
                      <td class="mono">
                        {i.ip}
                        {i.ipv6 ? <div>{i.ipv6}</div> : null}
                      </td>
                      <td class="mono">{i.mac}</td>
                      <td>{i.networkId ? <a href={`/networks/${i.networkId}`}>{v.networks.find((n) => n.id === i.networkId)?.name ?? 'network'}</a> : null}</td>
                      <td>
                        {peer ? (
                          <>
                            <a href={`/assets/${peer.assetId}`}>{peer.assetName}</a> {peer.portName}
                          </>
                        ) : null}
                        {v.canWrite && peer ? (
                          <form method="post" action={`${base}/disconnect`} class="d-inline ms-1">
                            <CsrfField token={csrf} />
                            <button class="btn btn-link btn-sm p-0" type="submit" aria-label={`Disconnect ${i.name}`}>
                              disconnect
                            </button>
                          </form>
                        ) : null}
                        {v.canWrite && !peer ? (
                          <details>
                            <summary class="small">connect…</summary>
                            <form method="post" action={`${base}/connect`} class="d-flex gap-1 mt-1">
                              <CsrfField token={csrf} />
                              <input
                                class="form-control form-control-sm"
                                name="peer_asset"
                                placeholder="Asset name"
                                aria-label={`Asset to connect ${i.name} to`}
                              />
                              <input class="form-control form-control-sm" name="peer_port" placeholder="Port" aria-label={`Port to connect ${i.name} to`} />
                              <button class="btn btn-sm btn-outline-secondary" type="submit">
                                Connect
                              </button>
                            </form>
                          </details>
                        ) : null}
                      </td>
                      {v.canWrite ? (
                        <td class="text-nowrap">
                          <a class="btn btn-link btn-sm p-0 me-2" href={`${base}/edit`} aria-label={`Edit interface ${i.name}`}>
                            edit
                          </a>
                          {i.primary ? null : (
                            <>
                              <form method="post" action={`${base}/primary`} class="d-inline me-2">
                                <CsrfField token={csrf} />
                                <button class="btn btn-link btn-sm p-0" type="submit" aria-label={`Make ${i.name} primary`}>
                                  make primary
                                </button>
                              </form>
                              <form method="post" action={`${base}/delete`} class="d-inline" data-confirm={`Delete interface ${i.name}?`}>
                                <CsrfField token={csrf} />
                                <button class="btn btn-link btn-sm p-0 text-danger" type="submit" aria-label={`Delete interface ${i.name}`}>
                                  delete
                                </button>
                              </form>
                            </>
                          )}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {v.canWrite ? (
            <div class="d-flex flex-wrap gap-3">
              <details>
                <summary>Add an interface</summary>
                <form method="post" action={`/assets/${a.id}/interfaces`} class="card card-body mt-2">
                  <CsrfField token={csrf} />
                  <div class="row g-2">
                    <div class="col-6">
                      <label class="form-label small" for="if-name">
                        Name
                      </label>
                      <input id="if-name" class="form-control form-control-sm" name="name" required />
                    </div>
                    <div class="col-6">
                      <label class="form-label small" for="if-type">
                        Type
                      </label>
                      <select id="if-type" class="form-select form-select-sm" name="type">
                        <option value="">—</option>
                        {v.interfaceTypes.map((t) => (
                          <option value={t}>{t}</option>
                        ))}
                      </select>
                    </div>
                    <div class="col-6">
                      <label class="form-label small" for="if-ip">
                        IP address
                      </label>
                      <input id="if-ip" class="form-control form-control-sm" name="ip" />
                    </div>
                    <div class="col-6">
                      <label class="form-label small" for="if-mac">
                        MAC address
                      </label>
                      <input id="if-mac" class="form-control form-control-sm" name="mac" />
                    </div>
                    <div class="col-6">
                      <label class="form-label small" for="if-network">
                        Network
                      </label>
                      <select id="if-network" class="form-select form-select-sm" name="network_id">
                        <option value="">—</option>
                        {v.networks.map((n) => (
                          <option value={String(n.id)}>{n.name}</option>
                        ))}
                      </select>
                    </div>
                    <div class="col-6 form-check mt-4 ps-4">
                      <input id="if-primary" class="form-check-input" type="checkbox" name="primary" value="1" />
                      <label class="form-check-label small" for="if-primary">
                        Make primary
                      </label>
                    </div>
                  </div>
                  <button class="btn btn-sm btn-primary mt-2" type="submit">
                    Add interface
                  </button>
                </form>
              </details>
              <details>
                <summary>Add several</summary>
                <form method="post" action={`/assets/${a.id}/interfaces/several`} class="card card-body mt-2">
                  <CsrfField token={csrf} />
                  <div class="row g-2">
                    <div class="col-4">
                      <label class="form-label small" for="ifs-prefix">
                        Name prefix
                      </label>
                      <input id="ifs-prefix" class="form-control form-control-sm" name="prefix" placeholder="Gi1/0/" />
                    </div>
                    <div class="col-4">
                      <label class="form-label small" for="ifs-start">
                        First number
                      </label>
                      <input id="ifs-start" class="form-control form-control-sm" name="start" type="number" min="0" value="1" />
                    </div>
                    <div class="col-4">
                      <label class="form-label small" for="ifs-count">
                        How many
                      </label>
                      <input id="ifs-count" class="form-control form-control-sm" name="count" type="number" min="1" max="512" required />
                    </div>
                    <div class="col-12">
                      <label class="form-label small" for="ifs-type">
                        Type
                      </label>
                      <select id="ifs-type" class="form-select form-select-sm" name="type">
                        <option value="">—</option>
                        {v.interfaceTypes.map((t) => (
                          <option value={t}>{t}</option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <button class="btn btn-sm btn-primary mt-2" type="submit">
                    Add interfaces
                  </button>
                </form>
              </details>
            </div>
          ) : null}
          <h2 class="h6 text-uppercase text-body-secondary mt-4" id="tags-h">
            Tags
          </h2>
          {v.canWrite ? (
            <form method="post" action={`/assets/${a.id}/tags`} class="d-flex gap-2">
              <CsrfField token={csrf} />
              <label class="visually-hidden" for="asset-tags">
                Tags, comma-separated
              </label>
              <input id="asset-tags" class="form-control form-control-sm" name="tags" value={v.tags.join(', ')} placeholder="No tags" />
              <button class="btn btn-sm btn-outline-secondary" type="submit">
                Save tags
              </button>
            </form>
          ) : (
            <p>{v.tags.length ? v.tags.join(', ') : '—'}</p>
          )}

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
                    {n.createdBy ?? 'someone'} · {when(n.createdAt)}
                  </div>
                  {v.canWrite ? (
                    <details class="small">
                      <summary>edit or archive</summary>
                      <form method="post" action={`/assets/${a.id}/notes/${n.id}/edit`} class="mt-1">
                        <CsrfField token={csrf} />
                        <label class="visually-hidden" for={`note-${n.id}`}>
                          Note text
                        </label>
                        <textarea id={`note-${n.id}`} class="form-control form-control-sm" name="body" rows={2}>
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
              choices={v.linkable.logins}
              items={v.related.logins.map((l) => ({
                id: l.id,
                label: (
                  <>
                    {l.name}
                    {l.uri ? <span class="text-body-secondary small"> · {l.uri}</span> : null}
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
                    <button class="btn btn-link btn-sm p-0" type="submit" aria-label={`Show the secrets of ${l.name}`}>
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
            choices={v.linkable.services}
            items={v.related.services.map((x) => ({ id: x.id, label: <>{x.name}</> }))}
          />
          <RelatedList
            title="Tickets"
            kind="ticket"
            asset={a}
            csrf={csrf}
            canWrite={v.canWrite}
            choices={v.linkable.tickets}
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
        <h2 id="history-h" class="h6 text-uppercase text-body-secondary">
          History
        </h2>
        <Timeline events={v.events} />
      </section>
    </AppPage>
  );
}
