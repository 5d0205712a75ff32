// POST/GET /api/v1/tenants/{id}/payments: start an STK push, list and read payments. Behind the
// admin API's authentication and tenant check like every other tenant route.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { kenyanMobile } from '../../domain/mpesaFields.js';
import type { AdminApiOptions } from '../tenants/adminApiOptions.js';
import { badRequest, conflict, notFound } from '../tenants/adminErrors.js';
import { conflictResponse, errorResponses, tenantParams } from '../tenants/adminSchemas.js';
import { PaymentRefused } from './paymentService.js';
import {
  newPaymentBody,
  paymentJson,
  paymentListQuery,
  paymentPage,
  paymentParams,
  paymentView,
} from './paymentSchemas.js';

const tags = ['payments'];

export const paymentRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { payments }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // A tenant that does not exist answers 404 like on every other route (adminAuth has checked the caller may reach it).
  const assertTenant = async (tenantId: string) => {
    if (!(await payments.store(tenantId).account())) throw notFound(`Tenant ${tenantId}`);
  };

  routes.post(
    '/tenants/:tenantId/payments',
    {
      schema: {
        tags,
        summary:
          'Send the customer an M-Pesa prompt (STK push); 201 with the payment, pending (or failed when Daraja refused it)',
        params: tenantParams,
        body: newPaymentBody,
        response: { 201: paymentView, ...errorResponses, ...conflictResponse },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      await assertTenant(tenantId);
      try {
        const payment = await payments.start(tenantId, request.body);
        return reply.status(201).send(paymentJson(payment));
      } catch (err) {
        if (!(err instanceof PaymentRefused)) throw err;
        throw err.kind === 'invalid' ? badRequest(`body.${err.message}`) : conflict(err.message);
      }
    },
  );

  routes.get(
    '/tenants/:tenantId/payments',
    {
      schema: {
        tags,
        summary: 'Payments, newest first',
        params: tenantParams,
        querystring: paymentListQuery,
        response: { 200: paymentPage, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      await assertTenant(tenantId);
      const q = request.query;
      const phone = q.phone === undefined ? undefined : kenyanMobile(q.phone);
      if (phone === null)
        throw badRequest('query.phone: must be a Kenyan mobile number (2547XXXXXXXX or 2541XXXXXXXX)');
      const page = await payments
        .store(tenantId)
        .list({ page: q.page, limit: q.limit, status: q.status, phone, from: q.from, to: q.to });
      return { data: page.data.map(paymentJson), page: q.page, limit: q.limit, total: page.total };
    },
  );

  routes.get(
    '/tenants/:tenantId/payments/:paymentId',
    {
      schema: {
        tags,
        summary: 'One payment',
        params: paymentParams,
        response: { 200: paymentView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId, paymentId } = request.params;
      await assertTenant(tenantId);
      const payment = /^[0-9a-f-]{36}$/i.test(paymentId) ? await payments.store(tenantId).get(paymentId) : null;
      if (!payment) throw notFound(`Payment ${paymentId}`);
      return paymentJson(payment);
    },
  );
};
