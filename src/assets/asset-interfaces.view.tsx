// The Interfaces section of the asset page: a table that fits its column (fixed layout, long values cut
// short with the whole value on hover; stacked into cards on phones by .table-stack), each port's
// actions folded into a small menu, cabling through its own page (asset first, then its port), and
// the add forms with every interface field.
import { CsrfField } from '../web/forms.tsx';
import type { Asset, AssetInterface } from './asset.ts';

export interface InterfacesSectionProps {
  asset: Asset;
  csrf: string;
  canWrite: boolean;
  interfaces: AssetInterface[];
  /** Interface id → the port it is cabled to. */
  connections: Map<number, { assetId: number; assetName: string; portName: string }>;
  interfaceTypes: string[];
  networks: Array<{ id: number; name: string }>;
}

/** A cell's text, cut short with an ellipsis when the column is narrower, the whole of it on hover. */
function Cut({ text, mono }: { text: string | null; mono?: boolean }) {
  if (!text) return null;
  return (
    <div class={`cell-cut${mono ? ' mono' : ''}`} title={text}>
      {text}
    </div>
  );
}

function AddInterfaceForm({ asset, csrf, interfaceTypes, networks }: Pick<InterfacesSectionProps, 'asset' | 'csrf' | 'interfaceTypes' | 'networks'>) {
  const text = (id: string, name: string, label: string, extra: Record<string, unknown> = {}) => (
    <div class="col-sm-6">
      <label class="form-label small" for={id}>
        {label}
      </label>
      <input id={id} class="form-control form-control-sm" name={name} {...extra} />
    </div>
  );
  return (
    <form method="post" action={`/assets/${asset.id}/interfaces`} class="card card-body mt-2">
      <CsrfField token={csrf} />
      <div class="row g-2">
        {text('if-name', 'name', 'Name', { required: true })}
        <div class="col-sm-6">
          <label class="form-label small" for="if-type">
            Type
          </label>
          <select id="if-type" class="form-select form-select-sm" name="type">
            <option value="">—</option>
            {interfaceTypes.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </div>
        {text('if-mac', 'mac', 'MAC address')}
        {text('if-ip', 'ip', 'IP address', { placeholder: 'or DHCP' })}
        {text('if-nat-ip', 'nat_ip', 'NAT IP')}
        {text('if-ipv6', 'ipv6', 'IPv6 address')}
        <div class="col-sm-6">
          <label class="form-label small" for="if-network">
            Network
          </label>
          <select id="if-network" class="form-select form-select-sm" name="network_id">
            <option value="">—</option>
            {networks.map((n) => (
              <option value={String(n.id)}>{n.name}</option>
            ))}
          </select>
        </div>
        {text('if-description', 'description', 'Description')}
        <div class="col-12">
          <label class="form-label small" for="if-notes">
            Notes
          </label>
          <textarea id="if-notes" class="form-control form-control-sm" name="notes" rows={2}></textarea>
        </div>
        <div class="col-12 form-check ms-2">
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
  );
}

function AddSeveralForm({ asset, csrf, interfaceTypes }: Pick<InterfacesSectionProps, 'asset' | 'csrf' | 'interfaceTypes'>) {
  return (
    <form method="post" action={`/assets/${asset.id}/interfaces/several`} class="card card-body mt-2">
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
            {interfaceTypes.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </div>
      </div>
      <button class="btn btn-sm btn-primary mt-2" type="submit">
        Add interfaces
      </button>
    </form>
  );
}

export function InterfacesSection(v: InterfacesSectionProps) {
  const a = v.asset;
  const networkName = (id: number) => v.networks.find((n) => n.id === id)?.name ?? 'network';
  return (
    <>
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
      <table class="table table-sm align-middle table-stack iface-table">
        <thead>
          <tr>
            <th scope="col" class="iface-name">
              Name
            </th>
            <th scope="col" class="iface-ip">
              IP
            </th>
            <th scope="col" class="iface-mac">
              MAC
            </th>
            <th scope="col" class="iface-network">
              Network
            </th>
            <th scope="col" class="iface-peer">
              Connected to
            </th>
            {v.canWrite ? (
              <th scope="col" class="iface-actions">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {v.interfaces.map((i) => {
            const peer = v.connections.get(i.id);
            const base = `/assets/${a.id}/interfaces/${i.id}`;
            const peerText = peer ? `${peer.assetName} ${peer.portName}` : null;
            return (
              <tr>
                <td>
                  <div class="cell-cut fw-semibold" title={i.name}>
                    {i.name}
                  </div>
                  {i.primary || i.type || i.description ? (
                    <div class="cell-cut small text-body-secondary" title={[i.primary ? 'primary' : null, i.type, i.description].filter(Boolean).join(' · ')}>
                      {i.primary ? <span class="badge text-bg-primary me-1">primary</span> : null}
                      {[i.type, i.description].filter(Boolean).join(' · ')}
                    </div>
                  ) : null}
                </td>
                <td data-label="IP">
                  <Cut text={i.ip} mono />
                  <Cut text={i.ipv6} mono />
                  {i.natIp ? <Cut text={`NAT ${i.natIp}`} mono /> : null}
                </td>
                <td data-label="MAC">
                  <Cut text={i.mac} mono />
                </td>
                <td data-label="Network">
                  {i.networkId ? (
                    <div class="cell-cut" title={networkName(i.networkId)}>
                      <a href={`/networks/${i.networkId}`}>{networkName(i.networkId)}</a>
                    </div>
                  ) : null}
                </td>
                <td data-label="Connected to">
                  {peer ? (
                    <div class="cell-cut" title={peerText!}>
                      <a href={`/assets/${peer.assetId}`}>{peer.assetName}</a> {peer.portName}
                    </div>
                  ) : v.canWrite ? (
                    <a class="small" href={`${base}/connect`} aria-label={`Connect ${i.name} to another port`}>
                      connect…
                    </a>
                  ) : null}
                </td>
                {v.canWrite ? (
                  <td class="iface-actions">
                    <details class="iface-menu">
                      <summary class="small" aria-label={`Actions for ${i.name}`} title="Edit, connect, make primary, delete">
                        ⋯
                      </summary>
                      <div class="iface-menu-items">
                        <a class="btn btn-link btn-sm p-0 d-block text-start" href={`${base}/edit`} aria-label={`Edit interface ${i.name}`}>
                          edit
                        </a>
                        {peer ? (
                          <form method="post" action={`${base}/disconnect`}>
                            <CsrfField token={v.csrf} />
                            <button class="btn btn-link btn-sm p-0 text-start" type="submit" aria-label={`Disconnect ${i.name}`}>
                              disconnect
                            </button>
                          </form>
                        ) : null}
                        {i.primary ? null : (
                          <>
                            <form method="post" action={`${base}/primary`}>
                              <CsrfField token={v.csrf} />
                              <button class="btn btn-link btn-sm p-0 text-start" type="submit" aria-label={`Make ${i.name} primary`}>
                                make primary
                              </button>
                            </form>
                            <form method="post" action={`${base}/delete`} data-confirm={`Delete interface ${i.name}?`}>
                              <CsrfField token={v.csrf} />
                              <button class="btn btn-link btn-sm p-0 text-danger text-start" type="submit" aria-label={`Delete interface ${i.name}`}>
                                delete
                              </button>
                            </form>
                          </>
                        )}
                      </div>
                    </details>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {v.canWrite ? (
        <div class="d-flex flex-wrap gap-3">
          <details>
            <summary>Add an interface</summary>
            <AddInterfaceForm asset={a} csrf={v.csrf} interfaceTypes={v.interfaceTypes} networks={v.networks} />
          </details>
          <details>
            <summary>Add several</summary>
            <AddSeveralForm asset={a} csrf={v.csrf} interfaceTypes={v.interfaceTypes} />
          </details>
        </div>
      ) : null}
    </>
  );
}
