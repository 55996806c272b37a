// Interfaces from the asset page: add one or several, edit, make primary, delete, and cable two ports
// together (a page of its own: the other asset first, then its port). Each action goes through the
// interface rules and lands in the asset's history; a refused add or edit comes back as its form, with
// everything as typed and each problem beside its field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../auth/session.service.ts';
import { listValues } from '../lists/list.service.ts';
import type { Ctx } from '../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Store } from '../platform/db/store.ts';
import { setFlash } from '../web/flash.ts';
import { CsrfField, errorsByField, formFields, SelectField, TextArea, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { baseCtx } from '../web/web.tsx';
import { signedInSession } from '../web/guards.ts';
import type { Asset, AssetInterface } from './asset.ts';
import { findInterface } from './asset.repository.ts';
import { assetPortsOfClient, clientAssetsMatching, clientAssetsNamed, clientNetworkChoices, interfaceNamed } from './interface-pages.query.ts';
import { ConnectInterfacePage } from './interface-connect.view.tsx';
import { exportInterfacesCsv } from '../csv/asset-export.ts';
import { loadAssetFor } from './asset.service.ts';
import {
  addInterface,
  addInterfaces,
  connectInterfaces,
  deleteInterface,
  disconnectInterface,
  setPrimaryInterface,
  updateInterface,
} from './interface.service.ts';
import { positiveInt } from '../web/params.ts';

type Params = { id: string; iid?: string };

const idOf = (raw: string | undefined) => positiveInt(raw);

/** The asset (and interface) named in the URL, if the user may change it; NotFoundError otherwise. */
async function target(ctx: Ctx, session: WebSession, params: Params): Promise<{ asset: Asset; iface: AssetInterface | null }> {
  const id = idOf(params.id);
  const asset = await loadAssetFor(ctx, session.principal, id, 2, params.id);
  if (params.iid === undefined) return { asset, iface: null };
  const iface = idOf(params.iid) ? await findInterface(ctx, Number(params.iid)) : null;
  if (!iface || iface.assetId !== asset.id) throw new NotFoundError('interface', params.iid);
  return { asset, iface };
}

/** Form field → the interface rules' field. */
const FIELDS: Record<string, string> = {
  name: 'name',
  type: 'type',
  description: 'description',
  ip: 'ip',
  nat_ip: 'natIp',
  ipv6: 'ipv6',
  mac: 'mac',
  network_id: 'networkId',
  notes: 'notes',
};
const toInput = (form: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(FIELDS)
      .filter(([k]) => form[k] !== undefined)
      .map(([k, f]) => [f, form[k]]),
  );
const toForm = (field: string) => Object.entries(FIELDS).find(([, f]) => f === field)?.[0] ?? field;

function problem(error: ValidationError | ConflictError | NotFoundError): string {
  return error instanceof ValidationError ? error.issues.map((i) => `${toForm(i.field).replace('_', ' ')}: ${i.message}`).join('; ') : error.message;
}

/** The form of one interface: adding (with "make primary") or editing; a refused save comes back here with what was typed. */
function InterfaceFormPage({
  mode,
  shell,
  asset,
  values,
  errors,
  types,
  networks,
}: {
  mode: 'add' | 'edit';
  shell: Shell;
  asset: Asset;
  values: Record<string, string>;
  errors: FieldErrors;
  types: string[];
  networks: Array<{ value: string; label: string }>;
}) {
  const typeOptions = [
    { value: '', label: '—' },
    ...[...types, ...(values.type && !types.includes(values.type) ? [values.type] : [])].map((t) => ({ value: t, label: t })),
  ];
  return (
    <AppPage title={mode === 'add' ? `Add an interface to ${asset.name}` : `Interface ${values.name ?? ''} of ${asset.name}`} shell={shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">{mode === 'add' ? `Add an interface to ${asset.name}` : `Interface of ${asset.name}`}</h1>
        {Object.keys(errors).length ? (
          <div class="alert alert-danger py-2" role="alert">
            Nothing was saved: check the fields marked below.
          </div>
        ) : null}
        <form method="post" action={mode === 'add' ? `/assets/${asset.id}/interfaces` : undefined} novalidate>
          <CsrfField token={shell.session.csrfToken} />
          <TextField name="name" label="Name" value={values.name} error={errors.name} required />
          <SelectField name="type" label="Type" value={values.type} error={errors.type} options={typeOptions} />
          <TextField name="mac" label="MAC address" value={values.mac} error={errors.mac} />
          <TextField name="ip" label="IP address" value={values.ip} error={errors.ip} help="An IPv4 address, or DHCP." />
          <TextField name="nat_ip" label="NAT IP" value={values.nat_ip} error={errors.nat_ip} />
          <TextField name="ipv6" label="IPv6 address" value={values.ipv6} error={errors.ipv6} />
          <SelectField
            name="network_id"
            label="Network"
            value={values.network_id}
            error={errors.network_id}
            options={[{ value: '', label: '—' }, ...networks]}
          />
          <TextField name="description" label="Description" value={values.description} error={errors.description} />
          <TextArea name="notes" label="Notes" value={values.notes} error={errors.notes} rows={2} />
          {mode === 'add' ? (
            <div class="form-check mb-3">
              <input id="f-primary" class="form-check-input" type="checkbox" name="primary" value="1" checked={values.primary === '1'} />
              <label class="form-check-label" for="f-primary">
                Make primary
              </label>
            </div>
          ) : null}
          <button class="btn btn-primary" type="submit">
            {mode === 'add' ? 'Add interface' : 'Save interface'}
          </button>
          <a class="btn btn-outline-secondary ms-2" href={`/assets/${asset.id}`}>
            Cancel
          </a>
        </form>
      </div>
    </AppPage>
  );
}

export function registerInterfacePages(app: FastifyInstance, store: Store): void {
  app.get('/assets/:id/interfaces.csv', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const id = idOf((request.params as Params).id);
    const asset = await loadAssetFor(ctx, session.principal, id, 1, (request.params as Params).id);
    const safeName = asset.name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'asset';
    reply.header('content-disposition', `attachment; filename="${safeName}-interfaces.csv"`);
    return reply.type('text/csv; charset=utf-8').send(await exportInterfacesCsv(ctx, asset.id));
  });

  /** Runs a change and returns to the asset page with the outcome as a message. */
  const act =
    (run: (ctx: Ctx, t: { asset: Asset; iface: AssetInterface | null }, form: Record<string, string>) => Promise<string>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const session = signedInSession(request);
      const ctx = baseCtx(store, request);
      const t = await target(ctx, session, request.params as Params);
      try {
        setFlash(reply, { kind: 'success', text: await run(ctx, t, formFields(request.body)) });
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError)) throw error;
        setFlash(reply, { kind: 'danger', text: `Nothing was changed. ${problem(error)}` });
      }
      return reply.redirect(`/assets/${t.asset.id}#interfaces-h`, 303);
    };

  // A refused add comes back as the add form, every field as typed and each problem beside its field.
  app.get('/assets/:id/interfaces/new', async (request, reply) => {
    const session = signedInSession(request);
    const { asset } = await target(baseCtx(store, request), session, request.params as Params);
    return formPage('add', request, reply, session, asset, {}, {});
  });

  app.post('/assets/:id/interfaces', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const { asset } = await target(ctx, session, request.params as Params);
    const form = formFields(request.body);
    let added: AssetInterface;
    try {
      added = await addInterface(ctx, asset.id, { ...toInput(form), primary: form.primary === '1' });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return formPage('add', request, reply, session, asset, form, errorsByField(error.issues, toForm), 422);
    }
    setFlash(reply, { kind: 'success', text: `Interface ${added.name} added.` });
    return reply.redirect(`/assets/${asset.id}#interfaces-h`, 303);
  });

  app.post(
    '/assets/:id/interfaces/several',
    act(async (ctx, { asset }, form) => {
      const count = Number(form.count);
      const start = form.start === undefined || form.start === '' ? 1 : Number(form.start);
      const added = await addInterfaces(ctx, asset.id, {
        prefix: form.prefix ?? '',
        start,
        count,
        type: form.type || null,
        networkId: form.network_id || null,
      });
      return `${added.length} interfaces added (${added[0]?.name} to ${added.at(-1)?.name}).`;
    }),
  );

  app.post(
    '/assets/:id/interfaces/:iid/primary',
    act(async (ctx, { iface }) => {
      await setPrimaryInterface(ctx, iface!.id);
      return `${iface!.name} is now the primary interface.`;
    }),
  );

  app.post(
    '/assets/:id/interfaces/:iid/delete',
    act(async (ctx, { iface }) => {
      await deleteInterface(ctx, iface!.id);
      return `Interface ${iface!.name} deleted.`;
    }),
  );

  app.post(
    '/assets/:id/interfaces/:iid/disconnect',
    act(async (ctx, { iface }) => {
      return (await disconnectInterface(ctx, iface!.id)) ? `${iface!.name} disconnected.` : `${iface!.name} was not connected.`;
    }),
  );

  const connectPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: WebSession,
    t: { asset: Asset; iface: AssetInterface },
    input: { q: string; peer: string; chosenPort?: string; error?: string },
    status = 200,
  ) => {
    const ctx = baseCtx(store, request);
    const peerId = positiveInt(input.peer);
    const peer = peerId ? ((await assetPortsOfClient(ctx, t.asset.clientId, peerId)) ?? null) : null;
    const [found, shell] = await Promise.all([
      peer ? null : clientAssetsMatching(ctx, t.asset.clientId, input.q),
      loadShell(ctx, session, request, reply, t.asset.clientId),
    ]);
    const { chosenPort, error } = input;
    return sendPage(
      reply,
      <ConnectInterfacePage
        shell={shell}
        asset={t.asset}
        iface={t.iface}
        q={input.q}
        found={found}
        peer={peer}
        {...(chosenPort ? { chosenPort } : {})}
        {...(error ? { error } : {})}
      />,
      status,
    );
  };

  // Step by step, without JavaScript: ?q= searches the client's assets, ?peer= picks one and lists its ports.
  app.get('/assets/:id/interfaces/:iid/connect', async (request, reply) => {
    const session = signedInSession(request);
    const t = await target(baseCtx(store, request), session, request.params as Params);
    const query = request.query as { q?: unknown; peer?: unknown };
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');
    return connectPage(request, reply, session, { asset: t.asset, iface: t.iface! }, { q: text(query.q).trim(), peer: text(query.peer) });
  });

  // The connect page sends the chosen port's id; a refusal comes back to that page with the reason
  // beside the port. Older forms (and scripts) name the other end instead: an asset and its port.
  app.post('/assets/:id/interfaces/:iid/connect', async (request, reply) => {
    const form = formFields(request.body);
    if (form.peer_interface_id === undefined) return connectByName(request, reply);
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const t = await target(ctx, session, request.params as Params);
    const iface = t.iface!;
    const portId = positiveInt(form.peer_interface_id);
    const port = portId ? await findInterface(ctx, portId) : null;
    const peer = port ? await assetPortsOfClient(ctx, t.asset.clientId, port.assetId) : undefined;
    const back = { q: (form.q ?? '').slice(0, 200), peer: peer ? String(peer.id) : '', chosenPort: form.peer_interface_id };
    if (!port || !peer) return connectPage(request, reply, session, { asset: t.asset, iface }, { ...back, error: 'Choose a port of the other asset' }, 422);
    try {
      await connectInterfaces(ctx, iface.id, port.id);
    } catch (error) {
      if (!(error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      return connectPage(request, reply, session, { asset: t.asset, iface }, { ...back, error: problem(error) }, 422);
    }
    setFlash(reply, { kind: 'success', text: `${iface.name} connected to ${peer.name} ${port.name}.` });
    return reply.redirect(`/assets/${t.asset.id}#interfaces-h`, 303);
  });

  // The other end is named as a person would say it: an asset of the same client, and its port.
  const connectByName = act(async (ctx, { asset, iface }, form) => {
    const peerName = (form.peer_asset ?? '').trim();
    const portName = (form.peer_port ?? '').trim();
    if (!peerName || !portName) throw new ValidationError([{ field: 'peer', code: 'required', message: 'name the other asset and its port' }]);
    const peers = await clientAssetsNamed(ctx, asset.clientId, peerName);
    if (peers.length !== 1)
      throw new ValidationError([
        {
          field: 'peer',
          code: peers.length ? 'ambiguous' : 'not_found',
          message: peers.length ? `two assets of this client are named "${peerName}"` : `this client has no asset named "${peerName}"`,
        },
      ]);
    const port = await interfaceNamed(ctx, peers[0]!.id, portName);
    if (!port) throw new ValidationError([{ field: 'peer', code: 'not_found', message: `${peers[0]!.name} has no interface named "${portName}"` }]);
    await connectInterfaces(ctx, iface!.id, port.id);
    return `${iface!.name} connected to ${peers[0]!.name} ${portName}.`;
  });

  const formPage = async (
    mode: 'add' | 'edit',
    request: FastifyRequest,
    reply: FastifyReply,
    session: WebSession,
    asset: Asset,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = baseCtx(store, request);
    const [types, networks, shell] = await Promise.all([
      listValues(ctx, 'interface_type').then((vs) => vs.map((v) => v.name)),
      clientNetworkChoices(ctx, asset.clientId),
      loadShell(ctx, session, request, reply, asset.clientId),
    ]);
    return sendPage(
      reply,
      <InterfaceFormPage mode={mode} shell={shell} asset={asset} values={values} errors={errors} types={types} networks={networks} />,
      status,
    );
  };

  app.get('/assets/:id/interfaces/:iid/edit', async (request, reply) => {
    const session = signedInSession(request);
    const { asset, iface } = await target(baseCtx(store, request), session, request.params as Params);
    const s = (v: string | number | null) => (v === null ? '' : String(v));
    const i = iface!;
    return formPage(
      'edit',
      request,
      reply,
      session,
      asset,
      {
        name: i.name,
        type: s(i.type),
        ip: s(i.ip),
        nat_ip: s(i.natIp),
        ipv6: s(i.ipv6),
        mac: s(i.mac),
        network_id: s(i.networkId),
        description: s(i.description),
        notes: s(i.notes),
      },
      {},
    );
  });

  app.post('/assets/:id/interfaces/:iid/edit', async (request, reply) => {
    const session = signedInSession(request);
    const ctx = baseCtx(store, request);
    const { asset, iface } = await target(ctx, session, request.params as Params);
    const form = formFields(request.body);
    try {
      await updateInterface(ctx, iface!.id, toInput(form));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return formPage('edit', request, reply, session, asset, form, errorsByField(error.issues, toForm), 422);
    }
    setFlash(reply, { kind: 'success', text: `Interface ${form.name || iface!.name} saved.` });
    return reply.redirect(`/assets/${asset.id}#interfaces-h`, 303);
  });
}
