// Payments whose callback has not come: MPESA_QUERY_AFTER_S after the push (and again later, less
// and less often) Daraja is asked how the payment ended, and its answer settles the payment just
// as the callback would have, once, whichever comes first. A push whose answer never arrived (a
// crash during the call) cannot be queried and ends failed.
import { DarajaError } from '../../domain/darajaError.js';
import { errorText } from '../../domain/errorText.js';
import { failureReasonOf } from '../../domain/mpesaResult.js';
import type { DarajaGateway, PaymentDirectory } from './ports.js';
import { PaymentRefused, type PaymentService } from './paymentService.js';
import { PeriodicJob } from '../operations/periodicJob.js';

const BATCH = 20;
/** A claimed payment is skipped by other sweeps this long, time enough to query it. */
const LEASE_MS = 60_000;
/** After this many queries without a result the payment ends failed. */
export const MAX_QUERIES = 12;
const MAX_INTERVAL_MS = 30 * 60_000;

export interface PaymentReconcilerOptions {
  directory: PaymentDirectory;
  payments: PaymentService;
  daraja: DarajaGateway;
  /** MPESA_QUERY_AFTER_S in ms: also the first interval between queries. */
  queryAfterMs: number;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class PaymentReconciler {
  private readonly job: PeriodicJob;

  constructor(private readonly options: PaymentReconcilerOptions) {
    this.job = new PeriodicJob(() => this.sweep(), Math.min(30_000, Math.max(250, options.queryAfterMs / 2)));
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Queries every due payment; resolves with how many were claimed. */
  async sweep(): Promise<number> {
    let claimed = 0;
    try {
      for (;;) {
        const due = await this.options.directory.claimDueQueries(BATCH, LEASE_MS);
        claimed += due.length;
        await Promise.all(due.map((d) => this.reconcile(d.tenantId, d.paymentId, d.attempts)));
        if (due.length < BATCH) return claimed;
      }
    } catch (err) {
      this.options.logger.warn({ error: errorText(err) }, 'pending payments could not be swept; trying again later');
      return claimed;
    }
  }

  private async reconcile(tenantId: string, paymentId: string, attempts: number): Promise<void> {
    const { payments } = this.options;
    const store = payments.store(tenantId);
    const log = { tenantId, paymentId, attempt: attempts };
    const payment = await store.get(paymentId);
    if (payment?.status !== 'pending') return;
    const giveUp = (resultDesc: string) =>
      payments.settle(
        tenantId,
        paymentId,
        { status: 'failed', resultCode: null, resultDesc, failureReason: 'timeout' },
        'query',
        null,
      );
    if (!payment.checkoutRequestId) {
      await payments.settle(
        tenantId,
        paymentId,
        {
          status: 'failed',
          resultCode: null,
          resultDesc: "Daraja's answer to the push never arrived",
          failureReason: 'daraja_error',
        },
        'query',
        null,
      );
      return;
    }
    try {
      const { daraja } = await payments.readyAccount(tenantId);
      const answer = await this.options.daraja.query(daraja, payment.checkoutRequestId);
      if (answer.kind === 'result') {
        const settlement =
          answer.resultCode === 0
            ? { status: 'paid' as const, resultCode: 0 as const, resultDesc: answer.resultDesc, receiptNumber: null }
            : {
                status: 'failed' as const,
                resultCode: answer.resultCode,
                resultDesc: answer.resultDesc,
                failureReason: failureReasonOf(answer.resultCode),
              };
        await payments.settle(tenantId, paymentId, settlement, 'query', payment.checkoutRequestId);
        return;
      }
      this.options.logger.info(log, 'payment still being processed by M-Pesa');
    } catch (err) {
      if (!(err instanceof DarajaError) && !(err instanceof PaymentRefused)) throw err;
      this.options.logger.warn({ ...log, error: err.message }, 'payment could not be queried');
    }
    if (attempts >= MAX_QUERIES) {
      await giveUp(`no result from M-Pesa after ${attempts} queries`);
      return;
    }
    const interval = Math.min(MAX_INTERVAL_MS, this.options.queryAfterMs * 2 ** Math.max(0, attempts - 1));
    await store.queryAgainAt(paymentId, new Date(Date.now() + interval));
  }
}
