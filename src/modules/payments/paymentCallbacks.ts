// Daraja's result callback. Callbacks are not signed, so the only proof is the unguessable token
// in the URL; on top of it the CheckoutRequestID must be the payment's own and a success must be
// for the payment's amount. Anything else is ignored and logged (never the token or the phone).
// A replay finds the payment no longer pending and changes nothing; nothing is sent.
import { z } from 'zod';
import { failureReasonOf } from '../../domain/mpesaResult.js';
import type { PaymentDirectory } from './ports.js';
import { hashCallbackToken, type PaymentService } from './paymentService.js';

const item = z.object({ Name: z.string(), Value: z.unknown().optional() });
const callbackBody = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: z.string().optional(),
      CheckoutRequestID: z.string().min(1).max(64),
      ResultCode: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number),
      ResultDesc: z.string().max(1000).optional(),
      CallbackMetadata: z.object({ Item: z.array(item).max(20) }).optional(),
    }),
  }),
});

/** Our tokens: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type CallbackOutcome = 'settled' | 'replayed' | 'receipt_added' | 'ignored';

export class PaymentCallbacks {
  constructor(
    private readonly directory: PaymentDirectory,
    private readonly payments: PaymentService,
    private readonly logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  ) {}

  async handle(token: string, rawBody: string): Promise<CallbackOutcome> {
    if (!TOKEN.test(token)) return this.ignore({}, 'not one of our callback tokens');
    const found = await this.directory.byCallbackToken(hashCallbackToken(token));
    if (!found) return this.ignore({}, 'unknown callback token');
    const log = { tenantId: found.tenantId, paymentId: found.paymentId };
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return this.ignore(log, 'body is not JSON');
    }
    const parsed = callbackBody.safeParse(json);
    if (!parsed.success) return this.ignore(log, 'body is not an stkCallback');
    const callback = parsed.data.Body.stkCallback;
    const store = this.payments.store(found.tenantId);
    const payment = await store.get(found.paymentId);
    if (!payment) return this.ignore(log, 'payment no longer exists');
    if (payment.checkoutRequestId !== null && payment.checkoutRequestId !== callback.CheckoutRequestID) {
      return this.ignore(log, "CheckoutRequestID is not this payment's");
    }
    const meta = new Map((callback.CallbackMetadata?.Item ?? []).map((i) => [i.Name, i.Value]));
    const resultDesc = callback.ResultDesc ?? '';
    if (callback.ResultCode === 0) {
      const amount = Number(meta.get('Amount'));
      if (amount !== payment.amount)
        return this.ignore(
          { ...log, amount: Number.isFinite(amount) ? amount : null, expected: payment.amount },
          "amount differs from the payment's",
        );
      const receipt = receiptOf(meta.get('MpesaReceiptNumber'));
      const settled = await this.payments.settle(
        found.tenantId,
        payment.id,
        { status: 'paid', resultCode: 0, resultDesc, receiptNumber: receipt },
        'callback',
        callback.CheckoutRequestID,
      );
      if (settled) return 'settled';
      // The query may have settled it first, without a receipt number (the query does not give one).
      if (receipt && (await store.addReceipt(payment.id, receipt))) {
        this.logger.info(log, 'receipt number added to a payment the query had settled');
        return 'receipt_added';
      }
      return this.replayed(log, payment.status);
    }
    const settled = await this.payments.settle(
      found.tenantId,
      payment.id,
      {
        status: 'failed',
        resultCode: callback.ResultCode,
        resultDesc,
        failureReason: failureReasonOf(callback.ResultCode),
      },
      'callback',
      callback.CheckoutRequestID,
    );
    return settled ? 'settled' : this.replayed(log, payment.status);
  }

  private replayed(log: object, status: string): CallbackOutcome {
    this.logger.info({ ...log, status }, 'callback for a payment already settled; nothing changed');
    return 'replayed';
  }

  private ignore(log: object, reason: string): CallbackOutcome {
    this.logger.warn({ ...log, reason }, 'M-Pesa callback ignored');
    return 'ignored';
  }
}

function receiptOf(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Z0-9]{6,20}$/i.test(value) ? value.toUpperCase() : null;
}
