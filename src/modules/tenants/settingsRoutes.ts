// A tenant's control settings (bot_control_settings): switches, rate limits, escalation contacts
// and metadata such as faq_threshold and fallback_message. PUT changes only the fields it names.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import { errorResponses, tenantParams } from './adminSchemas.js';
import { settingsBody, settingsView } from './contentSchemas.js';
import { actorOf } from './principal.js';
import { assertWithinPlatformLimits } from './tenantKeyRules.js';

const tags = ['settings'];

export const settingsRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { content, platformLimits }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/settings',
    {
      schema: {
        tags,
        summary: 'Read the settings (a tenant without any gets the defaults)',
        params: tenantParams,
        response: { 200: settingsView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      return (await content.settings(tenantId).get()) ?? missing(tenantId);
    },
  );

  routes.route({
    method: ['PUT', 'PATCH'],
    url: '/tenants/:tenantId/settings',
    schema: {
      tags,
      summary: 'Change the named settings (at least one); metadata is merged, a key set to null is removed',
      params: tenantParams,
      body: settingsBody,
      response: { 200: settingsView, ...errorResponses },
    },
    handler: async (request) => {
      const { tenantId } = request.params;
      const principal = principalOf(request);
      assertWithinPlatformLimits(principal, request.body, platformLimits);
      return (await content.settings(tenantId).update(request.body, actorOf(principal))) ?? missing(tenantId);
    },
  });
};

function missing(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}
