// A tenant's secrets are write-only: reading shows whether each is set and its last four characters.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import { credentialsBody, credentialsView, errorResponses, tenantParams } from './adminSchemas.js';
import { actorOf } from './principal.js';
import { ADMIN_CREDENTIALS, assertServerPaidModelsAllowed, refuseAdminFields } from './tenantKeyRules.js';

const tags = ['credentials'];

export const credentialRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog, serverAllowedModels }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/credentials',
    {
      schema: {
        tags,
        summary: 'Which credentials are set (masked)',
        params: tenantParams,
        response: { 200: credentialsView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const tenant = await catalog.forTenant(tenantId).get();
      if (!tenant) throw notFound(`Tenant ${tenantId}`);
      return tenant.credentials;
    },
  );

  routes.put(
    '/tenants/:tenantId/credentials',
    {
      schema: {
        tags,
        summary: 'Set (string) or clear (null) credentials; absent ones stay as they are',
        params: tenantParams,
        body: credentialsBody,
        response: { 200: credentialsView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const principal = principalOf(request);
      refuseAdminFields(principal, request.body, ADMIN_CREDENTIALS);
      const store = catalog.forTenant(tenantId);
      if (principal.kind !== 'admin') {
        // Clearing its own key must not leave a model the server's keys do not pay for.
        const current = (await store.get()) ?? missing(tenantId);
        assertServerPaidModelsAllowed(principal, current, { credentials: request.body }, serverAllowedModels);
      }
      const view = await store.updateCredentials(request.body, actorOf(principal));
      if (!view) throw notFound(`Tenant ${tenantId}`);
      return view;
    },
  );
};

function missing(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}
