// The admin REST API: JSON under /api/v1, validated by zod, documented as OpenAPI at /docs.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { adminAuth } from './adminAuth.js';
import type { AdminApiOptions } from './adminApiOptions.js';
import { apiKeyRoutes } from './apiKeyRoutes.js';
import { auditRoutes } from './auditRoutes.js';
import { credentialRoutes } from './credentialRoutes.js';
import { customerCareRoutes } from './customerCareRoutes.js';
import { encryptionRoutes } from './encryptionRoutes.js';
import { tenantRoutes } from './tenantRoutes.js';
import { templateRoutes } from './templateRoutes.js';
import { trainingRoutes } from './trainingRoutes.js';
import { settingsRoutes } from './settingsRoutes.js';
import { messageLogRoutes } from './messageLogRoutes.js';
import { analyticsRoutes } from '../analytics/analyticsRoutes.js';
import { meRoutes } from './meRoutes.js';
import { teamRoutes } from '../team/teamRoutes.js';
import { authRoutes } from '../team/authRoutes.js';
import { inboxRoutes } from '../inbox/inboxRoutes.js';
import { eventRoutes } from '../inbox/eventRoutes.js';
import { paymentRoutes } from '../payments/paymentRoutes.js';

export const ADMIN_API_PREFIX = '/api/v1';
/** Admin bodies are small; the server-wide limit is sized for Meta's webhooks. A route may set its own. */
export const ADMIN_BODY_LIMIT = 64 * 1024;

// Every admin route plugin, mounted under /api/v1 behind adminAuth with AdminApiOptions.
// To add endpoints, write a plugin in its own file and add it here: one line.
export const ADMIN_ROUTE_PLUGINS: FastifyPluginAsync<AdminApiOptions>[] = [
  tenantRoutes,
  credentialRoutes,
  apiKeyRoutes,
  auditRoutes,
  encryptionRoutes,
  templateRoutes,
  trainingRoutes,
  settingsRoutes,
  messageLogRoutes,
  customerCareRoutes,
  analyticsRoutes,
  meRoutes,
  teamRoutes,
  authRoutes,
  inboxRoutes,
  eventRoutes,
  paymentRoutes,
];

// The OpenAPI UI adds one inline <style> (the fill colours of its SVG logo); the server-wide policy
// refuses inline styles, so /docs allows exactly that one by its hash. A new swagger-ui version with
// another style is caught by test/e2e/securityPolicy.test.ts, whose failure names the new hash.
const SWAGGER_LOGO_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";
const allowSwaggerLogoStyle = (policy: string) => `${policy}; style-src 'self' ${SWAGGER_LOGO_STYLE}`;

export const adminApi: FastifyPluginAsync<AdminApiOptions> = async (app, options) => {
  // Registered here, swagger sees only the admin routes (not /webhook) and /docs needs no token.
  await app.register(swagger, {
    openapi: {
      info: { title: 'Alphadome Bot admin API', version: '1.0.0' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN or a tenant API key' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: allowSwaggerLogoStyle });

  await app.register(
    async (api) => {
      api.setValidatorCompiler(validatorCompiler);
      api.setSerializerCompiler(serializerCompiler);
      api.addHook('onRoute', (route) => {
        route.bodyLimit ??= ADMIN_BODY_LIMIT;
      });
      await api.register(cookie);
      adminAuth(api, {
        adminToken: options.adminToken,
        apiKeys: options.apiKeys,
        ...options.authFailures,
        sessions: options.team.sessions,
      });
      for (const plugin of ADMIN_ROUTE_PLUGINS) await api.register(plugin, options);
    },
    { prefix: ADMIN_API_PREFIX },
  );
};
