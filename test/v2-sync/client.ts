// An integrator's client for Steward API v2, typed by the declarations openapi-typescript generates from
// /api/v2/openapi.json (steward-api-v2.d.ts beside this file, written by test/api-v2-sync.test.ts before
// it type-checks this file and uses it). Paths, path parameters, bodies and answers all come from the
// generated types: a path that does not exist, or a body with a wrong field, does not compile.
import type { paths } from './steward-api-v2';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type PathOf<O> = O extends { parameters: { path: infer A } } ? A : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : null;
type AnswerOf<O> = O extends { responses: infer R } ? { [S in keyof R]: JsonOf<R[S]> }[keyof R] : never;

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions<O> {
  path?: PathOf<O>;
  query?: Record<string, string>;
  body?: BodyOf<O>;
  headers?: Record<string, string>;
}

/** A call of one operation: `call('patch', '/assets/{id}', { path: { id: '7' }, body: { status: 'Retired' } })`. */
export function stewardV2(base: string, key: string) {
  return async function call<P extends keyof paths, M extends Method>(
    method: M,
    template: P,
    options: CallOptions<Operation<P, M>> = {},
  ): Promise<Answer<AnswerOf<Operation<P, M>>>> {
    const params = (options.path ?? {}) as Record<string, string>;
    const path = String(template).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    const search = options.query ? `?${new URLSearchParams(options.query)}` : '';
    const answer = await fetch(`${base}/api/v2${path}${search}`, {
      method: method.toUpperCase(),
      headers: {
        authorization: `Bearer ${key}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await answer.text();
    return { status: answer.status, headers: answer.headers, body: (text ? JSON.parse(text) : null) as AnswerOf<Operation<P, M>> };
  };
}

export type StewardCall = ReturnType<typeof stewardV2>;

// The sync's steps, as an integrator writes them against the generated types.

export async function registerWebhook(call: StewardCall, url: string): Promise<string> {
  const made = await call('post', '/webhooks', { body: { name: 'RMM', target_url: url, events: ['asset.*'] } });
  if (made.status !== 201) throw new Error(`webhook: ${made.status} ${JSON.stringify(made.body)}`);
  return (made.body as { secret: string }).secret;
}

export async function addClient(call: StewardCall, name: string): Promise<number> {
  const made = await call('post', '/clients', { body: { name } });
  if (made.status !== 201) throw new Error(`client: ${made.status} ${JSON.stringify(made.body)}`);
  return (made.body as { id: number }).id;
}

/** Creates (or, run again, finds) one asset per device, each under its own Idempotency-Key. */
export async function syncDevices(call: StewardCall, clientId: number, count: number) {
  const out: Array<{ id: number; status: number; replayed: boolean }> = [];
  for (let i = 1; i <= count; i++) {
    const created = await call('post', '/assets', {
      headers: { 'idempotency-key': `rmm-device-${i}` },
      body: { client_id: clientId, name: `WS-${String(i).padStart(3, '0')}`, serial: `SN-${i}`, type: 'Desktop' },
    });
    out.push({ id: (created.body as { id: number }).id, status: created.status, replayed: created.headers.get('idempotency-replayed') === 'true' });
  }
  return out;
}

export async function countAssets(call: StewardCall, clientId: number): Promise<number> {
  const page = await call('get', '/assets', { query: { client_id: String(clientId), limit: '1000', fields: 'id' } });
  return (page.body as { results: unknown[] }).results.length;
}

/** Reads an asset, changes it under If-Match, then tries again with the old ETag as a slower writer would. */
export async function updateAndLoseARace(call: StewardCall, id: number) {
  const path = { id: String(id) };
  const read = await call('get', '/assets/{id}', { path });
  const etag = read.headers.get('etag') ?? '';
  const updated = await call('patch', '/assets/{id}', { path, headers: { 'if-match': etag }, body: { status: 'Deployed' } });
  const late = await call('patch', '/assets/{id}', { path, headers: { 'if-match': etag }, body: { status: 'Spare' } });
  const now = await call('get', '/assets/{id}', { path });
  return {
    updated: updated.status,
    etagChanged: updated.headers.get('etag') !== etag,
    late: late.status,
    status: (now.body as { status: string | null }).status,
  };
}

export async function retire(call: StewardCall, ids: number[]): Promise<number[]> {
  const done = await call('patch', '/assets', { body: ids.map((id) => ({ id, status: 'Retired' })) });
  if (done.status !== 200) throw new Error(`bulk patch: ${done.status} ${JSON.stringify(done.body)}`);
  return (done.body as { results: Array<{ status: number }> }).results.map((r) => r.status);
}

export async function addAsset(call: StewardCall, clientId: number, name: string): Promise<number> {
  const made = await call('post', '/assets', { body: { client_id: clientId, name } });
  if (made.status !== 201) throw new Error(`asset: ${made.status} ${JSON.stringify(made.body)}`);
  return (made.body as { id: number }).id;
}
