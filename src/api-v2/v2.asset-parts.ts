// /api/v2: the parts of an asset. Its interfaces (/assets/{id}/interfaces, /interfaces/{id}, the
// primary flag and the cable in /interfaces/{id}/connection), its notes (/assets/{id}/notes,
// /notes/{id}), its tags (/assets/{id}/tags) and the logins, services and tickets linked to it
// (/assets/{id}/logins…). Reads check the asset first (loadAssetFor: a part of an asset the key may not
// see is "not found", like a missing one); writes go through the asset services, which authorize the
// acting principal and write the asset's history. Interfaces and notes answer with an ETag and honour
// If-Match (412). Sub-lists are small and answered whole: `{results, next: null}`.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../access/access.ts';
import {
  addAssetNote,
  archiveAssetNote,
  deleteAssetNote,
  listAssetNotes,
  restoreAssetNote,
  updateAssetNote,
  type AssetNote,
} from '../assets/asset-note.service.ts';
import { changeAssetTags, linkLogin, linkService, linkTicket, unlinkLogin, unlinkService, unlinkTicket } from '../assets/asset-links.service.ts';
import { loadAssetFor } from '../assets/asset.service.ts';
import { addInterface, connectInterfaces, deleteInterface, disconnectInterface, setPrimaryInterface, updateInterface } from '../assets/interface.service.ts';
import { inTransaction, type Ctx } from '../platform/context.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { MAX_ID } from '../platform/text.ts';
import {
  interfaceById,
  interfacesOfAsset,
  loginsOfAsset,
  noteById,
  servicesOfAsset,
  tagsOfAsset,
  ticketsOfAsset,
  type InterfaceRow,
  type NoteRow,
} from './v2.asset-parts.query.ts';
import { v2Call, type V2Call } from './v2.call.ts';
import { checkIfMatch, digestEtag, sendRecord } from './v2.etag.ts';
import { camelKeys } from './v2.names.ts';
import { Id, Nullable, problemResponses, recordSchema } from './v2.resource.ts';

// ---- parameters -------------------------------------------------------------------------------

const Digits = (description: string) => Type.String({ pattern: '^[0-9]{1,10}$', description });
const AssetParams = Type.Object({ id: Digits('The asset id.') });
const InterfaceParams = Type.Object({ id: Digits('The interface id.') });
const NoteParams = Type.Object({ id: Digits('The note id.') });
type IdOnly = { id: string };

/** A record id from the path, 1 to 2³¹−1 (the schema checks the digits; this the range). */
function idOf(text: string, field = 'id'): number {
  const id = Number(text);
  if (id < 1 || id > MAX_ID) throw new ValidationError([{ field, code: 'id_invalid', message: `"${text}" is not a record id` }]);
  return id;
}

// ---- answers ----------------------------------------------------------------------------------

const Text = Nullable(Type.String());
const Interface = recordSchema(
  'Interface',
  {
    asset_id: Id,
    name: Type.String(),
    description: Text,
    type: Nullable(Type.String({ description: 'From the interface types list.' })),
    mac: Nullable(Type.String({ description: 'Normalised: AA:BB:CC:DD:EE:FF.' })),
    ip: Nullable(Type.String({ description: 'IPv4 address, or DHCP.' })),
    nat_ip: Text,
    ipv6: Text,
    network_id: Nullable(Id),
    notes: Text,
    primary: Type.Boolean({ description: 'The asset’s primary interface (exactly one per asset).' }),
    peer_interface_id: Type.Union([Id, Type.Null()], { description: 'The interface this one is cabled to.' }),
  },
  { description: 'A port or network interface of an asset.' },
);
const Note = recordSchema(
  'Note',
  { asset_id: Id, type: Type.String({ description: 'From the note types list.' }), body: Type.String(), created_by: Text },
  { archives: true, description: 'A typed note on an asset.' },
);
const Named = (title: string, properties: Record<string, TSchema>) =>
  Type.Object({ id: Id, url: Type.String(), display: Type.String(), ...properties }, { title });
