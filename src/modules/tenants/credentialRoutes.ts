// A tenant's secrets are write-only: reading shows whether each is set and its last four characters.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApi.js';
import { principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import { credentialsBody, credentialsView, errorResponses, tenantParams } from './adminSchemas.js';
import { actorOf } from './principal.js';

const tags = ['credentials'];

export const credentialRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/tenants/:tenantId/credentials', {
    schema: { tags, summary: 'Which credentials are set (masked)', params: tenantParams, response: { 200: credentialsView, ...errorResponses } },
  }, async (request) => {
    const { tenantId } = request.params;
    const tenant = await catalog.forTenant(tenantId).get();
    if (!tenant) throw notFound(`Tenant ${tenantId}`);
    return tenant.credentials;
  });

  routes.put('/tenants/:tenantId/credentials', {
    schema: {
      tags, summary: 'Set (string) or clear (null) credentials; absent ones stay as they are',
      params: tenantParams, body: credentialsBody, response: { 200: credentialsView, ...errorResponses },
    },
  }, async (request) => {
    const { tenantId } = request.params;
    const view = await catalog.forTenant(tenantId).updateCredentials(request.body, actorOf(principalOf(request)));
    if (!view) throw notFound(`Tenant ${tenantId}`);
    return view;
  });
};
