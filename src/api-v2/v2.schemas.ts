// The v2 request and answer shapes, as TypeBox schemas: Fastify checks requests against them and
// the OpenAPI document embeds them as they are (OpenAPI 3.1 speaks JSON Schema).
import { Type, type Static } from '@sinclair/typebox';
import { MAX_ID } from '../platform/text.ts';

/** Record ids are PostgreSQL integers: 1 to 2³¹−1. */
const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
const Mapping = Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), Type.Union([Id, Type.Null()]), {
  description: "Source record id → the target client's record id, or null to clear the reference.",
});

export const TransferBody = Type.Object(
  {
    asset_ids: Type.Array(Id, { minItems: 1, maxItems: 5000, description: 'The assets to transfer, all of them or none.' }),
    to_client_id: Id,
    mappings: Type.Optional(
      Type.Object(
        {
          location: Type.Optional(Mapping),
          contact: Type.Optional(Mapping),
          vendor: Type.Optional(Mapping),
          network: Type.Optional(Mapping),
        },
        { additionalProperties: false, description: 'Unmapped references are matched by name in the target client, or cleared.' },
      ),
    ),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    dry_run: Type.Optional(Type.Boolean({ description: 'Answer with the preview and change nothing.' })),
  },
  { additionalProperties: false },
);
export type TransferBody = Static<typeof TransferBody>;

const Named = Type.Object({ id: Id, name: Type.String() });

export const TransferPreview = Type.Object({
  dry_run: Type.Literal(true),
  to_client: Named,
  assets: Type.Array(
    Type.Object({
      asset_id: Id,
      name: Type.String(),
      from_client: Named,
      copied: Type.Object({
        fields: Type.Array(Type.String()),
        interfaces: Type.Array(Type.String()),
        tags: Type.Array(Type.String()),
        notes: Type.Integer(),
        photo: Type.Boolean(),
      }),
      mappings: Type.Array(Type.Object({ kind: Type.String(), from: Named, to: Type.Union([Named, Type.Null()]), automatic: Type.Boolean() })),
      stays_behind: Type.Object({
        logins: Type.Array(Type.String()),
        services: Type.Array(Type.String()),
        tickets: Type.Array(Type.String()),
        connections: Type.Array(Type.String()),
      }),
    }),
  ),
});

export const TransferResult = Type.Object({
  correlation_id: Type.String(),
  transfers: Type.Array(Type.Object({ from_asset_id: Id, to_asset_id: Id, name: Type.String() })),
});

export const HistoryQuery = Type.Object({
  cursor: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'next_cursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  include_lineage: Type.Optional(Type.Boolean({ description: 'Also the events of the records this asset was transferred from.' })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryEvent = Type.Object({
  id: Id,
  asset_id: Id,
  client_id: Id,
  asset_name: Type.String(),
  action: Type.String(),
  actor: Type.Object({
    type: Type.String(),
    user_id: Type.Union([Type.Integer(), Type.Null()]),
    api_key_id: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String(),
  }),
  source: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  correlation_id: Type.Union([Type.String(), Type.Null()]),
  changes: Type.Array(Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() })),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});

export const HistoryPage = Type.Object({ events: Type.Array(HistoryEvent), next_cursor: Type.Union([Id, Type.Null()]) });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details; a 422 names each field at fault in `errors`.' },
);
