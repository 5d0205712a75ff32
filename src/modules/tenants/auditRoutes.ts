// A tenant's audit trail, newest first. The administrator can still read a deleted tenant's.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { notFound } from './adminErrors.js';
import { auditEntryView, errorResponses, pageOf, pageQuery, tenantParams } from './adminSchemas.js';

export const auditRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog, auditLog }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/tenants/:tenantId/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Who changed what and when, secrets masked',
        params: tenantParams,
        querystring: pageQuery,
        response: { 200: pageOf(auditEntryView), ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const page = await auditLog.forTenant(tenantId).list(request.query);
      if (page.total === 0 && !(await catalog.forTenant(tenantId).get())) throw notFound(`Tenant ${tenantId}`);
      return page;
    },
  );
};
