// /api/v2/networks: a client's networks (CIDR, VLAN, gateway, DHCP range, DNS, site). Reads through
// v2.records.query.ts, writes through the networks service (its rules and authorization).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { archiveNetwork, createNetwork, deleteNetwork, restoreNetwork, updateNetwork } from '../networks/network.service.ts';
import type { ListFields } from './v2.list.ts';
import type { RecordReads, RecordRow } from './v2.records.query.ts';
import { Id, Nullable, recordSchema } from './v2.resource.ts';
import { registerClientRecordResource } from './v2.client-records.ts';

const TEXT = ['cidr', 'gateway', 'dhcp_range', 'primary_dns', 'secondary_dns', 'description', 'notes'] as const;
const LONG = new Set(['description', 'notes']);

const fields: ListFields = {
  id: { column: 'networks.id', type: 'integer' },
  client_id: { column: 'networks.client_id', type: 'integer' },
  name: { column: 'networks.name', type: 'text' },
  ...Object.fromEntries(TEXT.map((c) => [c, { column: `networks.${c}`, type: 'text', nullable: true, sort: !LONG.has(c) }])),
  vlan: { column: 'networks.vlan', type: 'integer', nullable: true, description: 'VLAN id' },
  location_id: { column: 'networks.location_id', type: 'integer', nullable: true },
  created_at: { column: 'networks.created_at', type: 'time' },
  updated_at: { column: 'networks.updated_at', type: 'time', nullable: true },
};

const reads: RecordReads = { table: 'networks', entity: 'network', module: 'support', fields, searched: ['name', 'cidr', 'gateway', 'description'] };

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...Object.fromEntries(TEXT.map((c) => [c, Type.Optional(Nullable(Type.String({ maxLength: LONG.has(c) ? 65_535 : 200 })))])),
  vlan: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 4094, description: 'VLAN id, 1–4094.' }))),
  location_id: Type.Optional(Nullable(Id)),
};

const Network = recordSchema(
  'Network',
  {
    client_id: Id,
    name: Type.String(),
    ...Object.fromEntries(TEXT.map((c) => [c, Nullable(Type.String())])),
    vlan: Nullable(Type.Integer()),
    location_id: Nullable(Id),
  },
  { archives: true },
);

function toJson(row: RecordRow) {
  return {
    id: row.id,
    url: `/api/v2/networks/${row.id}`,
    display: row.name as string,
    client_id: row.client_id,
    name: row.name,
    ...Object.fromEntries(TEXT.map((c) => [c, row[c] ?? null])),
    vlan: row.vlan ?? null,
    location_id: row.location_id ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
    archived_at: row.archived_at ?? null,
  };
}

export function registerV2Networks(v2: FastifyInstance): void {
  registerClientRecordResource(v2, {
    path: '/networks',
    tag: 'Networks',
    singular: 'Network',
    plural: 'Networks',
    record: Network,
    reads,
    writable,
    toJson: async (_call, rows) => rows.map(toJson),
    service: { create: createNetwork, update: updateNetwork, archive: archiveNetwork, restore: restoreNetwork, remove: deleteNetwork },
  });
}
