// How any failure becomes an answer, for every surface alike: the status, a message fit to show the
// caller, and whether it is worth logging. Driver and programming errors never show their message:
// the caller gets a generic one with the request id, and the log gets the error under that same id.
import type { FastifyRequest } from 'fastify';
import { asDatabaseUnavailable } from '../db/db-errors.ts';
import { ConflictError, ForbiddenError, MalformedRequestError, NotFoundError, ValidationError } from '../errors.ts';

export interface ErrorAnswer {
  status: number;
  /** Safe to show: the domain error's own words, or a generic sentence with the request id. */
  message: string;
  /** Seconds to wait before trying again (503). */
  retryAfter?: number;
  /** The error, for surfaces that show more of it (field issues). */
  error: unknown;
}

export function answerFor(error: unknown, request: FastifyRequest): ErrorAnswer {
  if (error instanceof MalformedRequestError) return { status: 400, message: error.message, error };
  if (error instanceof ValidationError) return { status: 422, message: error.message, error };
  if (error instanceof NotFoundError) return { status: 404, message: error.message, error };
  if (error instanceof ForbiddenError) return { status: 403, message: error.message, error };
  if (error instanceof ConflictError) return { status: 409, message: error.message, error };
  const unavailable = asDatabaseUnavailable(error);
  if (unavailable) {
    request.log.warn({ err: error }, `answered 503: ${unavailable.message}`);
    return {
      status: 503,
      message: `The database is not available right now (${unavailable.message}); nothing was changed. Try again in a few seconds (request ${request.id}).`,
      retryAfter: unavailable.retryAfterSeconds,
      error,
    };
  }
  // Fastify's own refusals of a malformed request (bad JSON, too large, wrong content type) are the
  // caller's to fix and say so in plain words.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, message: (error as Error).message, error };
  }
  request.log.error({ err: error }, 'unexpected error');
  return {
    status: 500,
    message: `Something went wrong on the server; nothing was half-saved. If it keeps happening, give your administrator the request id ${request.id}.`,
    error,
  };
}
