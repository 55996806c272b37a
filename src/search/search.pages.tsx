// The top bar's search: GET /search?q=… answers with every kind of record that matches, grouped; when
// the only match is one asset, it goes straight to that asset (a pasted MAC or serial lands on it).
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { searchEverything } from './search.query.ts';
import { SearchPage } from './search.view.tsx';

export function registerSearchPages(app: FastifyInstance, store: Store): void {
  app.get('/search', async (request, reply) => {
    const { session, ctx } = signedInRequest(store, request);
    const q = (request.query as { q?: string }).q ?? '';
    const results = await searchEverything(ctx, session.principal, q);
    if (results.onlyAsset) return reply.redirect(results.onlyAsset);
    const shell = await loadShell(ctx, session, request, reply);
    return sendPage(reply, <SearchPage shell={shell} results={results} />);
  });
}
