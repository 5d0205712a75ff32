// Tenants: list, create and delete are the administrator's; a tenant key reads, changes and
// deactivates only its own tenant (adminAuth has already checked which tenant that is).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import {
  conflictResponse,
  noContent,
  errorResponses,
  newTenantBody,
  pageOf,
  tenantListQuery,
  tenantParams,
  tenantPatchBody,
  tenantView,
} from './adminSchemas.js';
import { actorOf } from './principal.js';
import { ADMIN_TENANT_FIELDS, assertServerPaidModelsAllowed, refuseAdminFields } from './tenantKeyRules.js';

const tags = ['tenants'];

export const tenantRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog, serverAllowedModels }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants',
    {
      config: { adminOnly: true },
      schema: {
        tags,
        summary: 'List tenants (administrator only), by name and searchable by name or phone',
        querystring: tenantListQuery,
        response: { 200: pageOf(tenantView), ...errorResponses },
      },
    },
    async (request) =>
      catalog.list({ page: request.query.page, limit: request.query.limit, q: request.query.q?.trim() || null }),
  );

  routes.post(
    '/tenants',
    {
      config: { adminOnly: true },
      schema: {
        tags,
        summary: 'Create a tenant with its credentials (administrator only)',
        body: newTenantBody,
        response: { 201: tenantView, ...errorResponses, ...conflictResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await catalog.create(request.body, actorOf(principalOf(request)))),
  );

  routes.get(
    '/tenants/:tenantId',
    {
      schema: {
        tags,
        summary: 'Read a tenant (secrets masked)',
        params: tenantParams,
        response: { 200: tenantView, ...errorResponses },
      },
    },
    async (request) => (await catalog.forTenant(request.params.tenantId).get()) ?? missing(request.params.tenantId),
  );

  routes.patch(
    '/tenants/:tenantId',
    {
      schema: {
        tags,
        summary: "Change some of a tenant's fields",
        params: tenantParams,
        body: tenantPatchBody,
        response: { 200: tenantView, ...errorResponses, ...conflictResponse },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const principal = principalOf(request);
      refuseAdminFields(principal, request.body, ADMIN_TENANT_FIELDS);
      const store = catalog.forTenant(tenantId);
      if (principal.kind !== 'admin') {
        const current = (await store.get()) ?? missing(tenantId);
        assertServerPaidModelsAllowed(principal, current, { fields: request.body }, serverAllowedModels);
      }
      return (await store.update(request.body, actorOf(principal))) ?? missing(tenantId);
    },
  );

  routes.post(
    '/tenants/:tenantId/deactivate',
    {
      schema: {
        tags,
        summary: 'Stop the bot answering for this tenant',
        params: tenantParams,
        response: { 200: tenantView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const store = catalog.forTenant(tenantId);
      const current = (await store.get()) ?? missing(tenantId);
      // Already inactive: nothing changes, so no audit row either.
      if (!current.is_active) return current;
      return (await store.update({ is_active: false }, actorOf(principalOf(request)))) ?? missing(tenantId);
    },
  );

  routes.delete(
    '/tenants/:tenantId',
    {
      config: { adminOnly: true },
      schema: {
        tags,
        summary: 'Delete a tenant and all it owns; its audit trail stays (administrator only)',
        params: tenantParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      if (!(await catalog.forTenant(tenantId).delete(actorOf(principalOf(request))))) missing(tenantId);
      return reply.status(204).send(null);
    },
  );
};

function missing(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}
