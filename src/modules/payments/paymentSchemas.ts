// Request and response shapes of the payment endpoints (validated by zod, documented at /docs).
import { z } from 'zod';
import { FAILURE_REASONS } from '../../domain/mpesaResult.js';
import { pageQuery, tenantParams, text } from '../tenants/adminSchemas.js';
import { PAYMENT_SOURCES, PAYMENT_STATUSES, type Payment, type PaymentView } from './ports.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const instant = (endOfDay: boolean) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'must be an ISO 8601 date (2026-12-01) or date-time (2026-12-01T09:30:00Z)',
    })
    // A bare date means the whole day (UTC): from its start, or up to its end.
    .transform((value) => {
      const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
      return value.length === 10 && endOfDay ? new Date(date.getTime() + DAY_MS) : date;
    });

export const newPaymentBody = z.strictObject({
  phone: text(32).describe(
    "The customer's M-Pesa number: 2547XXXXXXXX or 2541XXXXXXXX (07..., 01..., +254... accepted)",
  ),
  amount: z
    .number({ error: 'must be a whole number of shillings' })
    .describe("Whole shillings, 1 up to the tenant's mpesa_max_amount"),
  reference: text(255).optional().describe('AccountReference: cut to 12 characters (letters, digits, space _ . # -)'),
  description: text(255).optional().describe('TransactionDesc: cut to 13 characters'),
});

export const paymentParams = tenantParams.extend({ paymentId: z.string().describe('Payment id (UUID)') });

export const paymentListQuery = z
  .strictObject({
    ...pageQuery.shape,
    status: z.enum(PAYMENT_STATUSES, { error: `must be one of ${PAYMENT_STATUSES.join(', ')}` }).optional(),
    phone: text(32).optional().describe("The customer's number, written any way a Kenyan mobile number is"),
    from: instant(false)
      .optional()
      .describe('Payments started at or after this instant (a bare date: from its start, UTC)'),
    to: instant(true).optional().describe('Payments started before this instant (a bare date: up to its end, UTC)'),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });

export const paymentView = z.object({
  id: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  phone: z.string(),
  amount: z.number(),
  reference: z.string(),
  description: z.string(),
  source: z.enum(PAYMENT_SOURCES).describe('api, order (a WhatsApp cart) or ai (the AI offered it)'),
  checkout_request_id: z.string().nullable(),
  merchant_request_id: z.string().nullable(),
  receipt_number: z.string().nullable().describe('The M-Pesa receipt, once paid (null when only the query settled it)'),
  result_code: z.number().nullable(),
  result_desc: z.string().nullable(),
  failure_reason: z.enum(FAILURE_REASONS).nullable(),
  settled_by: z.string().nullable().describe('callback, query, or request (Daraja refused the push)'),
  customer_notice: z.string().nullable().describe('sending, sent or failed: the WhatsApp message saying how it ended'),
  requested_at: z.string().nullable(),
  settled_at: z.string().nullable(),
  created_at: z.string(),
});

export const paymentPage = z.object({
  data: z.array(paymentView),
  page: z.number(),
  limit: z.number(),
  total: z.number(),
});

export function paymentJson(p: Payment): PaymentView {
  return {
    id: p.id,
    status: p.status,
    phone: p.phone,
    amount: p.amount,
    reference: p.reference,
    description: p.description,
    source: p.source,
    checkout_request_id: p.checkoutRequestId,
    merchant_request_id: p.merchantRequestId,
    receipt_number: p.receiptNumber,
    result_code: p.resultCode,
    result_desc: p.resultDesc,
    failure_reason: p.failureReason,
    settled_by: p.settledBy,
    customer_notice: p.noticeStatus,
    requested_at: p.requestedAt?.toISOString() ?? null,
    settled_at: p.settledAt?.toISOString() ?? null,
    created_at: p.createdAt.toISOString(),
  };
}

// The view and the contract must stay one shape: this fails to compile when either drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const viewMatchesContract: Same<z.infer<typeof paymentView>, PaymentView> = true;
