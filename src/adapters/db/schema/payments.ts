// M-Pesa STK push payments.
import { sql } from 'drizzle-orm';
import { index, integer, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { alphadome, createdAt, updatedAt } from './columns.js';
import { botTenants } from './tenants.js';

// system: M-Pesa STK push payments (Daraja), one row per payment asked for. An "offered" row is an
// amount put to the customer in the chat and not yet confirmed (no prompt was sent); "pending" had
// its prompt sent; "paid" and "failed" are final and reached once (a conditional UPDATE).
export const payments = alphadome.table(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    phone: varchar('phone', { length: 16 }).notNull(),
    amount: integer('amount').notNull(),
    reference: varchar('reference', { length: 12 }).notNull(),
    description: varchar('description', { length: 13 }).notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    /** api, order or ai: who asked for it. */
    source: varchar('source', { length: 8 }).notNull(),
    /** The customer's message that led to it (chat payments), for the reply thread. */
    inboundLogId: uuid('inbound_log_id'),
    shortcode: varchar('shortcode', { length: 16 }),
    /** SHA-256 of the callback URL's token: the token itself is only ever in Daraja's hands. */
    callbackTokenHash: varchar('callback_token_hash', { length: 64 }),
    merchantRequestId: varchar('merchant_request_id', { length: 64 }),
    checkoutRequestId: varchar('checkout_request_id', { length: 64 }),
    resultCode: integer('result_code'),
    resultDesc: text('result_desc'),
    failureReason: varchar('failure_reason', { length: 32 }),
    receiptNumber: varchar('receipt_number', { length: 32 }),
    /** callback, query or request (Daraja refused the push itself). */
    settledBy: varchar('settled_by', { length: 16 }),
    queryAttempts: integer('query_attempts').notNull().default(0),
    nextQueryAt: timestamp('next_query_at', { withTimezone: true }),
    /** sent or failed: the WhatsApp message telling the customer how it ended. */
    noticeStatus: varchar('notice_status', { length: 16 }),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('payments_tenant_time_idx').on(t.botTenantId, t.createdAt),
    uniqueIndex('payments_callback_token_key').on(t.callbackTokenHash).where(sql`${t.callbackTokenHash} IS NOT NULL`),
    uniqueIndex('payments_checkout_request_key').on(t.checkoutRequestId).where(sql`${t.checkoutRequestId} IS NOT NULL`),
    index('payments_due_query_idx').on(t.nextQueryAt).where(sql`${t.status} = 'pending'`),
    index('payments_offer_idx').on(t.botTenantId, t.phone, t.createdAt).where(sql`${t.status} = 'offered'`),
  ],
);
