// Talks to the app over a real socket, as scripts do: the app listens on a free port and requests go
// through node:http (which, unlike fetch, can send a body with a GET, as ITFlow scripts do).
import type { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Contract, type OpenApiDocument } from './contract.ts';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

export interface HttpRequest {
  method?: string;
  url: string;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string or bytes as they are. */
  payload?: unknown;
  headers?: Record<string, string>;
}

export type Requester = (req: HttpRequest) => Promise<HttpResponse>;

/** Starts the app on 127.0.0.1 and a free port; the app's own close() stops it. */
export async function listen(app: FastifyInstance): Promise<Requester> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return requesterFor(app);
}

/** Another requester for an app that already listens. */
export function requesterFor(app: FastifyInstance): Requester {
  const { port } = app.server.address() as { port: number };
  return requesterAt(port);
}

/**
 * A requester for whatever listens on 127.0.0.1 at this port (a server in another process). Every
 * answer to an /api/v2 request is held to the OpenAPI document the server serves (contract.ts): an
 * answer the document does not describe fails the request, naming the operation, status and mismatch.
 */
export function requesterAt(port: number, options: { contract?: boolean } = {}): Requester {
  if (options.contract === false) return (req) => send(port, req);
  let contract: Promise<Contract> | null = null;
  const documentOf = async () => {
    const answer = await send(port, { url: '/api/v2/openapi.json' });
    if (answer.statusCode !== 200) throw new Error(`The contract check could not read /api/v2/openapi.json: ${answer.statusCode} ${answer.body.slice(0, 200)}`);
    return new Contract(answer.json() as OpenApiDocument);
  };
  return async (req) => {
    const answer = await send(port, req);
    const path = req.url.split('?')[0]!;
    if (path.startsWith('/api/v2/')) {
      contract ??= documentOf();
      const url = req.query ? `${req.url}?${new URLSearchParams(req.query).toString()}` : req.url;
      const type = answer.headers['content-type'];
      (await contract).check({
        method: req.method ?? 'GET',
        url,
        status: answer.statusCode,
        contentType: Array.isArray(type) ? type[0] : type,
        body: answer.body,
      });
    }
    return answer;
  };
}

/**
 * A requester for an https server on 127.0.0.1 (a TLS proxy with a test certificate), whose paths all
 * start with `prefix`, sending `headers` with every request.
 */
export function httpsRequesterAt(port: number, prefix = '', headers: Record<string, string> = {}): Requester {
  return (req) => send(port, { ...req, url: prefix + req.url, headers: { ...headers, ...req.headers } }, true);
}

function send(port: number, req: HttpRequest, tls = false): Promise<HttpResponse> {
  const path = req.query ? `${req.url}?${new URLSearchParams(req.query).toString()}` : req.url;
  const headers: Record<string, string> = { ...req.headers };
  let body: string | Buffer | undefined;
  if (req.payload !== undefined) {
    body = typeof req.payload === 'string' || Buffer.isBuffer(req.payload) ? req.payload : JSON.stringify(req.payload);
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, method: req.method ?? 'GET', path, headers, rejectUnauthorized: false };
    const r = (tls ? httpsRequest : httpRequest)(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}
