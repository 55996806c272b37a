// Requests Fastify refuses before any route or hook sees them (a path with broken percent-encoding):
// under /api/v2 the refusal is a problem document like every other v2 error (docs/api-v2.md: 400,
// "broken encoding"); elsewhere the answer stays Fastify's own.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0]!;
  if (path === '/api/v2' || path.startsWith('/api/v2/')) {
    reply.code(400).type('application/problem+json').send({
      type: 'https://steward.invalid/problems/malformed-request',
      title: 'Malformed request',
      status: 400,
      detail: 'The path is not valid percent-encoded UTF-8.',
      instance: path,
    });
    return;
  }
  reply.code(400).send({ error: 'Bad Request', code: error.code, message: error.message, statusCode: 400 });
}