const TagRef = Named('AssetTag', { name: Type.String(), color: Text });
const LoginRef = Named('AssetLogin', { name: Type.String(), uri: Text });
const ServiceRef = Named('AssetService', { name: Type.String() });
const TicketRef = Named('AssetTicket', { number: Type.Integer(), subject: Type.String(), status: Type.String() });
const Connection = Type.Object(
  {
    url: Type.String(),
    interface_id: Id,
    asset_id: Id,
    peer_interface_id: Id,
    peer_asset_id: Id,
    peer_interface: Interface,
    peer_asset: Named('ConnectedAsset', {}),
  },
  { title: 'InterfaceConnection', description: 'The cable between two interfaces of the same client.' },
);
const ListOf = <T extends TSchema>(item: T) => Type.Object({ results: Type.Array(item), next: Type.Null({ description: 'Always null: the list is whole.' }) });

function interfaceJson(row: InterfaceRow) {
  return {
    id: row.id,
    url: `/api/v2/interfaces/${row.id}`,
    display: row.name,
    asset_id: row.asset_id,
    name: row.name,
    description: row.description ?? null,
    type: row.type ?? null,
    mac: row.mac ?? null,
    ip: row.ip ?? null,
    nat_ip: row.nat_ip ?? null,
    ipv6: row.ipv6 ?? null,
    network_id: row.network_id ?? null,
    notes: row.notes ?? null,
    primary: Boolean(row.is_primary),
    peer_interface_id: row.peer_interface_id ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
  };
}

function noteJson(note: NoteRow | AssetNote) {
  const row: NoteRow =
    'assetId' in note
      ? {
          id: note.id,
          asset_id: note.assetId,
          type: note.type,
          body: note.body,
          created_by_name: note.createdBy,
          created_at: note.createdAt,
          updated_at: note.updatedAt,
          archived_at: note.archivedAt,
        }
      : note;
  return {
    id: row.id,
    url: `/api/v2/notes/${row.id}`,
    display: `${row.type}, ${row.created_at.slice(0, 10)}`,
    asset_id: row.asset_id,
    type: row.type,
    body: row.body,
    created_by: row.created_by_name ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

const tagJson = (t: { id: number; name: string; color: string | null }) => ({
  id: t.id,
  url: `/api/v2/tags/${t.id}`,
  display: t.name,
  name: t.name,
  color: t.color,
});
const loginJson = (l: { id: number; name: string; uri: string | null }) => ({
  id: l.id,
  url: `/api/v2/logins/${l.id}`,
  display: l.name,
  name: l.name,
  uri: l.uri,
});
const serviceJson = (s: { id: number; name: string }) => ({ id: s.id, url: `/api/v2/services/${s.id}`, display: s.name, name: s.name });
const ticketJson = (t: { id: number; number: number; subject: string; status: string }) => ({
  id: t.id,
  url: `/api/v2/tickets/${t.id}`,
  display: `#${t.number} ${t.subject}`,
  number: t.number,
  subject: t.subject,
  status: t.status,
});

// ---- bodies -----------------------------------------------------------------------------------

const interfaceFields = {
  name: Type.String({ maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  type: Type.Optional(Nullable(Type.String({ maxLength: 50, description: 'A value of the interface types list.' }))),
  mac: Type.Optional(Nullable(Type.String({ maxLength: 50, description: 'Any notation: 00-15-5D-01-02-03, 0015.5d01.0203, 00:15:5d:01:02:03.' }))),
  ip: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'IPv4 address, or DHCP.' }))),
  nat_ip: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  ipv6: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  network_id: Type.Optional(Type.Union([Id, Type.Null()], { description: 'A network of the asset’s client.' })),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 65_535 }))),
};
const InterfaceCreate = Type.Object(
  { ...interfaceFields, primary: Type.Optional(Type.Boolean({ description: 'Make it the primary interface (the former primary stops being it).' })) },
  { additionalProperties: false },
);
const InterfacePatch = Type.Partial(Type.Object(interfaceFields), { additionalProperties: false });
const ConnectBody = Type.Object({ peer_interface_id: Id }, { additionalProperties: false });
const NoteCreate = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 200, description: 'A value of the note types list (default Note).' })),
    body: Type.String({ maxLength: 65_535 }),
  },
  { additionalProperties: false },
);
const NotePatch = Type.Partial(NoteCreate, { additionalProperties: false });
const NotesQuery = Type.Object(
  {
    archived: Type.Optional(
      Type.Union([Type.Literal('false'), Type.Literal('true'), Type.Literal('all')], {
        description: 'false (default): active notes; true: archived ones; all: both.',
      }),
    ),
  },
  { additionalProperties: false },
);
const TagRefInput = Type.Union([Type.String({ maxLength: 200 }), Id], { description: 'A tag’s name (any case) or id.' });
const TagsBody = Type.Object({ tags: Type.Array(TagRefInput, { maxItems: 1000, description: 'The whole new set of tags.' }) }, { additionalProperties: false });
const TagBody = Type.Object({ tag: TagRefInput }, { additionalProperties: false });

