// /api/v2/services: a client's services (what the client relies on), with the assets linked to each
// (`asset_ids`, read-only: links are made from the asset). Reads through v2.records.query.ts, writes
// through the services service (its rules and authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveService, createService, deleteService, restoreService, SERVICE_IMPORTANCE, updateService } from '../services/service.service.ts';
import { linkedAssetIds } from './v2.links.query.ts';
import type { ListFields } from './v2.list.ts';
import type { RecordReads, RecordRow } from './v2.records.query.ts';
import { Id, Nullable, recordSchema } from './v2.resource.ts';
import { registerClientRecordResource } from './v2.client-records.ts';

const TEXT = ['description', 'category', 'backup', 'notes'] as const;
const MAX = { description: 200, category: 50, backup: 200, notes: 65_535 } as const;
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

const fields: ListFields = {
  id: { column: 'services.id', type: 'integer' },
  client_id: { column: 'services.client_id', type: 'integer' },
  name: { column: 'services.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `services.${c}`, type: 'text', nullable: true, sort: c !== 'notes' }])),
  importance: { column: 'services.importance', type: 'text', nullable: true, description: `importance (${SERVICE_IMPORTANCE.join(', ')})` },
  review_due: { column: 'services.review_due', type: 'date', nullable: true },
  created_at: { column: 'services.created_at', type: 'time' },
  updated_at: { column: 'services.updated_at', type: 'time', nullable: true },
};

const reads: RecordReads = { table: 'services', entity: 'service', module: 'support', fields, searched: ['name', 'description', 'category'] };

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(TEXT.map((c) => [c, Type.Optional(Nullable(Type.String({ maxLength: MAX[c] })))])),
  importance: Type.Optional(Nullable(Type.String({ maxLength: 20, description: `One of ${SERVICE_IMPORTANCE.join(', ')}.` }))),
  review_due: Type.Optional(Nullable(Type.String({ pattern: DATE, description: 'YYYY-MM-DD' }))),
};

const Service = recordSchema(
  'Service',
  {
    client_id: Id,
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
    importance: Nullable(Type.String()),
    review_due: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
    asset_ids: Type.Array(Id, { description: 'The assets linked to the service (read-only; link them from the asset).' }),
  },
  { archives: true },
);

function toJson(row: RecordRow, assetIds: number[]) {
  return {
    id: row.id,
    url: `/api/v2/services/${row.id}`,
    display: row.name as string,
    client_id: row.client_id,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    importance: row.importance ?? null,
    review_due: row.review_due ?? null,
    asset_ids: assetIds,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Services(v2: FastifyInstance): void {
  registerClientRecordResource(v2, {
    path: '/services',
    tag: 'Services',
    singular: 'Service',
    plural: 'Services',
    record: Service,
    reads,
    writable,
    toJson: async (call, rows) => {
      const links = await linkedAssetIds(
        call.ctx,
        'service',
        rows.map((r) => r.id),
      );
      return rows.map((r) => toJson(r, links.get(r.id) ?? []));
    },
    service: { create: createService, update: updateService, archive: archiveService, restore: restoreService, remove: deleteService },
  });
}
