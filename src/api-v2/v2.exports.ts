// /api/v2/exports: the web's CSV exports over v2. GET /exports/assets.csv streams the assets matching
// the v2 asset list's filters (every field with its lookups, `q`, `mac`, `ip`, `cidr`, `tag`,
// `updated_since`; `archived` true or false) in the web export's columns and ITFlow's headings; GET /exports/interfaces.csv one
// asset's interfaces in ITFlow's layout. Both as attachments, within the key's clients and modules.
import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { EXPORT_COLUMNS } from '../csv/asset-export.ts';
import { MAX_ID } from '../platform/text.ts';
import { v2Call } from './v2.call.ts';
import { ASSET_LIST_FIELDS } from './v2.asset-records.query.ts';
import { assetExport, interfaceExport, type AssetExportQuery } from './v2.exports.query.ts';
import { listQuerySchema } from './v2.list.ts';
import { LOOKUPS } from './v2.validation.ts';
import { Problem } from './v2.schemas.ts';

const PAGING = ['limit', 'cursor', 'sort', 'fields', 'brief', 'include'];

function assetExportQuery() {
  const base = listQuerySchema(ASSET_LIST_FIELDS, { archives: true });
  const properties = Object.fromEntries(Object.entries(base.properties).filter(([k]) => !PAGING.includes(k)));
  return Type.Object(
    {
      ...properties,
      archived: Type.Optional(
        Type.Union([Type.Literal('false'), Type.Literal('true')], { description: 'false (default): active assets; true: archived ones.' }),
      ),
      mac: Type.Optional(Type.String({ maxLength: 40, description: 'A MAC address in any notation: assets with an interface that has it.' })),
      ip: Type.Optional(Type.String({ maxLength: 64, description: 'An IPv4 or IPv6 address (or DHCP): assets with an interface that has it.' })),
      cidr: Type.Optional(
        Type.String({ maxLength: 64, description: 'An IPv4 or IPv6 prefix (10.0.0.0/24, 2001:db8::/32): assets with an interface inside it.' }),
      ),
      tag: Type.Optional(Type.String({ maxLength: 2000, description: 'A tag name; several comma-separated for any of them.' })),
      columns: Type.Optional(
        Type.String({
          maxLength: 1000,
          description: `default (ITFlow's 14 export columns), all, or comma-separated keys: ${Object.keys(EXPORT_COLUMNS).join(', ')}.`,
        }),
      ),
      bom: Type.Optional(Type.Boolean({ description: 'Start the file with a UTF-8 byte order mark (for Excel).' })),
    },
    // The list's filter lookups (warranty_expire__lt …) as the list reads them.
    { additionalProperties: false, [LOOKUPS]: base[LOOKUPS] },
  );
}

const InterfaceExportQuery = Type.Object(
  { asset_id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'The asset whose interfaces to export.' }) },
  { additionalProperties: false },
);

const Csv = {
  description: 'The CSV file (RFC 4180, CRLF line ends), as an attachment.',
  content: { 'text/csv': { schema: Type.String({ description: 'CSV text: a heading row, then a row per record.' }) } },
};
const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...Problem, description: `Problem (${c})` }]));

function sendCsv(reply: FastifyReply, fileName: string, body: string | Readable): FastifyReply {
  reply.header('content-disposition', `attachment; filename="${fileName}"`);
  reply.header('cache-control', 'no-store');
  return reply.type('text/csv; charset=utf-8').send(body);
}

export function registerV2Exports(v2: FastifyInstance): void {
  const AssetExportQuery = assetExportQuery();
  v2.get<{ Querystring: Static<typeof AssetExportQuery> }>(
    '/exports/assets.csv',
    {
      schema: {
        tags: ['Exports'],
        operationId: 'exportAssetsCsv',
        summary: 'Export assets as CSV',
        description:
          "The assets matching the filters (those of the asset list: every field with its lookups, `q`, `tag`, `archived`, `updated_since`), sorted by name, as the web's export writes them: ITFlow's export headings and columns by default, any others with `columns`. Streamed; only the clients the key may see.",
        querystring: AssetExportQuery,
        produces: ['text/csv'],
        response: { 200: Csv, ...problems(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const { fileName, csv } = await assetExport(v2Call(request), request.query as AssetExportQuery);
      return sendCsv(reply, fileName, Readable.from(csv));
    },
  );

  v2.get<{ Querystring: Static<typeof InterfaceExportQuery> }>(
    '/exports/interfaces.csv',
    {
      schema: {
        tags: ['Exports'],
        operationId: 'exportInterfacesCsv',
        summary: "Export an asset's interfaces as CSV",
        description: "ITFlow's interface export of one asset: Name, Description, Type, MAC, IP, NAT IP, IPv6, Network; the primary interface first.",
        querystring: InterfaceExportQuery,
        produces: ['text/csv'],
        response: { 200: Csv, ...problems(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const { fileName, csv } = await interfaceExport(v2Call(request), request.query.asset_id);
      return sendCsv(reply, fileName, csv);
    },
  );
}