// ---- checks -----------------------------------------------------------------------------------

/** The asset, once the call may see it at this level; a hidden or missing one is "not found" as `entity`. */
async function visibleAsset(call: V2Call, ctx: Ctx, assetId: number, shown: { entity: string; id: number | string } = { entity: 'asset', id: assetId }) {
  try {
    return await loadAssetFor(ctx, call.principal, assetId, 1);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(shown.entity, shown.id);
    throw error;
  }
}

async function readInterface(call: V2Call, ctx: Ctx, id: number) {
  const row = await interfaceById(ctx, id);
  if (!row) throw new NotFoundError('interface', id);
  await visibleAsset(call, ctx, row.asset_id, { entity: 'interface', id });
  const json = interfaceJson(row);
  return { row, json, etag: digestEtag(json) };
}

async function readNote(call: V2Call, ctx: Ctx, id: number) {
  const row = await noteById(ctx, id);
  if (!row) throw new NotFoundError('note', id);
  await visibleAsset(call, ctx, row.asset_id, { entity: 'note', id });
  const json = noteJson(row);
  return { row, json, etag: digestEtag(json) };
}

/** A record named in the body that the service did not find is an error on that field, not a missing path. */
async function referenced<T>(field: string, entity: string, id: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFoundError) throw new ValidationError([{ field, code: 'not_found', message: `${entity} ${id} does not exist` }]);
    throw error;
  }
}

/**
 * Runs a write on one interface or note under the request's If-Match (412 when stale, nothing written),
 * then answers the record as it is now, with its ETag.
 */
async function guardedWrite(
  request: FastifyRequest,
  reply: FastifyReply,
  read: (call: V2Call, ctx: Ctx) => Promise<{ json: unknown; etag: string }>,
  run: (ctx: Ctx) => Promise<unknown>,
  answer = true,
) {
  const call = v2Call(request);
  await inTransaction(call.ctx, async (ctx) => {
    const current = await read(call, ctx);
    checkIfMatch(request, current.etag);
    await run(ctx);
  });
  if (!answer) return reply.code(204).send();
  const now = await read(call, call.ctx);
  return sendRecord(request, reply, now.json, now.etag);
}

async function connectionJson(call: V2Call, ctx: Ctx, id: number) {
  const { row } = await readInterface(call, ctx, id);
  const peer = row.peer_interface_id === null ? null : await interfaceById(ctx, row.peer_interface_id);
  if (!peer) throw new NotFoundError('connection of interface', id);
  return {
    url: `/api/v2/interfaces/${id}/connection`,
    interface_id: id,
    asset_id: row.asset_id,
    peer_interface_id: peer.id,
    peer_asset_id: peer.asset_id,
    peer_interface: interfaceJson(peer),
    peer_asset: { id: peer.asset_id, url: `/api/v2/assets/${peer.asset_id}`, display: peer.asset_name },
  };
}

// ---- routes -----------------------------------------------------------------------------------

const READ = [401, 403, 404, 422, 429];
const WRITE = [401, 403, 404, 409, 412, 422, 429];

