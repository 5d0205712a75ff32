// What payment collection needs from the outside world: Daraja, the database (one tenant at a
// time, plus the one cross-tenant door the callback and the reconciliation sweep go through) and
// WhatsApp. Adapters implement these.
import type { FailureReason } from '../../domain/mpesaResult.js';
import type { WhatsAppCredentials } from '../replies/ports.js';

export const PAYMENT_STATUSES = ['offered', 'pending', 'paid', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_SOURCES = ['api', 'order', 'ai'] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];
export const TRANSACTION_TYPES = ['CustomerPayBillOnline', 'CustomerBuyGoodsOnline'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export interface Payment {
  id: string;
  tenantId: string;
  phone: string;
  amount: number;
  reference: string;
  description: string;
  status: PaymentStatus;
  source: PaymentSource;
  inboundLogId: string | null;
  shortcode: string | null;
  merchantRequestId: string | null;
  checkoutRequestId: string | null;
  resultCode: number | null;
  resultDesc: string | null;
  failureReason: FailureReason | null;
  receiptNumber: string | null;
  settledBy: 'callback' | 'query' | 'request' | null;
  noticeStatus: string | null;
  requestedAt: Date | null;
  settledAt: Date | null;
  createdAt: Date;
}

/** A payment as the API shows it (GET /tenants/{id}/payments). */
export interface PaymentView {
  id: string;
  status: PaymentStatus;
  phone: string;
  amount: number;
  reference: string;
  description: string;
  source: PaymentSource;
  checkout_request_id: string | null;
  merchant_request_id: string | null;
  receipt_number: string | null;
  result_code: number | null;
  result_desc: string | null;
  failure_reason: FailureReason | null;
  settled_by: string | null;
  customer_notice: string | null;
  requested_at: string | null;
  settled_at: string | null;
  created_at: string;
}

/** A tenant's M-Pesa setup as stored: each secret decrypted, or null when not set (or unreadable). */
export interface MpesaAccount {
  tenantName: string;
  enabled: boolean;
  consumerKey: string | null;
  consumerSecret: string | null;
  passkey: string | null;
  shortcode: string | null;
  transactionType: TransactionType;
  /** The till or paybill that receives the money (defaults to the shortcode). */
  partyB: string | null;
  /** The most one payment may ask for (the tenant's mpesa_max_amount, within Daraja's own ceiling). */
  maxAmount: number;
}

/** What Daraja is called with: everything needed to sign the request, for one tenant. */
export interface DarajaAccount {
  tenantId: string;
  consumerKey: string;
  consumerSecret: string;
  passkey: string;
  shortcode: string;
}

export interface StkPushRequest {
  transactionType: TransactionType;
  amount: number;
  phone: string;
  partyB: string;
  callbackUrl: string;
  accountReference: string;
  transactionDesc: string;
}

export type QueryAnswer =
  | { kind: 'result'; resultCode: number; resultDesc: string }
  | { kind: 'pending'; detail: string };

export interface DarajaGateway {
  /** Rejects with DarajaError when Daraja refuses (its error body) or cannot be reached. */
  stkPush(
    account: DarajaAccount,
    request: StkPushRequest,
  ): Promise<{ merchantRequestId: string; checkoutRequestId: string }>;
  /** The payment's result, or pending while Daraja is still processing it; rejects with DarajaError. */
  query(account: DarajaAccount, checkoutRequestId: string): Promise<QueryAnswer>;
}

export interface NewPayment {
  phone: string;
  amount: number;
  reference: string;
  description: string;
  source: PaymentSource;
  inboundLogId: string | null;
}

/** How a payment ended: paid (with what the callback told) or failed (with the reason). */
export type Settlement =
  | { status: 'paid'; resultCode: 0; resultDesc: string; receiptNumber: string | null }
  | { status: 'failed'; resultCode: number | null; resultDesc: string; failureReason: FailureReason };

export interface PaymentFilter {
  status?: PaymentStatus;
  phone?: string;
  from?: Date;
  to?: Date;
  page: number;
  limit: number;
}

/** One tenant's payments; every statement is filtered by the tenant given when it was made. */
export interface PaymentStore {
  account(): Promise<MpesaAccount | null>;
  /** Writes a payment: `offered` (no prompt yet) or, with a callback token hash, `pending`. */
  create(
    payment: NewPayment,
    pending: { tokenHash: string; shortcode: string; queryAt: Date } | null,
  ): Promise<Payment>;
  /** Offered → pending for this message, once: null when it is no longer offered. */
  confirmOffer(
    paymentId: string,
    inboundLogId: string,
    pending: { tokenHash: string; shortcode: string; queryAt: Date },
  ): Promise<Payment | null>;
  /** Daraja accepted the push; false when a callback already named another checkout request. */
  recordRequested(paymentId: string, ids: { merchantRequestId: string; checkoutRequestId: string }): Promise<boolean>;
  /** pending → paid/failed, once: null when it was no longer pending (someone else settled it). */
  settle(
    paymentId: string,
    settlement: Settlement,
    by: 'callback' | 'query' | 'request',
    checkoutRequestId: string | null,
  ): Promise<Payment | null>;
  /** A receipt number learnt after the query had settled the payment paid (the late callback). */
  addReceipt(paymentId: string, receiptNumber: string): Promise<boolean>;
  /** Still pending: ask Daraja again at `at`. */
  queryAgainAt(paymentId: string, at: Date): Promise<void>;
  get(paymentId: string): Promise<Payment | null>;
  list(filter: PaymentFilter): Promise<{ data: Payment[]; total: number }>;
  /** The customer's latest chat payment of the last `withinMs` (an offer to confirm, or one to try again). */
  latestChatPayment(phone: string, withinMs: number): Promise<Payment | null>;
  /** The payment (or offer) this inbound message led to: a retried message must not offer or push twice. */
  byInbound(inboundLogId: string): Promise<Payment | null>;
  /** Writes the customer's notice as an outbound message row (sending) and resolves with its id. */
  beginNotice(payment: Payment, text: string): Promise<string>;
  finishNotice(
    payment: Payment,
    rowId: string,
    result: { whatsappMessageId: string } | { error: string },
  ): Promise<void>;
}

export interface PaymentStores {
  forTenant(tenantId: string): PaymentStore;
}

/** The one place payment lookups cross tenants: a callback's token, and the sweep of due queries. */
export interface PaymentDirectory {
  byCallbackToken(tokenHash: string): Promise<{ tenantId: string; paymentId: string } | null>;
  /** Claims up to `limit` pending payments due for a query (each pushed back by `leaseMs`). */
  claimDueQueries(limit: number, leaseMs: number): Promise<{ tenantId: string; paymentId: string; attempts: number }[]>;
}

export interface PaymentNotifier {
  /** The tenant's WhatsApp sending credentials, or null when it has none. */
  credentials(tenantId: string): Promise<WhatsAppCredentials | null>;
  sendText(
    credentials: WhatsAppCredentials,
    to: string,
    body: string,
    options: { replyToMessageId: string | null; callbackData?: string },
  ): Promise<{ whatsappMessageId: string }>;
}
