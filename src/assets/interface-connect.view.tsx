// The page that cables one port to another, in the order a person thinks of it: first the other asset
// (searched by name with a plain GET form), then one of its ports. Works the same without JavaScript.
import { CsrfField } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import type { Asset, AssetInterface } from './asset.ts';

export interface ConnectPageView {
  shell: Shell;
  asset: Asset;
  iface: AssetInterface;
  q: string;
  /** Step 1: the assets matching the search (shown while no asset is chosen). */
  found: { assets: Array<{ id: number; name: string; type: string | null }>; more: boolean } | null;
  /** Step 2: the chosen asset and its ports. */
  peer: { id: number; name: string; ports: Array<{ id: number; name: string; type: string | null; cabledTo: string | null }> } | null;
  /** The port sent with a refused connect, kept selected. */
  chosenPort?: string;
  error?: string;
}

export function ConnectInterfacePage(v: ConnectPageView) {
  const base = `/assets/${v.asset.id}/interfaces/${v.iface.id}/connect`;
  const ports = v.peer?.ports.filter((p) => p.id !== v.iface.id) ?? [];
  return (
    <AppPage title={`Connect ${v.iface.name} of ${v.asset.name}`} shell={v.shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">
          Connect {v.iface.name} of {v.asset.name}
        </h1>
        <h2 class="h6">1. The other asset</h2>
        {v.peer ? (
          <p>
            <strong>{v.peer.name}</strong>{' '}
            <a class="small ms-2" href={`${base}${v.q ? `?q=${encodeURIComponent(v.q)}` : ''}`}>
              choose another asset
            </a>
          </p>
        ) : (
          <>
            <form method="get" action={base} class="d-flex gap-2 mb-2" role="search">
              <label class="visually-hidden" for="connect-q">
                Find the other asset by name
              </label>
              <input id="connect-q" class="form-control" type="search" name="q" value={v.q} placeholder="Asset name…" autocomplete="off" autofocus />
              <button class="btn btn-outline-secondary" type="submit">
                Search
              </button>
            </form>
            {v.found && v.found.assets.length ? (
              <ul class="list-unstyled connect-assets" aria-label="Assets to connect to">
                {v.found.assets.map((a) => (
                  <li class="mb-1">
                    <a href={`${base}?${new URLSearchParams({ ...(v.q ? { q: v.q } : {}), peer: String(a.id) }).toString()}`}>{a.name}</a>
                    {a.type ? <span class="small text-body-secondary ms-1">{a.type}</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="text-body-secondary small">{v.q ? `No asset of this client matches "${v.q}".` : 'This client has no other asset.'}</p>
            )}
            {v.found?.more ? <p class="small text-body-secondary">More assets match: type more of the name.</p> : null}
          </>
        )}
        <h2 class="h6 mt-3">2. Its port</h2>
        {!v.peer ? (
          <p class="text-body-secondary small">Choose the asset first.</p>
        ) : ports.length === 0 ? (
          <p class="text-body-secondary small">
            {v.peer.name} has no other interface. <a href={`/assets/${v.peer.id}#interfaces-h`}>Add one on its page.</a>
          </p>
        ) : (
          <form method="post" action={base} novalidate>
            <CsrfField token={v.shell.session.csrfToken} />
            <div class="mb-3">
              <label class="form-label" for="f-peer_interface_id">
                Port of {v.peer.name}
              </label>
              <select
                id="f-peer_interface_id"
                name="peer_interface_id"
                class={`form-select${v.error ? ' is-invalid' : ''}`}
                aria-invalid={v.error ? 'true' : undefined}
                aria-describedby={v.error ? 'f-peer_interface_id-error' : undefined}
                required
              >
                {ports.map((p) => (
                  <option value={String(p.id)} selected={v.chosenPort === String(p.id)} disabled={p.cabledTo !== null}>
                    {p.name}
                    {p.type ? ` (${p.type})` : ''}
                    {p.cabledTo ? ` — cabled to ${p.cabledTo}` : ''}
                  </option>
                ))}
              </select>
              {v.error ? (
                <div id="f-peer_interface_id-error" class="invalid-feedback">
                  {v.error}
                </div>
              ) : null}
            </div>
            <button class="btn btn-primary" type="submit">
              Connect
            </button>
            <a class="btn btn-outline-secondary ms-2" href={`/assets/${v.asset.id}#interfaces-h`}>
              Cancel
            </a>
          </form>
        )}
        {!v.peer || ports.length === 0 ? (
          <a class="d-block mt-3" href={`/assets/${v.asset.id}#interfaces-h`}>
            Back to {v.asset.name}
          </a>
        ) : null}
      </div>
    </AppPage>
  );
}
