// The interactive reference at /api/v2/docs: Swagger UI, served by Steward from the npm package's
// files (no CDN: Steward runs on closed networks), reading the generated document. No key is needed to
// read it; "Try it out" sends the key the reader types in. The page runs under Steward's own strict
// Content-Security-Policy (scripts, styles, fonts and connections from 'self' only, images also as
// data: URIs): Swagger UI's page carries no inline script or style, and styles it sets from script are
// allowed by style-src 'self'. The only change, for these routes alone, is that its spec validator
// badge (an image from validator.swagger.io) is turned off rather than allowed.
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export async function registerV2Docs(v2: FastifyInstance): Promise<void> {
  // The page links its files by absolute path: the v2 prefix, behind the base path a proxy may add.
  const basePath = (v2 as { site?: { basePath: string } }).site?.basePath ?? '';
  await v2.register(swaggerUi, {
    routePrefix: '/docs',
    indexPrefix: `${basePath}/api/v2`,
    // No badge fetched from validator.swagger.io.
    validatorUrl: false,
    uiConfig: {
      // Without the top bar: its logo carries an inline <style> the CSP refuses, and its "explore" box
      // would load documents from elsewhere.
      layout: 'BaseLayout',
      deepLinking: true,
      docExpansion: 'list',
      defaultModelsExpandDepth: 0,
      displayOperationId: true,
      persistAuthorization: false,
      tryItOutEnabled: false,
    },
    theme: { title: 'Steward API v2 reference' },
  });
}
