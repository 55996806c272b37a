// Bodies as ITFlow reads them. ITFlow decodes the raw body as JSON whatever the content type, and
// ITFlow's own PowerShell examples rely on it: `Invoke-RestMethod -Body $json` without -ContentType
// sends JSON labelled application/x-www-form-urlencoded, and other tools send it as text/plain or with
// no content type at all. So in /api/v1 a body that parses as a JSON object is JSON; a real form body
// (api_key=…&client_name=…) is still read as a form; anything else is a 400 in ITFlow's envelope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MalformedRequestError } from '../platform/errors.ts';
import { parseFormBody } from '../platform/http/input-guard.ts';

const FORM = 'application/x-www-form-urlencoded';

export function registerV1BodyParsers(v1: FastifyInstance): void {
  const json = v1.getDefaultJsonParser('error', 'error');
  const parse = (request: FastifyRequest, text: string, done: (error: Error | null, body?: unknown) => void) => {
    const trimmed = text.trim();
    if (trimmed === '') return done(null, {});
    if (trimmed.startsWith('{')) {
      // The same parser as application/json: prototype keys are refused there and here alike.
      return json(request, trimmed, (error, body) => {
        if (!error) return done(null, body);
        if (isForm(request)) return done(null, parseFormBody(text));
        done(new MalformedRequestError('body', `is not valid JSON (${error.message})`));
      });
    }
    if (isForm(request)) return done(null, parseFormBody(text));
    done(new MalformedRequestError('body', 'is neither a JSON object nor a form; send the fields as JSON, as ITFlow expects'));
  };
  v1.removeContentTypeParser([FORM, 'text/plain']);
  v1.addContentTypeParser([FORM, 'text/plain'], { parseAs: 'string' }, parse);
  // No content type (or one no other parser takes): read as ITFlow would, never an empty 415.
  v1.addContentTypeParser('*', { parseAs: 'string' }, parse);
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
}
