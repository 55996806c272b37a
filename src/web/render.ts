// Pages are Preact components rendered to HTML on the server: every value is escaped unless a
// component deliberately says otherwise, and the templates are type-checked with the rest of the code.
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { withBasePath } from './site.ts';

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>${withBasePath(reply.server.site, renderToString(page))}`);
}

/** A fragment for htmx to swap into the page. */
export function sendFragment(reply: FastifyReply, fragment: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(withBasePath(reply.server.site, renderToString(fragment)));
}
