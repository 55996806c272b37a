// /api/v2/tags: the tags assets carry. Anyone with the assets module reads them; administrators
// create them, change their colour and description (a name stays, as the assets' history names tags
// as they were) and delete those no asset carries, through the tag service.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createTag, deleteTag, updateTag } from '../tags/tag.service.ts';
import { listTagRows, readTagRow, tagFields, type TagRow } from './v2.tags.query.ts';
import { Nullable, recordSchema, registerResource } from './v2.resource.ts';

const Colour = Nullable(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'A colour like #1e88e5.' }));
const Description = Nullable(Type.String({ maxLength: 255 }));

const Tag = recordSchema('Tag', {
  name: Type.String(),
  color: Nullable(Type.String()),
  description: Nullable(Type.String()),
  asset_count: Type.Integer({ minimum: 0, description: 'How many assets carry the tag.' }),
});

function toJson(row: TagRow) {
  return {
    id: row.id,
    url: `/api/v2/tags/${row.id}`,
    display: row.name,
    name: row.name,
    color: row.color ?? null,
    description: row.description ?? null,
    asset_count: Number(row.asset_count),
    created_at: row.created_at,
    updated_at: row.updated_at ?? null,
  };
}

export function registerV2Tags(v2: FastifyInstance): void {
  registerResource<TagRow>(v2, {
    path: '/tags',
    tag: 'Tags',
    singular: 'Tag',
    plural: 'Tags',
    record: Tag,
    fields: tagFields,
    defaultSort: 'name',
    list: listTagRows,
    read: readTagRow,
    toJson: async (_call, rows) => rows.map(toJson),
    create: {
      body: Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 200 }), color: Type.Optional(Colour), description: Type.Optional(Description) },
        { additionalProperties: false },
      ),
      run: async (ctx, input) => (await createTag(ctx, input as Parameters<typeof createTag>[1])).id,
    },
    update: {
      body: Type.Object({ color: Type.Optional(Colour), description: Type.Optional(Description) }, { additionalProperties: false }),
      run: (ctx, id, input) => updateTag(ctx, id, input),
    },
    remove: (ctx, id) => deleteTag(ctx, id),
  });
}
