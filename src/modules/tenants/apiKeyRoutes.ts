// A tenant's API keys. The key is shown once, when created; afterwards only its prefix.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { isUuid, principalOf } from './adminAuth.js';
import { forbidden, notFound } from './adminErrors.js';
import {
  apiKeyList,
  noContent,
  apiKeyParams,
  createdApiKey,
  errorResponses,
  newApiKeyBody,
  tenantParams,
} from './adminSchemas.js';
import { generateApiKey } from './apiKeyFormat.js';
import { MINTED_BY_KEY, actorOf } from './principal.js';

const tags = ['api keys'];

export const apiKeyRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog, apiKeys }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/api-keys',
    {
      schema: {
        tags,
        summary: "List the tenant's keys, revoked ones included",
        params: tenantParams,
        response: { 200: apiKeyList, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      if (!(await catalog.forTenant(tenantId).get())) throw notFound(`Tenant ${tenantId}`);
      return { data: await apiKeys.forTenant(tenantId).list() };
    },
  );

  routes.post(
    '/tenants/:tenantId/api-keys',
    {
      schema: {
        tags,
        summary: 'Create a key (shown once in the answer); one made with a tenant key is revoked with that key',
        params: tenantParams,
        body: newApiKeyBody,
        response: { 201: createdApiKey, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const generated = generateApiKey();
      const view = await apiKeys
        .forTenant(tenantId)
        .create(
          { name: request.body.name, prefix: generated.prefix, keyHash: generated.hash },
          actorOf(principalOf(request)),
        );
      if (!view) throw notFound(`Tenant ${tenantId}`);
      return reply.status(201).send({ ...view, key: generated.key });
    },
  );

  routes.delete(
    '/tenants/:tenantId/api-keys/:keyId',
    {
      schema: {
        tags,
        summary:
          'Revoke a key and the keys minted with it: they stop working at once (a tenant key cannot revoke keys the administrator made)',
        params: apiKeyParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { tenantId, keyId } = request.params;
      const principal = principalOf(request);
      const store = apiKeys.forTenant(tenantId);
      const key = isUuid(keyId) ? await store.get(keyId) : null;
      if (!key) throw notFound(`API key ${keyId}`);
      // The administrator's keys are the administrator's to end, or a leaked tenant key could lock out the owner.
      if (principal.kind !== 'admin' && !key.created_by.startsWith(MINTED_BY_KEY)) {
        throw forbidden('only the administrator may revoke a key the administrator made');
      }
      const revoked = await store.revoke(keyId, actorOf(principal));
      if (!revoked) throw notFound(`API key ${keyId}`);
      return reply.status(204).send(null);
    },
  );
};
