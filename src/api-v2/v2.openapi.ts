// The OpenAPI 3.1 description of /api/v2, served at /api/v2/openapi.json, built from the same
// schemas the routes validate with.
import { HistoryPage, HistoryQuery, Problem, TransferBody, TransferPreview, TransferResult } from './v2.schemas.ts';
import { VERSION } from '../version.ts';

const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: PROBLEM_TEXT[code], content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    ]),
  );

const PROBLEM_TEXT: Record<number, string> = {
  401: 'No API key, or one that is invalid, revoked or expired.',
  403: "The key's user lacks the permission (which is named).",
  404: "No such record, or it belongs to a client the key's user may not see.",
  409: 'Another change got there first (for example the asset was already transferred).',
  422: 'The request names something invalid; `errors` lists each field.',
  429: 'Too many failed keys from this address; see Retry-After.',
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Steward API v2',
    version: VERSION,
    description: "Steward's own API: real types, RFC 9457 problem details, bearer API keys with their user's permissions.",
  },
  servers: [{ url: '/api/v2' }],
  security: [{ apiKey: [] }],
  components: {
    securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `npx steward apikey create`.' } },
    schemas: { TransferBody, TransferPreview, TransferResult, HistoryPage, Problem },
  },
  paths: {
    '/assets/transfers': {
      post: {
        summary: 'Transfer assets to another client',
        description:
          'Each original is archived under its client and a copy with every field, interface, tag and note is made under the target client, in one transaction. With dry_run, answers the preview and changes nothing.',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/TransferBody' } } } },
        responses: {
          200: { description: 'The preview (dry_run).', content: { 'application/json': { schema: { $ref: '#/components/schemas/TransferPreview' } } } },
          201: { description: 'Transferred.', content: { 'application/json': { schema: { $ref: '#/components/schemas/TransferResult' } } } },
          ...problems(401, 403, 404, 409, 422, 429),
        },
      },
    },
    '/assets/{id}/history': {
      get: {
        summary: "An asset's history, newest first",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          ...Object.entries(HistoryQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
        ],
        responses: {
          200: { description: 'A page of events.', content: { 'application/json': { schema: { $ref: '#/components/schemas/HistoryPage' } } } },
          ...problems(401, 403, 404, 422, 429),
        },
      },
    },
  },
};
