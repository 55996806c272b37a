// The v2 resource of a client-owned record (locations, contacts, vendors, networks, services): read
// through v2.records.query.ts, written through the record's service. Each resource file declares only
// its fields, its JSON and its service.
import { Type, type TProperties } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { listRecords, readRecord, type RecordReads, type RecordRow } from './v2.records.query.ts';
import { Id, registerResource, type ResourceSpec } from './v2.resource.ts';

/** The record's service: create answers the new id; the others' answers are not needed. */
export interface RecordService {
  create(ctx: Ctx, input: never): Promise<{ id: number }>;
  update(ctx: Ctx, id: number, input: Record<string, unknown>): Promise<unknown>;
  archive(ctx: Ctx, id: number): Promise<unknown>;
  restore(ctx: Ctx, id: number): Promise<unknown>;
  remove(ctx: Ctx, id: number): Promise<unknown>;
}

export interface ClientRecordResource extends Pick<ResourceSpec<RecordRow>, 'path' | 'tag' | 'singular' | 'plural' | 'record' | 'toJson'> {
  reads: RecordReads;
  /** The body's fields besides client_id (which only a create takes). */
  writable: TProperties;
  service: RecordService;
  defaultSort?: string;
}

export function registerClientRecordResource(v2: FastifyInstance, spec: ClientRecordResource): void {
  const { reads, service } = spec;
  registerResource<RecordRow>(v2, {
    path: spec.path,
    tag: spec.tag,
    singular: spec.singular,
    plural: spec.plural,
    record: spec.record,
    fields: reads.fields,
    defaultSort: spec.defaultSort ?? 'name',
    archives: true,
    list: (request) => listRecords(reads, request),
    read: (call, ctx, id) => readRecord(reads, call, ctx, id),
    toJson: spec.toJson,
    create: {
      body: Type.Object({ client_id: Id, ...spec.writable }, { additionalProperties: false }),
      run: async (ctx, input) => (await service.create(ctx, input as never)).id,
    },
    update: {
      body: Type.Object(spec.writable, { additionalProperties: false }),
      run: async (ctx, id, input) => {
        await service.update(ctx, id, input);
      },
    },
    archive: async (ctx, id) => {
      await service.archive(ctx, id);
    },
    restore: async (ctx, id) => {
      await service.restore(ctx, id);
    },
    remove: async (ctx, id) => {
      await service.remove(ctx, id);
    },
  });
}
