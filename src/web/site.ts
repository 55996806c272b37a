// Where users reach Steward, which may not be where it listens: behind a TLS proxy, at a base path
// (STEWARD_PUBLIC_URL=https://example.com/steward). Every link a page holds, every redirect and every
// cookie then carries that base path; cookies are Secure when the public address is https. Requests
// arrive with the base path or without it (a proxy may strip it): both are served.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { ConfigError, type Config } from '../platform/config.ts';

export interface Site {
  /** '' at the root, else '/steward' (no trailing slash). */
  basePath: string;
  https: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    site: Site;
  }
}

export function siteOf(config: Pick<Config, 'publicUrl'>): Site {
  const url = config.publicUrl;
  return { basePath: url && url.pathname !== '/' ? url.pathname : '', https: url?.protocol === 'https:' };
}

/** For Fastify's rewriteUrl: the path without the base path, as the routes know it. */
export function stripBasePath(site: Site, url: string): string {
  const base = site.basePath;
  if (!base) return url;
  if (url === base) return '/';
  if (url.startsWith(`${base}/`)) return url.slice(base.length);
  if (url.startsWith(`${base}?`)) return `/${url.slice(base.length)}`;
  return url;
}

/** A root-relative path as the browser must ask for it. */
export function sitePath(site: Site, path: string): string {
  return site.basePath && path.startsWith('/') && !path.startsWith('//') ? site.basePath + path : path;
}

// Attributes that hold a URL. Rendered HTML escapes quotes in every value and text, so ` href="/` can
// only be the start of a real attribute.
const URL_ATTRIBUTES = /(\s(?:href|src|action|formaction|hx-get|hx-post|hx-put|hx-patch|hx-delete|data-url)=")\/(?!\/)/g;

/** Rendered HTML with the base path put before every root-relative link. */
export function withBasePath(site: Site, html: string): string {
  return site.basePath ? html.replace(URL_ATTRIBUTES, `$1${site.basePath}/`) : html;
}

/** Options for a cookie of this site: its path, and Secure when users reach it over https. */
export function cookieOptions(reply: FastifyReply, options: CookieSerializeOptions = {}): CookieSerializeOptions {
  const site = reply.server.site;
  return { ...options, path: site.basePath || '/', ...(site.https ? { secure: true } : {}) };
}

/** Redirects (and htmx's own redirect header) to root-relative paths gain the base path. */
export function registerSite(app: FastifyInstance, site: Site): void {
  app.decorate('site', site);
  if (!site.basePath) return;
  // A base path that is also the start of one of Steward's own paths (/assets) would be stripped from
  // those paths too; it is refused when the server starts.
  const first = site.basePath.split('/')[1];
  let clash: string | null = null;
  app.addHook('onRoute', (route) => {
    if (route.url.split('/')[1] === first) clash ??= route.url;
  });
  app.addHook('onReady', async () => {
    if (clash)
      throw new ConfigError(`STEWARD_PUBLIC_URL: the base path ${site.basePath} is also a path of Steward's own (${clash}); choose another, such as /steward`);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const header of ['location', 'hx-redirect']) {
      const value = reply.getHeader(header);
      if (typeof value === 'string') reply.header(header, sitePath(site, value));
    }
    return payload;
  });
}
