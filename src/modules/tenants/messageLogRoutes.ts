// A tenant's message log, newest first: filter by customer phone, direction, time, type, status.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { notFound } from './adminErrors.js';
import { errorResponses, pageOf, tenantParams } from './adminSchemas.js';
import { messageLogQuery, messageLogView } from './contentSchemas.js';

export const messageLogRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { content }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/tenants/:tenantId/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Inbound and outbound messages, newest first',
        params: tenantParams,
        querystring: messageLogQuery,
        response: { 200: pageOf(messageLogView), ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const q = request.query;
      const page = await content.messages(tenantId).list({
        page: q.page,
        limit: q.limit,
        user_phone: q.user_phone ?? null,
        direction: q.direction ?? null,
        from: q.from ?? null,
        to: q.to ?? null,
        message_type: q.message_type ?? null,
        status: q.status ?? null,
        q: q.q ?? null,
      });
      return page ?? notFoundTenant(tenantId);
    },
  );
};

function notFoundTenant(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}
