// One webhook request: a signed JSON POST with a 10 s limit, never following a redirect, through a
// connection whose DNS answer is checked (webhook-target.ts). Node's http client rather than fetch:
// fetch cannot be given the checking lookup without the undici package, and follows redirects, which
// would let a public target bounce the request inside.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, hostOf, isPublicAddress } from './webhook-target.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a request and of an answer the delivery log keeps. */
export const EXCERPT_CHARS = 2_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as X-Steward-Signature carries it. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  requestExcerpt: string;
  responseExcerpt: string | null;
}

export interface OutgoingDelivery {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs?: number;
}

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export async function sendDelivery(out: OutgoingDelivery, clock: () => number = Date.now): Promise<SendResult> {
  const started = clock();
  const requestExcerpt = excerpt(
    `POST ${out.url}\n${Object.entries(out.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n\n${out.body}`,
  );
  const done = (partial: Omit<SendResult, 'durationMs' | 'requestExcerpt'>): SendResult => ({
    ...partial,
    durationMs: Math.max(0, Math.round(clock() - started)),
    requestExcerpt,
  });
  let url: URL;
  try {
    url = new URL(out.url);
  } catch {
    return done({ ok: false, statusCode: null, error: 'the URL is not valid', responseExcerpt: null });
  }
  const host = hostOf(url);
  // A literal address skips DNS (and so the checking lookup): judge it here.
  if (!out.allowPrivate && isIP(host) && !isPublicAddress(host)) {
    return done({ ok: false, statusCode: null, error: `${host} is a non-public address; private targets are not allowed`, responseExcerpt: null });
  }
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!client) return done({ ok: false, statusCode: null, error: `${url.protocol} is not http or https`, responseExcerpt: null });
  const payload = Buffer.from(out.body);
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs' | 'requestExcerpt'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(result));
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...out.headers, 'content-length': String(payload.length) },
        lookup: guardedLookup(out.allowPrivate) as unknown as http.RequestOptions['lookup'],
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_CHARS * 2) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          finish({
            ok: status >= 200 && status < 300,
            statusCode: status,
            error: status >= 200 && status < 300 ? null : `answered ${status}`,
            responseExcerpt: excerpt(`${status} ${response.statusMessage ?? ''}\n\n${text}`),
          });
        });
        response.on('error', (error) => finish({ ok: false, statusCode: response.statusCode ?? null, error: error.message, responseExcerpt: null }));
      },
    );
    const timeoutMs = out.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    request.on('error', (error) => finish({ ok: false, statusCode: null, error: error.message.slice(0, 500), responseExcerpt: null }));
    request.end(payload);
  });
}
