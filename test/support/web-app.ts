// The whole app on a real socket for a test file's web tests, on the file's test database, with a
// signed-in browser-like client for any user: what every page test starts from.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { SecretBox } from '../../src/platform/secrets.ts';
import type { TestDb } from './databases.ts';
import { listen, type Requester } from './http.ts';
import { WebClient } from './web-client.ts';

export interface WebApp {
  http: Requester;
  /** A client signed in as this user (the password defaults to the one the tests use). */
  signIn(email: string, password?: string): Promise<WebClient>;
}

export function useWebApp(t: TestDb, options: { config?: Partial<Config>; secretBox?: SecretBox; extend?: (app: FastifyInstance) => void } = {}): WebApp {
  let app: FastifyInstance;
  const web: WebApp = {
    http: () => Promise.reject(new Error('the app is not listening yet')),
    async signIn(email, password = 'correct horse') {
      const client = new WebClient(web.http);
      await client.get('/sign-in');
      await client.post('/sign-in', { email, password });
      return client;
    },
  };
  beforeAll(async () => {
    app = await buildApp({
      config: { ...loadConfig({}), logLevel: 'silent', ...options.config },
      store: t.store,
      ...(options.secretBox ? { secretBox: options.secretBox } : {}),
    });
    options.extend?.(app);
    web.http = await listen(app);
  });
  afterAll(async () => app.close());
  return web;
}
