// Optimistic concurrency (docs/api-v2.md): every single-record answer has an ETag; If-Match on a write
// answers 412 when the record changed meanwhile; If-None-Match on a read answers 304.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../platform/errors.ts';

/** The record is no longer the version the caller names in If-Match: HTTP 412, nothing written. */
export class PreconditionFailedError extends DomainError {
  constructor(
    message: string,
    readonly currentEtag: string,
  ) {
    super('precondition_failed', message);
  }
}

/** The ETag of a record with a version counter (assets). */
export function versionEtag(version: number): string {
  return `"${version}"`;
}

/** The ETag of a record without one: a digest of what the API shows of it. */
export function digestEtag(json: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(json)).digest('base64url').slice(0, 22)}"`;
}

function etagsIn(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .filter(Boolean);
}

/** The version an If-Match names, for services that check it themselves (assets: `expectedVersion`). */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (!header || header === '*') return undefined;
  const tags = etagsIn(header);
  const m = tags.length === 1 ? /^"([0-9]{1,10})"$/.exec(tags[0]!) : null;
  return m ? Number(m[1]) : -1;
}

/** Throws 412 unless the request's If-Match (if any) names the current ETag. */
export function checkIfMatch(request: FastifyRequest, current: string): void {
  const header = request.headers['if-match'];
  if (!header || header.trim() === '*') return;
  if (etagsIn(header).includes(current)) return;
  throw new PreconditionFailedError(`The record changed since the version named in If-Match (now ${current}); read it again and retry.`, current);
}

/** Sends a record with its ETag; a GET whose If-None-Match names it gets 304 with no body. */
export function sendRecord(request: FastifyRequest, reply: FastifyReply, record: unknown, etag: string, status = 200): FastifyReply {
  reply.header('etag', etag);
  const none = request.headers['if-none-match'];
  if ((request.method === 'GET' || request.method === 'HEAD') && none && (none.trim() === '*' || etagsIn(none).includes(etag))) return reply.code(304).send();
  return reply.code(status).send(record);
}
