// buildApp: the HTTP server. Platform routes first, then one line per feature as features arrive.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import formBody from '@fastify/formbody';
import { registerV1Assets } from './api-v1/v1.assets.ts';
import { registerV1Records } from './api-v1/v1.records.ts';
import { sendV1Error } from './api-v1/v1.endpoint.ts';
import { answerFor } from './platform/http/error-policy.ts';
import { registerApiV2 } from './api-v2/v2.plugin.ts';
import type { Config } from './platform/config.ts';
import { migrationLevel } from './platform/db/migrate.ts';
import type { Store } from './platform/db/store.ts';
import { VERSION } from './version.ts';
import { registerWeb } from './web/web.tsx';
import { registerAuthRoutes } from './auth/auth.routes.tsx';
import { registerTwoFactorRoutes } from './auth/two-factor.routes.tsx';
import { loadSecretBox, type SecretBox } from './platform/secrets.ts';
import { registerAssetPages } from './assets/asset.pages.tsx';
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
import { registerLoginPages } from './logins/login.pages.tsx';
import { registerServicePages } from './services/service.pages.ts';
import { registerTicketPages } from './tickets/ticket.pages.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  /** Encrypts stored secrets; by default the instance key (STEWARD_SECRET_KEY or the data dir's file). */
  secretBox?: SecretBox;
}

export async function buildApp({ config, store, secretBox }: AppDeps): Promise<FastifyInstance> {
  let box = secretBox ?? null;
  const secrets = () => (box ??= loadSecretBox(config));
  const app = Fastify({
    // Unknown fields in a body are an error to report, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    // One line per request only when debugging; health checks would otherwise flood the log.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });

  await app.register(formBody);
  await registerWeb(app, store);
  await app.register(async (v1) => {
    // Malformed requests that never reach an endpoint (a body that is not JSON) still get ITFlow's envelope.
    v1.setErrorHandler((error, request, reply) => sendV1Error(reply, answerFor(error, request)));
    registerV1Assets(v1, store);
    registerV1Records(v1, store);
  });
  await registerApiV2(app, store);

  app.get('/healthz', async (_request, reply) => {
    const migration = await migrationLevel(store);
    const ok = migration.pending === 0;
    reply.code(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'migrations pending', version: VERSION, database: store.dialect, migration };
  });

  registerAuthRoutes(app, store);
  registerTwoFactorRoutes(app, store, secrets);
  registerAssetPages(app, store);
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
  registerAdminPages(app, store);
  registerAdminSettingsPages(app, store);
  registerLoginPages(app, store, secrets);
  registerServicePages(app, store);
  registerTicketPages(app, store);

  return app;
}
