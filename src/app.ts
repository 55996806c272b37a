// buildApp: the HTTP server. Platform routes first, then one line per feature as features arrive.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import formBody from '@fastify/formbody';
import { registerV1Assets } from './api-v1/v1.assets.ts';
import { registerV1Records } from './api-v1/v1.records.ts';
import { registerV1Credentials } from './api-v1/v1.credentials.ts';
import { registerV1Tickets } from './api-v1/v1.tickets.ts';
import { sendV1Error } from './api-v1/v1.endpoint.ts';
import { registerV1BodyParsers } from './api-v1/v1.body.ts';
import { answerFor } from './platform/http/error-policy.ts';
import { registerApiV2 } from './api-v2/v2.plugin.ts';
import { answerFrameworkError } from './api-v2/v2.framework-errors.ts';
import type { Config } from './platform/config.ts';
import type { Store } from './platform/db/store.ts';
import { createLogger } from './platform/logger.ts';
import { registerObservability } from './platform/http/observability.ts';
import { registerCompression } from './platform/http/compression.ts';
import { parseFormBody, parseQueryString, registerInputGuard } from './platform/http/input-guard.ts';
import { registerErrorPages, registerWeb } from './web/web.tsx';
import { administratorsOnly } from './web/guards.ts';
import { registerSite, siteOf, stripBasePath } from './web/site.ts';
import { registerAuthRoutes } from './auth/auth.routes.tsx';
import { registerTwoFactorRoutes } from './auth/two-factor.routes.tsx';
import { registerPasswordRoutes } from './auth/password.routes.tsx';
import { loadSecretBox, type SecretBox } from './platform/secrets.ts';
import { registerAssetPages } from './assets/asset.pages.tsx';
import { registerAssetHistoryPages, registerDeletedAssetPages } from './assets/asset-history.pages.tsx';
import { registerClientPages } from './clients/client.pages.tsx';
import { registerInterfacePages } from './assets/interface.pages.tsx';
import { registerAssetRelatedPages } from './assets/asset-related.pages.tsx';
import { registerTransferPages } from './transfers/transfer.pages.tsx';
import { registerImportPages } from './imports/import.pages.tsx';
import { registerLocationPages } from './locations/location.pages.ts';
import { registerContactPages } from './contacts/contact.pages.ts';
import { registerVendorPages } from './vendors/vendor.pages.ts';
import { registerNetworkPages } from './networks/network.pages.ts';
import { registerNotificationPages } from './notifications/notification.pages.tsx';
import { registerDashboardPages } from './dashboard/dashboard.pages.tsx';
import { registerAdminPages } from './accounts/admin.pages.tsx';
import { registerAdminSettingsPages } from './accounts/admin-settings.pages.tsx';
import { registerWebhookPages } from './webhooks/webhook.pages.tsx';
import { registerLoginPages } from './logins/login.pages.tsx';
import { registerServicePages } from './services/service.pages.ts';
import { registerTicketPages } from './tickets/ticket.pages.ts';
import { registerSearchPages } from './search/search.pages.tsx';
import { registerTagPages } from './tags/tag.pages.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  /** Encrypts stored secrets; by default the instance key (STEWARD_SECRET_KEY or the data dir's file). */
  secretBox?: SecretBox;
  /** The process's logger; by default one at the configured level, on stdout. */
  logger?: Logger;
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

export async function buildApp({ config, store, secretBox, logger }: AppDeps): Promise<FastifyInstance> {
  let box = secretBox ?? null;
  const secrets = () => (box ??= loadSecretBox(config));
  const site = siteOf(config);
  const app = Fastify({
    // Behind a proxy that keeps the base path (STEWARD_PUBLIC_URL=https://…/steward), routes still match.
    rewriteUrl: (raw) => stripBasePath(site, raw.url ?? '/'),
    routerOptions: { querystringParser: parseQueryString },
    // A path Fastify cannot decode: a problem document under /api/v2.
    frameworkErrors: answerFrameworkError,
    // A whole request (headers and body) must arrive in time; Node checks at least every 30 s.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 0,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.requestTimeoutMs / 4))),
    },
    // Unknown fields in a body are an error to report, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
    loggerInstance: (logger ?? createLogger(config.logLevel)) as FastifyBaseLogger,
    // Unique across processes and servers, so a user's "request id" finds its log line anywhere.
    genReqId: () => randomUUID(),
    // One line per request comes from registerObservability, without query strings (API keys).
    logController: new LogController({ disableRequestLogging: true }),
    // A hop count trusts that many proxies nearest to Steward, whatever their addresses.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });

  registerErrorPages(app);
  registerInputGuard(app);
  registerSite(app, site);
  registerObservability(app, store, config);
  await registerCompression(app);
  await app.register(formBody, { parser: parseFormBody });
  await registerWeb(app, store);
  await app.register(async (v1) => {
    // Malformed requests that never reach an endpoint (a body that is not JSON) still get ITFlow's envelope.
    v1.setErrorHandler((error, request, reply) => sendV1Error(reply, answerFor(error, request)));
    registerV1BodyParsers(v1);
    registerV1Assets(v1, store);
    registerV1Records(v1, store);
    registerV1Credentials(v1, store, secrets);
    registerV1Tickets(v1, store);
  });
  await registerApiV2(app, store, { corsOrigins: config.corsOrigins, rateLimitPerMinute: config.apiRateLimit, secretBox: secrets });

  registerAuthRoutes(app, store);
  registerTwoFactorRoutes(app, store, secrets);
  registerPasswordRoutes(app, store);
  registerAssetPages(app, store);
  registerAssetHistoryPages(app, store);
  registerClientPages(app, store);
  registerInterfacePages(app, store);
  registerAssetRelatedPages(app, store, secrets);
  registerTransferPages(app, store);
  await registerImportPages(app, store);
  registerLocationPages(app, store);
  registerContactPages(app, store);
  registerVendorPages(app, store);
  registerNetworkPages(app, store);
  registerNotificationPages(app, store);
  registerDashboardPages(app, store);
  await app.register(async (admin) => {
    administratorsOnly(admin);
    registerAdminPages(admin, store);
    registerAdminSettingsPages(admin, store);
    registerDeletedAssetPages(admin, store);
    registerWebhookPages(admin, store);
  });
  registerLoginPages(app, store, secrets);
  registerServicePages(app, store);
  registerTicketPages(app, store);
  registerSearchPages(app, store);
  registerTagPages(app, store);

  return app;
}
