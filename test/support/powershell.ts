// Requests as Windows PowerShell's Invoke-RestMethod sends them for ITFlow's own scripts: a JSON
// document written as a here-string (CRLF, `"name" : "value"`, every value a string) labelled
// application/x-www-form-urlencoded because the scripts pass no -ContentType, and PowerShell's agent.
import { request as httpRequest } from 'node:http';

export const POWERSHELL = 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031';
export const FORM = 'application/x-www-form-urlencoded';

/** A script's here-string body; `indent` is the here-string's own indent (the sync scripts indent theirs). */
export const psJson = (fields: Record<string, string>, indent = '') =>
  `${indent}{\r\n${Object.entries(fields)
    .map(([k, v]) => `${indent}    ${JSON.stringify(k)} : ${JSON.stringify(v)}`)
    .join(',\r\n')}\r\n${indent}}`;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Envelope {
  success: string;
  message?: string;
  count?: number | string;
  data?: Array<Record<string, string | number | null>>;
}

/** A POST exactly as given: the content type only when one is passed (none at all otherwise). */
export function post(port: number, path: string, body: string, contentType?: string): Promise<Answer> {
  return send(port, 'POST', path, body, contentType);
}

/** `Invoke-RestMethod -Method GET -Uri …`: no body, no content type. */
export function get(port: number, path: string): Promise<Answer> {
  return send(port, 'GET', path);
}

function send(port: number, method: string, path: string, body?: string, contentType?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'user-agent': POWERSHELL };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    if (contentType) headers['content-type'] = contentType;
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const envelope = (a: Answer) => JSON.parse(a.body) as Envelope;
