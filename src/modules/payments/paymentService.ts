// Starting an M-Pesa STK push and ending it: the checks before anything is sent, the push itself
// (its callback URL carrying a fresh unguessable token whose hash alone is stored), the one
// settlement whichever of the callback and the query comes first, and the customer's WhatsApp
// message saying how it ended.
import { createHash, randomBytes } from 'node:crypto';
import { DarajaError } from '../../domain/darajaError.js';
import { errorText } from '../../domain/errorText.js';
import {
  ACCOUNT_REFERENCE_MAX,
  TRANSACTION_DESC_MAX,
  amountProblem,
  darajaText,
  kenyanMobile,
  shillings,
} from '../../domain/mpesaFields.js';
import { failedNotice, paidNotice } from '../../domain/mpesaResult.js';
import type {
  DarajaAccount,
  DarajaGateway,
  MpesaAccount,
  Payment,
  PaymentNotifier,
  PaymentSource,
  PaymentStore,
  PaymentStores,
  Settlement,
} from './ports.js';

export interface PaymentServiceOptions {
  stores: PaymentStores;
  daraja: DarajaGateway;
  notifier: PaymentNotifier;
  /** PUBLIC_BASE_URL without a trailing slash; null: payments refuse to start. */
  publicBaseUrl: string | null;
  /** MPESA_QUERY_AFTER_S, in ms: when a payment without a callback is first queried. */
  queryAfterMs: number;
  logger: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

export const CALLBACK_PATH = '/mpesa/callback';

/** Why a payment cannot start: invalid (400) or not set up (409), with words naming the problem. */
export class PaymentRefused extends Error {
  override name = 'PaymentRefused';
  constructor(
    readonly kind: 'invalid' | 'not_set_up',
    message: string,
  ) {
    super(message);
  }
}

export interface PaymentRequest {
  phone: string;
  amount: number;
  reference?: string | undefined;
  description?: string | undefined;
}

export function hashCallbackToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class PaymentService {
  private readonly notices = new Set<Promise<void>>();

  constructor(private readonly settings: PaymentServiceOptions) {}

  store(tenantId: string): PaymentStore {
    return this.settings.stores.forTenant(tenantId);
  }

  /** The account, ready to push; throws PaymentRefused naming everything that is missing. */
  async readyAccount(tenantId: string): Promise<{ account: MpesaAccount; daraja: DarajaAccount; baseUrl: string }> {
    const account = await this.store(tenantId).account();
    if (!account) throw new PaymentRefused('not_set_up', 'the tenant does not exist');
    const missing = [
      ...(account.consumerKey ? [] : ['mpesa_consumer_key (credentials)']),
      ...(account.consumerSecret ? [] : ['mpesa_consumer_secret (credentials)']),
      ...(account.passkey ? [] : ['mpesa_passkey (credentials)']),
      ...(account.shortcode ? [] : ['mpesa_shortcode (settings)']),
      ...(account.enabled ? [] : ['enable_payment_flow is off (settings)']),
    ];
    const { consumerKey, consumerSecret, passkey, shortcode } = account;
    if (missing.length > 0 || !consumerKey || !consumerSecret || !passkey || !shortcode)
      throw new PaymentRefused(
        'not_set_up',
        `M-Pesa payments are not set up for this tenant: missing ${missing.join(', ')}`,
      );
    const baseUrl = this.settings.publicBaseUrl;
    if (!baseUrl)
      throw new PaymentRefused(
        'not_set_up',
        'PUBLIC_BASE_URL is not set on the server: Daraja would have no address to send the result to',
      );
    return {
      account,
      baseUrl,
      daraja: {
        tenantId,
        consumerKey,
        consumerSecret,
        passkey,
        shortcode,
      },
    };
  }

  /** Checks the amount and phone against the tenant's limits; the phone comes back as 2547XXXXXXXX. */
  validate(account: MpesaAccount, request: PaymentRequest): { phone: string; amount: number } {
    const phone = kenyanMobile(request.phone);
    if (!phone)
      throw new PaymentRefused(
        'invalid',
        'phone: must be a Kenyan mobile number (2547XXXXXXXX or 2541XXXXXXXX; 07..., 01... and +254... are accepted)',
      );
    const problem = amountProblem(request.amount, account.maxAmount);
    if (problem === 'not_whole')
      throw new PaymentRefused('invalid', 'amount: must be a whole number of shillings (M-Pesa takes no cents)');
    if (problem === 'not_positive') throw new PaymentRefused('invalid', 'amount: must be at least 1 shilling');
    if (problem === 'over_maximum')
      throw new PaymentRefused(
        'invalid',
        `amount: must be at most ${shillings(account.maxAmount)}, this business's maximum for one payment (mpesa_max_amount)`,
      );
    return { phone, amount: request.amount };
  }

  /** The admin API's payment: checked, written as pending, pushed; Daraja refusing ends it failed (and the customer is told). */
  async start(tenantId: string, request: PaymentRequest): Promise<Payment> {
    const ready = await this.readyAccount(tenantId);
    const { phone, amount } = this.validate(ready.account, request);
    const fields = {
      phone,
      amount,
      source: 'api' as PaymentSource,
      inboundLogId: null,
      reference: darajaText(
        request.reference ?? '',
        ACCOUNT_REFERENCE_MAX,
        ready.account.tenantName.replace(/\s+/g, '') || 'Payment',
      ),
      description: darajaText(request.description ?? '', TRANSACTION_DESC_MAX, 'Payment'),
    };
    const token = randomBytes(32).toString('base64url');
    const payment = await this.store(tenantId).create(fields, this.pendingFields(token, ready.daraja.shortcode));
    return this.push(payment, token, ready, { notifyFailure: true });
  }

  /** Token and query time of a payment about to be pushed. */
  pendingFields(token: string, shortcode: string): { tokenHash: string; shortcode: string; queryAt: Date } {
    return {
      tokenHash: hashCallbackToken(token),
      shortcode,
      queryAt: new Date(Date.now() + this.settings.queryAfterMs),
    };
  }

  /** Sends the STK push of a pending payment. With notifyFailure off the caller tells the customer itself. */
  async push(
    payment: Payment,
    token: string,
    ready: { account: MpesaAccount; daraja: DarajaAccount; baseUrl: string },
    options: { notifyFailure: boolean },
  ): Promise<Payment> {
    const store = this.store(payment.tenantId);
    const log = { tenantId: payment.tenantId, paymentId: payment.id };
    try {
      const ids = await this.settings.daraja.stkPush(ready.daraja, {
        transactionType: ready.account.transactionType,
        amount: payment.amount,
        phone: payment.phone,
        partyB: ready.account.partyB ?? ready.daraja.shortcode,
        callbackUrl: `${ready.baseUrl}${CALLBACK_PATH}/${token}`,
        accountReference: payment.reference,
        transactionDesc: payment.description,
      });
      if (!(await store.recordRequested(payment.id, ids))) {
        this.settings.logger.error(
          { ...log },
          'Daraja accepted the push, but a callback had named another checkout request; left as it is',
        );
      }
      this.settings.logger.info({ ...log, amount: payment.amount }, 'M-Pesa prompt sent');
      return (await store.get(payment.id)) ?? payment;
    } catch (err) {
      if (!(err instanceof DarajaError)) throw err;
      this.settings.logger.warn(
        { ...log, errorCode: err.errorCode, httpStatus: err.httpStatus, error: err.message },
        'Daraja refused the STK push; payment failed',
      );
      const settled = await this.settle(
        payment.tenantId,
        payment.id,
        { status: 'failed', resultCode: null, resultDesc: err.message, failureReason: 'daraja_error' },
        'request',
        null,
        options.notifyFailure,
      );
      return settled ?? (await store.get(payment.id)) ?? payment;
    }
  }

  /** pending → paid/failed once; only the settler tells the customer. Null when it was settled before. */
  async settle(
    tenantId: string,
    paymentId: string,
    settlement: Settlement,
    by: 'callback' | 'query' | 'request',
    checkoutRequestId: string | null,
    notify = true,
  ): Promise<Payment | null> {
    const settled = await this.store(tenantId).settle(paymentId, settlement, by, checkoutRequestId);
    if (!settled) return null;
    const log = { tenantId, paymentId, status: settled.status, by, reason: settled.failureReason };
    this.settings.logger.info(log, 'payment settled');
    if (notify) this.track(this.notify(settled));
    return settled;
  }

  /** What the customer is told about a settled payment. */
  noticeFor(payment: Payment, tenantName: string): string {
    return payment.status === 'paid'
      ? paidNotice(payment.amount, payment.receiptNumber, tenantName)
      : failedNotice(payment.amount, payment.failureReason ?? 'other', payment.source !== 'api');
  }

  /** Lets notices in flight finish (shutdown). */
  async drain(): Promise<void> {
    while (this.notices.size > 0) await Promise.all([...this.notices]);
  }

  private track(work: Promise<void>): void {
    this.notices.add(work);
    void work.finally(() => this.notices.delete(work));
  }

  /** Never throws: a notice that cannot go is logged and its row marked failed. */
  private async notify(payment: Payment): Promise<void> {
    const log = { tenantId: payment.tenantId, paymentId: payment.id };
    try {
      const store = this.store(payment.tenantId);
      const account = await store.account();
      const credentials = await this.settings.notifier.credentials(payment.tenantId);
      if (!credentials || !account) {
        this.settings.logger.warn(
          log,
          'payment settled, but the tenant has no WhatsApp credentials to tell the customer',
        );
        return;
      }
      const text = this.noticeFor(payment, account.tenantName);
      const rowId = await store.beginNotice(payment, text);
      try {
        const sent = await this.settings.notifier.sendText(credentials, payment.phone, text, {
          replyToMessageId: null,
          callbackData: rowId,
        });
        await store.finishNotice(payment, rowId, sent);
      } catch (err) {
        await store.finishNotice(payment, rowId, { error: errorText(err) });
        this.settings.logger.warn(
          { ...log, error: errorText(err) },
          'the customer could not be told how the payment ended',
        );
      }
    } catch (err) {
      this.settings.logger.error({ ...log, error: errorText(err) }, 'payment notice failed');
    }
  }
}
