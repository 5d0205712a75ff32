// GET /tenants/:tenantId/analytics and .../analytics/questions: a tenant's figures over a range of
// UTC days, and the questions worth teaching it. Behind the admin API's auth like every tenant route.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dayRangeOf, type DayRange } from '../../domain/dayRange.js';
import type { AdminApiOptions } from '../tenants/adminApiOptions.js';
import { badRequest, notFound } from '../tenants/adminErrors.js';
import { errorResponses, tenantParams } from '../tenants/adminSchemas.js';
import { analyticsQuery, analyticsReportView, questionsQuery, questionsReportView } from './analyticsSchemas.js';

const tags = ['analytics'];

export const analyticsRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { analytics }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/analytics',
    {
      schema: {
        tags,
        summary:
          'Figures per UTC day and over the range: messages, FAQ vs AI, tokens and cost, latency, escalations, limits, delivery failures, busiest hours',
        description:
          'from and to are UTC days, both included; the default is the last 30 days. A range holds at most 366 days.',
        params: tenantParams,
        querystring: analyticsQuery,
        response: { 200: analyticsReportView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      return (await analytics.report(tenantId, rangeOf(request.query))) ?? missing(tenantId);
    },
  );

  routes.get(
    '/tenants/:tenantId/analytics/questions',
    {
      schema: {
        tags,
        summary: 'Questions to teach: what went to the AI or got no answer, grouped by similarity, most frequent first',
        description:
          'Make one an FAQ with POST /tenants/{tenantId}/training (question, suggested_answer edited); wordings the FAQ then answers are no longer listed.',
        params: tenantParams,
        querystring: questionsQuery,
        response: { 200: questionsReportView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      return (
        (await analytics.questionsToTeach(tenantId, rangeOf(request.query), request.query.limit)) ?? missing(tenantId)
      );
    },
  );
};

function rangeOf(query: { from?: string | undefined; to?: string | undefined }): DayRange {
  const result = dayRangeOf(query, new Date());
  if (!result.ok) throw badRequest(`query.${result.field}: ${result.message}`);
  return result.range;
}

function missing(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}
