// Handoffs (conversations paused for a person) and what customers thought of the answers.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { principalOf } from './adminAuth.js';
import { notFound } from './adminErrors.js';
import { errorResponses, pageOf, pageQuery, tenantParams } from './adminSchemas.js';
import { actorOf } from './principal.js';

const handoffView = z.object({
  user_phone: z.string(),
  paused_until: z.string(),
  pause_reason: z.string().nullable(),
  last_escalated_at: z.string().nullable(),
});
const customerParams = tenantParams.extend({
  userPhone: z
    .string()
    .regex(/^\+?\d{5,20}$/, "must be the customer's WhatsApp number (digits)")
    .describe('Customer number as WhatsApp sends it (wa_id)'),
});
const ratingSummary = z.object({
  by_faq: z.array(
    z.object({ training_data_id: z.string(), question: z.string().nullable(), up: z.number(), down: z.number() }),
  ),
  by_model: z.array(z.object({ ai_model_used: z.string(), up: z.number(), down: z.number() })),
});

export const customerCareRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { customerCare }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/handoffs',
    {
      schema: {
        tags: ['handoffs'],
        summary: 'Conversations the bot leaves to a person now (escalated), soonest resuming first',
        params: tenantParams,
        querystring: pageQuery,
        response: { 200: pageOf(handoffView), ...errorResponses },
      },
    },
    async (request) =>
      (await customerCare.forTenant(request.params.tenantId).handoffs(request.query)) ??
      missing(request.params.tenantId),
  );

  routes.post(
    '/tenants/:tenantId/handoffs/:userPhone/resume',
    {
      // Handing a conversation back to the bot is an agent's work too (the inbox's Resolve does the same).
      config: { agentMay: true },
      schema: {
        tags: ['handoffs'],
        summary: 'Let the bot answer this customer again before the pause ends (resumed: false when it was not paused)',
        params: customerParams,
        response: { 200: z.object({ user_phone: z.string(), resumed: z.boolean() }), ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const userPhone = request.params.userPhone.replace(/^\+/, '');
      const result = await customerCare.forTenant(tenantId).resume(userPhone, actorOf(principalOf(request)));
      return result ? { user_phone: userPhone, ...result } : missing(tenantId);
    },
  );

  routes.get(
    '/tenants/:tenantId/ratings',
    {
      schema: {
        tags: ['ratings'],
        summary: "Customers' 👍/👎 per FAQ and per AI model (training mode)",
        params: tenantParams,
        response: { 200: ratingSummary, ...errorResponses },
      },
    },
    async (request) =>
      (await customerCare.forTenant(request.params.tenantId).ratings()) ?? missing(request.params.tenantId),
  );
};

function missing(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}
