// One tenant's payments and M-Pesa setup. Every statement filters by the tenant id given to the
// constructor; no method takes a tenant id. Settling is one conditional UPDATE (WHERE status =
// 'pending'), so whichever of the callback and the query comes first settles it, and only once.
import { and, count, desc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { MPESA_MAX_AMOUNT } from '../../domain/mpesaFields.js';
import type { FailureReason } from '../../domain/mpesaResult.js';
import { mpesaSettingsOf } from '../../modules/payments/paymentSettings.js';
import type {
  MpesaAccount,
  NewPayment,
  Payment,
  PaymentFilter,
  PaymentStore,
  Settlement,
} from '../../modules/payments/ports.js';
import type { CredentialVault } from './credentialVault.js';
import type { AppDb } from './database.js';
import { botControlSettings, botMessageLogs, botTenants, payments } from './schema.js';

type PaymentRow = typeof payments.$inferSelect;

export class DbTenantPaymentStore implements PaymentStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
    private readonly vault: Pick<CredentialVault, 'revealOrNull'>,
  ) {}

  async account(): Promise<MpesaAccount | null> {
    const [row] = await this.db
      .select({
        name: botTenants.clientName,
        consumerKey: botTenants.mpesaConsumerKey,
        consumerSecret: botTenants.mpesaConsumerSecret,
        passkey: botTenants.mpesaPasskey,
        enabled: botControlSettings.enablePaymentFlow,
        metadata: botControlSettings.metadata,
      })
      .from(botTenants)
      .leftJoin(botControlSettings, eq(botControlSettings.botTenantId, botTenants.id))
      .where(eq(botTenants.id, this.tenantId));
    if (!row) return null;
    const settings = mpesaSettingsOf(row.metadata ?? {});
    const shortcode = settings.mpesa_shortcode;
    return {
      tenantName: row.name,
      enabled: row.enabled ?? false,
      consumerKey: this.vault.revealOrNull(this.tenantId, 'mpesa_consumer_key', row.consumerKey),
      consumerSecret: this.vault.revealOrNull(this.tenantId, 'mpesa_consumer_secret', row.consumerSecret),
      passkey: this.vault.revealOrNull(this.tenantId, 'mpesa_passkey', row.passkey),
      shortcode,
      transactionType: settings.mpesa_transaction_type ?? 'CustomerPayBillOnline',
      partyB: settings.mpesa_party_b ?? shortcode,
      maxAmount: Math.min(settings.mpesa_max_amount ?? MPESA_MAX_AMOUNT, MPESA_MAX_AMOUNT),
    };
  }

  async create(
    payment: NewPayment,
    pending: { tokenHash: string; shortcode: string; queryAt: Date } | null,
  ): Promise<Payment> {
    const [row] = await this.db
      .insert(payments)
      .values({
        botTenantId: this.tenantId,
        ...payment,
        status: pending ? 'pending' : 'offered',
        ...(pending
          ? {
              callbackTokenHash: pending.tokenHash,
              shortcode: pending.shortcode,
              nextQueryAt: pending.queryAt,
              requestedAt: new Date(),
            }
          : {}),
      })
      .returning();
    if (!row) throw new Error('payment insert returned no row');
    return paymentOf(row);
  }

  async confirmOffer(
    paymentId: string,
    inboundLogId: string,
    pending: { tokenHash: string; shortcode: string; queryAt: Date },
  ): Promise<Payment | null> {
    const [row] = await this.db
      .update(payments)
      .set({
        status: 'pending',
        inboundLogId,
        callbackTokenHash: pending.tokenHash,
        shortcode: pending.shortcode,
        nextQueryAt: pending.queryAt,
        requestedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(this.own(paymentId), eq(payments.status, 'offered')))
      .returning();
    return row ? paymentOf(row) : null;
  }

  async recordRequested(
    paymentId: string,
    ids: { merchantRequestId: string; checkoutRequestId: string },
  ): Promise<boolean> {
    // A callback that came before this answer may have written the checkout id already: it must be the same.
    const rows = await this.db
      .update(payments)
      .set({
        merchantRequestId: ids.merchantRequestId,
        checkoutRequestId: ids.checkoutRequestId,
        updatedAt: new Date(),
      })
      .where(
        and(
          this.own(paymentId),
          or(isNull(payments.checkoutRequestId), eq(payments.checkoutRequestId, ids.checkoutRequestId)),
        ),
      )
      .returning({ id: payments.id });
    return rows.length > 0;
  }

  async settle(
    paymentId: string,
    settlement: Settlement,
    by: 'callback' | 'query' | 'request',
    checkoutRequestId: string | null,
  ): Promise<Payment | null> {
    const sameCheckout =
      checkoutRequestId === null
        ? undefined
        : or(isNull(payments.checkoutRequestId), eq(payments.checkoutRequestId, checkoutRequestId));
    const [row] = await this.db
      .update(payments)
      .set({
        status: settlement.status,
        resultCode: settlement.resultCode,
        resultDesc: settlement.resultDesc.slice(0, 500),
        failureReason: settlement.status === 'failed' ? settlement.failureReason : null,
        receiptNumber: settlement.status === 'paid' ? settlement.receiptNumber : null,
        settledBy: by,
        settledAt: new Date(),
        nextQueryAt: null,
        ...(checkoutRequestId === null ? {} : { checkoutRequestId }),
        updatedAt: new Date(),
      })
      .where(and(this.own(paymentId), eq(payments.status, 'pending'), sameCheckout))
      .returning();
    return row ? paymentOf(row) : null;
  }

  async addReceipt(paymentId: string, receiptNumber: string): Promise<boolean> {
    const rows = await this.db
      .update(payments)
      .set({ receiptNumber, updatedAt: new Date() })
      .where(and(this.own(paymentId), eq(payments.status, 'paid'), isNull(payments.receiptNumber)))
      .returning({ id: payments.id });
    return rows.length > 0;
  }

  async queryAgainAt(paymentId: string, at: Date): Promise<void> {
    await this.db
      .update(payments)
      .set({ nextQueryAt: at })
      .where(and(this.own(paymentId), eq(payments.status, 'pending')));
  }

  async get(paymentId: string): Promise<Payment | null> {
    const [row] = await this.db.select().from(payments).where(this.own(paymentId));
    return row ? paymentOf(row) : null;
  }

  async list(filter: PaymentFilter): Promise<{ data: Payment[]; total: number }> {
    const conditions: (SQL | undefined)[] = [
      eq(payments.botTenantId, this.tenantId),
      filter.status ? eq(payments.status, filter.status) : undefined,
      filter.phone ? eq(payments.phone, filter.phone) : undefined,
      filter.from ? gte(payments.createdAt, filter.from) : undefined,
      filter.to ? lt(payments.createdAt, filter.to) : undefined,
    ];
    const where = and(...conditions);
    const rows = await this.db
      .select()
      .from(payments)
      .where(where)
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(filter.limit)
      .offset((filter.page - 1) * filter.limit);
    const [total] = await this.db.select({ n: count() }).from(payments).where(where);
    return { data: rows.map(paymentOf), total: Number(total?.n ?? 0) };
  }

  async latestChatPayment(phone: string, withinMs: number): Promise<Payment | null> {
    const [row] = await this.db
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.botTenantId, this.tenantId),
          eq(payments.phone, phone),
          inArray(payments.source, ['order', 'ai']),
          gte(payments.createdAt, new Date(Date.now() - withinMs)),
        ),
      )
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(1);
    return row ? paymentOf(row) : null;
  }

  async byInbound(inboundLogId: string): Promise<Payment | null> {
    const [row] = await this.db
      .select()
      .from(payments)
      .where(and(eq(payments.botTenantId, this.tenantId), eq(payments.inboundLogId, inboundLogId)))
      .orderBy(desc(payments.createdAt))
      .limit(1);
    return row ? paymentOf(row) : null;
  }

  async beginNotice(payment: Payment, text: string): Promise<string> {
    const [row] = await this.db
      .insert(botMessageLogs)
      .values({
        botTenantId: this.tenantId,
        userPhone: payment.phone,
        direction: 'outbound',
        messageText: text,
        messageType: 'text',
        status: 'sending',
        statusUpdatedAt: new Date(),
        metadata: { reply_source: 'payment', payment_id: payment.id },
      })
      .returning({ id: botMessageLogs.id });
    if (!row) throw new Error('payment notice row was not written');
    await this.db.update(payments).set({ noticeStatus: 'sending' }).where(this.own(payment.id));
    return row.id;
  }

  async finishNotice(
    payment: Payment,
    rowId: string,
    result: { whatsappMessageId: string } | { error: string },
  ): Promise<void> {
    const sent = 'whatsappMessageId' in result;
    await this.db
      .update(botMessageLogs)
      .set(
        sent
          ? {
              status: 'sent',
              whatsappMessageId: result.whatsappMessageId,
              sentAt: new Date(),
              statusUpdatedAt: new Date(),
            }
          : { status: 'failed', errorMessage: result.error.slice(0, 1000), statusUpdatedAt: new Date() },
      )
      // A status webhook may have moved it on already (delivered, read): that one wins.
      .where(
        and(
          eq(botMessageLogs.botTenantId, this.tenantId),
          eq(botMessageLogs.id, rowId),
          eq(botMessageLogs.status, 'sending'),
        ),
      );
    await this.db
      .update(payments)
      .set({ noticeStatus: sent ? 'sent' : 'failed' })
      .where(this.own(payment.id));
  }

  private own(paymentId: string): SQL {
    return and(eq(payments.botTenantId, this.tenantId), eq(payments.id, paymentId)) as SQL;
  }
}

export function paymentOf(row: PaymentRow): Payment {
  return {
    id: row.id,
    tenantId: row.botTenantId,
    phone: row.phone,
    amount: row.amount,
    reference: row.reference,
    description: row.description,
    status: row.status as Payment['status'],
    source: row.source as Payment['source'],
    inboundLogId: row.inboundLogId,
    shortcode: row.shortcode,
    merchantRequestId: row.merchantRequestId,
    checkoutRequestId: row.checkoutRequestId,
    resultCode: row.resultCode,
    resultDesc: row.resultDesc,
    failureReason: row.failureReason as FailureReason | null,
    receiptNumber: row.receiptNumber,
    settledBy: row.settledBy as Payment['settledBy'],
    noticeStatus: row.noticeStatus,
    requestedAt: row.requestedAt,
    settledAt: row.settledAt,
    createdAt: row.createdAt,
  };
}
