// A tenant's conversation templates. Among its active templates exactly one is the default (the
// one the bot uses): making a template the default takes the flag from the others.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { isUuid, principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import { conflictResponse, errorResponses, noContent, tenantParams } from './adminSchemas.js';
import { newTemplateBody, templateParams, templatePatchBody, templateView } from './contentSchemas.js';
import { actorOf } from './principal.js';

const tags = ['templates'];

export const templateRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { content }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/templates',
    {
      schema: {
        tags,
        summary: "List the tenant's templates, the default first",
        params: tenantParams,
        response: { 200: z.object({ data: z.array(templateView) }), ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const data = await content.templates(tenantId).list();
      if (!data) throw notFound(`Tenant ${tenantId}`);
      return { data };
    },
  );

  routes.post(
    '/tenants/:tenantId/templates',
    {
      schema: {
        tags,
        summary: 'Create a template (the first active one becomes the default)',
        params: tenantParams,
        body: newTemplateBody,
        response: { 201: templateView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const view = await content.templates(request.params.tenantId).create(request.body, actorOf(principalOf(request)));
      return reply.status(201).send(view);
    },
  );

  routes.get(
    '/tenants/:tenantId/templates/:templateId',
    {
      schema: {
        tags,
        summary: 'Read a template',
        params: templateParams,
        response: { 200: templateView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId, templateId } = request.params;
      return (isUuid(templateId) ? await content.templates(tenantId).get(templateId) : null) ?? missing(templateId);
    },
  );

  routes.route({
    method: ['PATCH', 'PUT'],
    url: '/tenants/:tenantId/templates/:templateId',
    schema: {
      tags,
      summary: "Change some of a template's fields; is_default: true makes it the default",
      params: templateParams,
      body: templatePatchBody,
      response: { 200: templateView, ...errorResponses, ...conflictResponse },
    },
    handler: async (request) => {
      const { tenantId, templateId } = request.params;
      const store = content.templates(tenantId);
      return (
        (isUuid(templateId) ? await store.update(templateId, request.body, actorOf(principalOf(request))) : null) ??
        missing(templateId)
      );
    },
  });

  routes.delete(
    '/tenants/:tenantId/templates/:templateId',
    {
      schema: {
        tags,
        summary: 'Delete a template; when it was the default, the most recently changed active template takes over',
        params: templateParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { tenantId, templateId } = request.params;
      const deleted =
        isUuid(templateId) && (await content.templates(tenantId).delete(templateId, actorOf(principalOf(request))));
      if (!deleted) missing(templateId);
      return reply.status(204).send(null);
    },
  );
};

function missing(templateId: string): never {
  throw notFound(`Template ${templateId}`);
}
