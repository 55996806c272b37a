// The public address and the client's address: links and paths under a base path, and which proxies
// are believed about where a request came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { useTestDb } from '../../test/support/databases.ts';
import { buildApp } from '../app.ts';
import { loadConfig, parseTrustProxy } from '../platform/config.ts';
import { siteOf, stripBasePath, withBasePath } from './site.ts';

describe('a base path', () => {
  const site = siteOf({ publicUrl: new URL('https://example.com/steward') });

  it('is taken off incoming paths when present, and put before every root-relative link', () => {
    expect(site).toEqual({ basePath: '/steward', https: true });
    expect(stripBasePath(site, '/steward/assets?q=1')).toBe('/assets?q=1');
    expect(stripBasePath(site, '/steward')).toBe('/');
    expect(stripBasePath(site, '/steward?next=1')).toBe('/?next=1');
    expect(stripBasePath(site, '/assets')).toBe('/assets');
    expect(stripBasePath(site, '/stewardship')).toBe('/stewardship');
    const html =
      '<a href="/assets">x</a><form action="/sign-in"></form><button hx-post="/assets/1/star"></button><a href="https://x.test/">y</a><a href="//cdn">z</a><p>href=&quot;/text&quot;</p>';
    expect(withBasePath(site, html)).toBe(
      '<a href="/steward/assets">x</a><form action="/steward/sign-in"></form><button hx-post="/steward/assets/1/star"></button><a href="https://x.test/">y</a><a href="//cdn">z</a><p>href=&quot;/text&quot;</p>',
    );
    expect(withBasePath(siteOf({ publicUrl: null }), html)).toBe(html);
  });
});

describe('the client address behind proxies', () => {
  const t = useTestDb('sqlite');
  const apps: FastifyInstance[] = [];
  const appWith = async (trust: string) => {
    const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent', trustProxy: parseTrustProxy(trust) }, store: t.store });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  let failedFrom: (app: FastifyInstance, remoteAddress: string, forwarded: string) => Promise<string | null>;
  beforeAll(() => {
    failedFrom = async (app, remoteAddress, forwarded) => {
      await app.inject({ url: '/api/v1/assets/read.php?api_key=wrong-key-xxxxxxxxxxxxxxxx', remoteAddress, headers: { 'x-forwarded-for': forwarded } });
      const row = await t.store.db.selectFrom('audit_log').select('ip').where('action', '=', 'api_key.auth_failed').orderBy('id', 'desc').executeTakeFirst();
      return row?.ip ?? null;
    };
  });

  it('believes X-Forwarded-For only from the proxies named, and by default from nobody', async () => {
    expect(await failedFrom(await appWith(''), '10.0.0.5', '198.51.100.1')).toBe('10.0.0.5');
    const named = await appWith('10.0.0.0/8');
    expect(await failedFrom(named, '10.0.0.5', '198.51.100.2')).toBe('198.51.100.2');
    expect(await failedFrom(named, '192.0.2.7', '198.51.100.3')).toBe('192.0.2.7');
    expect(await failedFrom(await appWith('1'), '192.0.2.7', '203.0.113.9, 198.51.100.4')).toBe('198.51.100.4');
  });

  it('refuses settings that would believe anyone', () => {
    expect(() => parseTrustProxy('true')).toThrow(/would believe anyone/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/not an address or CIDR/);
    expect(parseTrustProxy('127.0.0.1, ::1')).toEqual(['127.0.0.1', '::1']);
  });
});
