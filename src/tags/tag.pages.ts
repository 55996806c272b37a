// The stylesheet behind the tag chips' colours. The Content-Security-Policy allows no inline styles,
// so an administrator's free #rrggbb colour reaches a chip as a class defined here (see tag-chip.tsx).
// It names colours only, no tags; it is read fresh with every page, like the pages themselves.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { signedInRequest } from '../web/web.tsx';
import { tagColorsCss } from './tag-chip.tsx';
import { tagColors } from './tag.service.ts';

export const TAG_COLORS_PATH = '/tags/colors.css';

export function registerTagPages(app: FastifyInstance, store: Store): void {
  app.get(TAG_COLORS_PATH, async (request, reply) => {
    const { ctx } = signedInRequest(store, request);
    return reply.type('text/css; charset=utf-8').send(tagColorsCss(await tagColors(ctx)));
  });
}
