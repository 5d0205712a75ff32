// Payment collection in the conversation, around the reply composer: with enable_payment_flow on
// and M-Pesa set up, a catalog order is answered with its total and the offer to pay it ("Reply
// PAY ..."), and PAY (or lipa) alone sends the M-Pesa prompt to the customer's own number for the
// amount last put to them. Nothing is pushed that the customer was not shown and did not confirm.
import { randomBytes } from 'node:crypto';
import { orderOf } from '../../domain/messageDescriptions.js';
import {
  ACCOUNT_REFERENCE_MAX,
  TRANSACTION_DESC_MAX,
  darajaText,
  kenyanMobile,
  shillings,
} from '../../domain/mpesaFields.js';
import { isPayCommand, payOffer } from '../../domain/mpesaResult.js';
import { orderTotalShillings } from '../../domain/orderTotal.js';
import type { Composer } from '../replies/customerCare.js';
import type { DecidedReply, ReplyJob } from '../replies/ports.js';
import type { Composition } from '../replies/replyComposer.js';
import type { Turn } from '../replies/turn.js';
import type { Payment } from './ports.js';
import { PaymentRefused, type PaymentService } from './paymentService.js';

/** How long an amount put to the customer may be confirmed with PAY. */
export const OFFER_VALID_MS = 24 * 60 * 60_000;

export const chatPaymentWords = {
  promptSent: (amount: number) =>
    `I've sent an M-Pesa prompt for ${shillings(amount)} to this number. Enter your M-Pesa PIN on your phone to pay; I'll confirm here when it's done.`,
  alreadyPending: (amount: number) =>
    `An M-Pesa prompt for ${shillings(amount)} is already on its way to this number. Please enter your PIN there.`,
  alreadyPaid: (amount: number, receipt: string | null) =>
    `Your payment of ${shillings(amount)} is already received${receipt ? ` (M-Pesa receipt ${receipt})` : ''}. There is nothing more to pay.`,
  nothingToPay:
    'There is no payment waiting for you right now. Send us your order, or ask us for a price, and we will tell you the amount first.',
  notKenyan: 'Sorry, M-Pesa prompts can only go to a Kenyan mobile number. Please contact us to arrange payment.',
  orderTotal: (amount: number) => `Total: ${shillings(amount)}. ${payOffer(amount)}`,
  overMaximum: (amount: number, maximum: number) =>
    `The total is ${shillings(amount)}, above the ${shillings(maximum)} we can collect by M-Pesa here; we will contact you to arrange payment.`,
};

export class ChatPayments implements Composer {
  constructor(
    private readonly inner: Composer,
    private readonly payments: PaymentService,
    private readonly logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  ) {}

  async compose(turn: Turn, conversation: { handedOver: boolean }): Promise<Composition> {
    const { job } = turn;
    if (!turn.settings.enablePaymentFlow) return this.inner.compose(turn, conversation);
    if (job.messageType === 'order') return this.order(turn, conversation);
    if (job.messageType === 'text' && job.text && isPayCommand(job.text)) {
      // A person has the conversation (the controls found it paused): PAY is theirs to handle.
      if (conversation.handedOver) return this.inner.compose(turn, conversation);
      const answer = await this.pay(job).catch((err: unknown) => {
        if (!(err instanceof PaymentRefused)) throw err;
        this.logger.warn({ ...turn.log, reason: err.message }, 'PAY received, but payments cannot start');
        return null;
      });
      if (answer) return { kind: 'reply', reply: notice(answer) };
    }
    return this.inner.compose(turn, conversation);
  }

  /** The order's usual answer, followed by its total and the offer to pay it. */
  private async order(turn: Turn, conversation: { handedOver: boolean }): Promise<Composition> {
    const { job } = turn;
    const composition = await this.inner.compose(turn, conversation);
    if (composition.kind !== 'reply') return composition;
    const order = orderOf(job.whatsapp);
    const total = order ? orderTotalShillings(order) : null;
    const phone = kenyanMobile(job.userPhone);
    if (total === null || phone === null) return composition;
    const ready = await this.payments
      .readyAccount(job.tenantId)
      .catch((err: unknown) => (err instanceof PaymentRefused ? null : Promise.reject(err)));
    if (!ready) return composition;
    const payments = this.payments.store(job.tenantId);
    let addition: string;
    if (total > ready.account.maxAmount) {
      addition = chatPaymentWords.overMaximum(total, ready.account.maxAmount);
    } else {
      // A retried order message offers the amount once.
      if (!(await payments.byInbound(job.id))) {
        const reference = darajaText(`Order ${job.whatsappMessageId.slice(-6)}`, ACCOUNT_REFERENCE_MAX, 'Order');
        await payments.create(
          {
            phone,
            amount: total,
            reference,
            description: darajaText('Order', TRANSACTION_DESC_MAX, 'Order'),
            source: 'order',
            inboundLogId: job.id,
          },
          null,
        );
      }
      addition = chatPaymentWords.orderTotal(total);
    }
    return { kind: 'reply', reply: { ...composition.reply, text: `${composition.reply.text}\n\n${addition}` } };
  }

  /** PAY: the prompt for the amount last put to this customer; a retried PAY answers as the first did. */
  private async pay(job: ReplyJob): Promise<string> {
    const payments = this.payments.store(job.tenantId);
    const earlier = await payments.byInbound(job.id);
    if (earlier) return this.answerFor(earlier, job);
    const phone = kenyanMobile(job.userPhone);
    if (!phone) return chatPaymentWords.notKenyan;
    const ready = await this.payments.readyAccount(job.tenantId);
    const latest = await payments.latestChatPayment(phone, OFFER_VALID_MS);
    if (!latest) return chatPaymentWords.nothingToPay;
    if (latest.status === 'pending') return chatPaymentWords.alreadyPending(latest.amount);
    if (latest.status === 'paid') return chatPaymentWords.alreadyPaid(latest.amount, latest.receiptNumber);
    const token = randomBytes(32).toString('base64url');
    const pending = this.payments.pendingFields(token, ready.daraja.shortcode);
    // An offer is confirmed once (a second PAY finds it pending); a failed one is asked for again, same amount.
    const payment =
      latest.status === 'offered'
        ? await payments.confirmOffer(latest.id, job.id, pending)
        : await payments.create(
            {
              phone,
              amount: latest.amount,
              reference: latest.reference,
              description: latest.description,
              source: latest.source,
              inboundLogId: job.id,
            },
            pending,
          );
    if (!payment) return chatPaymentWords.alreadyPending(latest.amount);
    this.logger.info(
      { tenantId: job.tenantId, messageId: job.whatsappMessageId, paymentId: payment.id },
      'the customer confirmed a payment with PAY',
    );
    // A refusal is told in this answer, not in a second message.
    return this.answerFor(await this.payments.push(payment, token, ready, { notifyFailure: false }), job);
  }

  private async answerFor(payment: Payment, job: ReplyJob): Promise<string> {
    if (payment.status === 'pending' || payment.status === 'offered')
      return chatPaymentWords.promptSent(payment.amount);
    if (payment.settledBy === 'request') {
      const account = await this.payments.store(job.tenantId).account();
      return this.payments.noticeFor(payment, account?.tenantName ?? '');
    }
    return chatPaymentWords.promptSent(payment.amount);
  }
}

function notice(text: string): DecidedReply {
  return { text, source: 'notice', trainingDataId: null, aiModelUsed: null, templateUsed: null, error: null };
}