export function registerV2AssetParts(v2: FastifyInstance): void {
  registerInterfaces(v2);
  registerNotes(v2);
  registerTags(v2);
  registerLinks(v2);
}

function registerInterfaces(v2: FastifyInstance): void {
  const tags = ['Interfaces'];

  v2.get<{ Params: IdOnly }>(
    '/assets/:id/interfaces',
    {
      schema: {
        tags,
        operationId: 'listAssetInterfaces',
        summary: 'List an asset’s interfaces, the primary first',
        params: AssetParams,
        response: { 200: ListOf(Interface), ...problemResponses(...READ) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      return { results: (await interfacesOfAsset(call.ctx, asset.id)).map(interfaceJson), next: null };
    },
  );

  v2.post<{ Params: IdOnly; Body: Static<typeof InterfaceCreate> }>(
    '/assets/:id/interfaces',
    {
      schema: {
        tags,
        operationId: 'createAssetInterface',
        summary: 'Add an interface to an asset',
        params: AssetParams,
        body: InterfaceCreate,
        response: { 201: Interface, ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      const created = await addInterface(call.ctx, asset.id, camelKeys(request.body));
      const { json, etag } = await readInterface(call, call.ctx, created.id);
      reply.header('location', json.url);
      return sendRecord(request, reply, json, etag, 201);
    },
  );

  v2.get<{ Params: IdOnly }>(
    '/interfaces/:id',
    {
      schema: {
        tags,
        operationId: 'getInterface',
        summary: 'Read an interface',
        params: InterfaceParams,
        response: { 200: Interface, 304: Type.Null(), ...problemResponses(...READ) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const { json, etag } = await readInterface(call, call.ctx, idOf(request.params.id));
      return sendRecord(request, reply, json, etag);
    },
  );

  v2.patch<{ Params: IdOnly; Body: Static<typeof InterfacePatch> }>(
    '/interfaces/:id',
    {
      schema: {
        tags,
        operationId: 'patchInterface',
        summary: 'Change some fields of an interface (null clears)',
        params: InterfaceParams,
        body: InterfacePatch,
        response: { 200: Interface, ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      return guardedWrite(
        request,
        reply,
        (call, ctx) => readInterface(call, ctx, id),
        (ctx) => updateInterface(ctx, id, camelKeys(request.body)),
      );
    },
  );

  v2.delete<{ Params: IdOnly }>(
    '/interfaces/:id',
    {
      schema: {
        tags,
        operationId: 'deleteInterface',
        summary: 'Delete an interface that is not the primary one (and its cable)',
        params: InterfaceParams,
        response: { 204: Type.Null(), ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      return guardedWrite(
        request,
        reply,
        (call, ctx) => readInterface(call, ctx, id),
        (ctx) => deleteInterface(ctx, id),
        false,
      );
    },
  );

  v2.post<{ Params: IdOnly }>(
    '/interfaces/:id/primary',
    {
      schema: {
        tags,
        operationId: 'makeInterfacePrimary',
        summary: 'Make an interface its asset’s primary one',
        params: InterfaceParams,
        response: { 200: Interface, ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      return guardedWrite(
        request,
        reply,
        (call, ctx) => readInterface(call, ctx, id),
        (ctx) => setPrimaryInterface(ctx, id),
      );
    },
  );

  v2.get<{ Params: IdOnly }>(
    '/interfaces/:id/connection',
    {
      schema: {
        tags,
        operationId: 'getInterfaceConnection',
        summary: 'The interface this one is cabled to (404 when none)',
        params: InterfaceParams,
        response: { 200: Connection, ...problemResponses(...READ) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      return connectionJson(call, call.ctx, idOf(request.params.id));
    },
  );

  v2.put<{ Params: IdOnly; Body: Static<typeof ConnectBody> }>(
    '/interfaces/:id/connection',
    {
      schema: {
        tags,
        operationId: 'connectInterface',
        summary: 'Cable this interface to another of the same client',
        description:
          'Both interfaces must be free; an interface already cabled elsewhere is a conflict (409): disconnect it first. Cabling again to the same peer changes nothing.',
        params: InterfaceParams,
        body: ConnectBody,
        response: { 200: Connection, ...problemResponses(...WRITE) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const id = idOf(request.params.id);
      const peerId = request.body.peer_interface_id;
      await inTransaction(call.ctx, async (ctx) => {
        const { row } = await readInterface(call, ctx, id);
        if (row.peer_interface_id === peerId) return;
        await referenced('peer_interface_id', 'interface', peerId, () => connectInterfaces(ctx, id, peerId));
      });
      return connectionJson(call, call.ctx, id);
    },
  );

  v2.delete<{ Params: IdOnly }>(
    '/interfaces/:id/connection',
    {
      schema: {
        tags,
        operationId: 'disconnectInterface',
        summary: 'Remove the cable from this interface (on both ends)',
        params: InterfaceParams,
        response: { 204: Type.Null(), ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const id = idOf(request.params.id);
      await inTransaction(call.ctx, async (ctx) => {
        await readInterface(call, ctx, id);
        if (!(await disconnectInterface(ctx, id))) throw new NotFoundError('connection of interface', id);
      });
      return reply.code(204).send();
    },
  );
}

function registerNotes(v2: FastifyInstance): void {
  const tags = ['Assets'];

  v2.get<{ Params: IdOnly; Querystring: Static<typeof NotesQuery> }>(
    '/assets/:id/notes',
    {
      schema: {
        tags,
        operationId: 'listAssetNotes',
        summary: 'List an asset’s notes, newest first',
        params: AssetParams,
        querystring: NotesQuery,
        response: { 200: ListOf(Note), ...problemResponses(400, ...READ) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      const archived = request.query.archived ?? 'false';
      const notes = await listAssetNotes(call.ctx, asset.id, archived !== 'false');
      return { results: notes.filter((n) => archived !== 'true' || n.archivedAt !== null).map(noteJson), next: null };
    },
  );

  v2.post<{ Params: IdOnly; Body: Static<typeof NoteCreate> }>(
    '/assets/:id/notes',
    {
      schema: {
        tags,
        operationId: 'createAssetNote',
        summary: 'Add a note to an asset',
        params: AssetParams,
        body: NoteCreate,
        response: { 201: Note, ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      const note = await addAssetNote(call.ctx, asset.id, request.body);
      const json = noteJson(note);
      reply.header('location', json.url);
      return sendRecord(request, reply, json, digestEtag(json), 201);
    },
  );

  v2.get<{ Params: IdOnly }>(
    '/notes/:id',
    {
      schema: {
        tags,
        operationId: 'getNote',
        summary: 'Read a note of an asset',
        params: NoteParams,
        response: { 200: Note, 304: Type.Null(), ...problemResponses(...READ) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const { json, etag } = await readNote(call, call.ctx, idOf(request.params.id));
      return sendRecord(request, reply, json, etag);
    },
  );

  v2.patch<{ Params: IdOnly; Body: Static<typeof NotePatch> }>(
    '/notes/:id',
    {
      schema: {
        tags,
        operationId: 'patchNote',
        summary: 'Change a note’s type or text',
        params: NoteParams,
        body: NotePatch,
        response: { 200: Note, ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      return guardedWrite(
        request,
        reply,
        (call, ctx) => readNote(call, ctx, id),
        (ctx) => updateAssetNote(ctx, id, request.body),
      );
    },
  );

  v2.delete<{ Params: IdOnly }>(
    '/notes/:id',
    {
      schema: {
        tags,
        operationId: 'deleteNote',
        summary: 'Delete a note for good',
        params: NoteParams,
        response: { 204: Type.Null(), ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      return guardedWrite(
        request,
        reply,
        (call, ctx) => readNote(call, ctx, id),
        (ctx) => deleteAssetNote(ctx, id),
        false,
      );
    },
  );

  for (const [name, run] of [
    ['archive', archiveAssetNote],
    ['restore', restoreAssetNote],
  ] as const) {
    v2.post<{ Params: IdOnly }>(
      `/notes/:id/${name}`,
      {
        schema: {
          tags,
          operationId: `${name}Note`,
          summary: `${name === 'archive' ? 'Archive' : 'Restore'} a note`,
          params: NoteParams,
          response: { 200: Note, ...problemResponses(...WRITE) },
        },
      },
      async (request, reply) => {
        const id = idOf(request.params.id);
        return guardedWrite(
          request,
          reply,
          (call, ctx) => readNote(call, ctx, id),
          (ctx) => run(ctx, id),
        );
      },
    );
  }
}

function registerTags(v2: FastifyInstance): void {
  const tags = ['Assets'];
  const TagList = ListOf(TagRef);
  const answer = async (ctx: Ctx, assetId: number) => ({ results: (await tagsOfAsset(ctx, assetId)).map(tagJson), next: null });

  v2.get<{ Params: IdOnly }>(
    '/assets/:id/tags',
    {
      schema: {
        tags,
        operationId: 'listAssetTags',
        summary: 'List an asset’s tags',
        params: AssetParams,
        response: { 200: TagList, ...problemResponses(...READ) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      return answer(call.ctx, asset.id);
    },
  );

  v2.put<{ Params: IdOnly; Body: Static<typeof TagsBody> }>(
    '/assets/:id/tags',
    {
      schema: {
        tags,
        operationId: 'replaceAssetTags',
        summary: 'Replace an asset’s tags with the given set',
        description: 'Tags are named by name (any case) or id; an unknown one is refused (422), never created.',
        params: AssetParams,
        body: TagsBody,
        response: { 200: TagList, ...problemResponses(...WRITE) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      await changeAssetTags(call.ctx, asset.id, request.body.tags, 'replace');
      return answer(call.ctx, asset.id);
    },
  );

  v2.post<{ Params: IdOnly; Body: Static<typeof TagBody> }>(
    '/assets/:id/tags',
    {
      schema: {
        tags,
        operationId: 'addAssetTag',
        summary: 'Add one tag to an asset (answers the asset’s tags)',
        params: AssetParams,
        body: TagBody,
        response: { 200: TagList, ...problemResponses(...WRITE) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      try {
        await changeAssetTags(call.ctx, asset.id, [request.body.tag], 'add');
      } catch (error) {
        // The service names the list it was given (`tags`); this body names one `tag`.
        if (error instanceof ValidationError) throw new ValidationError(error.issues.map((i) => (i.field === 'tags' ? { ...i, field: 'tag' } : i)));
        throw error;
      }
      return answer(call.ctx, asset.id);
    },
  );

  v2.delete<{ Params: { id: string; tag_id: string } }>(
    '/assets/:id/tags/:tag_id',
    {
      schema: {
        tags,
        operationId: 'removeAssetTag',
        summary: 'Take one tag off an asset',
        params: Type.Object({ id: Digits('The asset id.'), tag_id: Digits('The tag id.') }),
        response: { 204: Type.Null(), ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const asset = await visibleAsset(call, call.ctx, idOf(request.params.id));
      const tagId = idOf(request.params.tag_id, 'tag_id');
      if (!(await tagsOfAsset(call.ctx, asset.id)).some((t) => t.id === tagId)) throw new NotFoundError(`asset ${asset.id}'s tag`, tagId);
      await changeAssetTags(call.ctx, asset.id, [tagId], 'remove');
      return reply.code(204).send();
    },
  );
}

interface LinkKind<R> {
  /** `logins`: the path segment and the operation ids' noun. */
  plural: 'logins' | 'services' | 'tickets';
  singular: 'login' | 'service' | 'ticket';
  Ref: TSchema;
  list(ctx: Ctx, assetId: number): Promise<R[]>;
  json(row: R): { id: number };
  link(ctx: Ctx, assetId: number, id: number): Promise<boolean>;
  unlink(ctx: Ctx, assetId: number, id: number): Promise<boolean>;
  /** Reading this list needs more than the asset (logins: the credential module). */
  check?(call: V2Call, asset: { id: number; clientId: number }): void;
}

function registerLinks(v2: FastifyInstance): void {
  registerLink(v2, {
    plural: 'logins',
    singular: 'login',
    Ref: LoginRef,
    list: loginsOfAsset,
    json: loginJson,
    link: linkLogin,
    unlink: unlinkLogin,
    check: (call, asset) => authorize(call.principal, 'credential', 1, { clientId: asset.clientId, entity: 'asset', id: asset.id }),
  });
  registerLink(v2, {
    plural: 'services',
    singular: 'service',
    Ref: ServiceRef,
    list: servicesOfAsset,
    json: serviceJson,
    link: linkService,
    unlink: unlinkService,
  });
  registerLink(v2, { plural: 'tickets', singular: 'ticket', Ref: TicketRef, list: ticketsOfAsset, json: ticketJson, link: linkTicket, unlink: unlinkTicket });
}

function registerLink<R>(v2: FastifyInstance, kind: LinkKind<R>): void {
  const tags = ['Assets'];
  const Noun = kind.plural.charAt(0).toUpperCase() + kind.plural.slice(1);
  const One = kind.singular.charAt(0).toUpperCase() + kind.singular.slice(1);
  const field = `${kind.singular}_id`;
  const Body = Type.Object({ [field]: Id }, { additionalProperties: false });
  const note = kind.singular === 'login' ? ' Only the login’s id, name and address: never a secret. Needs the credential module.' : '';

  async function asset(call: V2Call, ctx: Ctx, id: string) {
    return visibleAsset(call, ctx, idOf(id));
  }

  v2.get<{ Params: IdOnly }>(
    `/assets/:id/${kind.plural}`,
    {
      schema: {
        tags,
        operationId: `listAsset${Noun}`,
        summary: `List the ${kind.plural} linked to an asset`,
        description: note.trim() || undefined,
        params: AssetParams,
        response: { 200: ListOf(kind.Ref), ...problemResponses(...READ) },
      },
    },
    async (request) => {
      const call = v2Call(request);
      const found = await asset(call, call.ctx, request.params.id);
      kind.check?.(call, found);
      return { results: (await kind.list(call.ctx, found.id)).map(kind.json), next: null };
    },
  );

  v2.post<{ Params: IdOnly; Body: Record<string, number> }>(
    `/assets/:id/${kind.plural}`,
    {
      schema: {
        tags,
        operationId: `linkAsset${One}`,
        summary: `Link a ${kind.singular} of the same client to an asset`,
        description: `Answers 201 with the ${kind.singular} when linked, 200 when it already was.${note}${kind.singular === 'login' ? ' A login belongs to one asset at most: linking it here moves it.' : ''}`,
        params: AssetParams,
        body: Body,
        response: { 200: kind.Ref, 201: kind.Ref, ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const found = await asset(call, call.ctx, request.params.id);
      const id = request.body[field]!;
      const linked = await referenced(field, kind.singular, id, () => kind.link(call.ctx, found.id, id));
      const row = (await kind.list(call.ctx, found.id)).map(kind.json).find((r) => r.id === id);
      return reply.code(linked ? 201 : 200).send(row);
    },
  );

  v2.delete<{ Params: Record<string, string> & IdOnly }>(
    `/assets/:id/${kind.plural}/:${field}`,
    {
      schema: {
        tags,
        operationId: `unlinkAsset${One}`,
        summary: `Unlink a ${kind.singular} from an asset (the ${kind.singular} stays)`,
        params: Type.Object({ id: Digits('The asset id.'), [field]: Digits(`The ${kind.singular} id.`) }),
        response: { 204: Type.Null(), ...problemResponses(...WRITE) },
      },
    },
    async (request, reply) => {
      const call = v2Call(request);
      const found = await asset(call, call.ctx, request.params.id);
      const id = idOf(request.params[field]!, field);
      if (!(await kind.unlink(call.ctx, found.id, id))) throw new NotFoundError(`asset ${found.id}'s link to ${kind.singular}`, id);
      return reply.code(204).send();
    },
  );
}
