// A tenant's API keys. The key is shown once, when created; afterwards only its prefix.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApi.js';
import { isUuid, principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import { apiKeyList, noContent, apiKeyParams, createdApiKey, errorResponses, newApiKeyBody, tenantParams } from './adminSchemas.js';
import { generateApiKey } from './apiKeyFormat.js';
import { actorOf } from './principal.js';

const tags = ['api keys'];

export const apiKeyRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog, apiKeys }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/tenants/:tenantId/api-keys', {
    schema: { tags, summary: 'List the tenant\'s keys, revoked ones included', params: tenantParams, response: { 200: apiKeyList, ...errorResponses } },
  }, async (request) => {
    const { tenantId } = request.params;
    if (!(await catalog.forTenant(tenantId).get())) throw notFound(`Tenant ${tenantId}`);
    return { data: await apiKeys.forTenant(tenantId).list() };
  });

  routes.post('/tenants/:tenantId/api-keys', {
    schema: { tags, summary: 'Create a key (shown once in the answer)', params: tenantParams, body: newApiKeyBody, response: { 201: createdApiKey, ...errorResponses } },
  }, async (request, reply) => {
    const { tenantId } = request.params;
    const generated = generateApiKey();
    const view = await apiKeys
      .forTenant(tenantId)
      .create({ name: request.body.name, prefix: generated.prefix, keyHash: generated.hash }, actorOf(principalOf(request)));
    if (!view) throw notFound(`Tenant ${tenantId}`);
    return reply.status(201).send({ ...view, key: generated.key });
  });

  routes.delete('/tenants/:tenantId/api-keys/:keyId', {
    schema: { tags, summary: 'Revoke a key: it stops working at once', params: apiKeyParams, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const { tenantId, keyId } = request.params;
    const revoked = isUuid(keyId) ? await apiKeys.forTenant(tenantId).revoke(keyId, actorOf(principalOf(request))) : null;
    if (!revoked) throw notFound(`API key ${keyId}`);
    return reply.status(204).send(null);
  });
};
