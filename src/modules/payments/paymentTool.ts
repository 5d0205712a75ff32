// The AI's way to ask for a payment: a `request_payment` function offered only when the tenant's
// payment flow is on and M-Pesa is set up. A call never pushes anything: it puts the amount to the
// customer ("Reply PAY ...") as an offer, and only the customer's PAY sends the prompt. The amount
// must be whole shillings, within the tenant's maximum, and a price the tenant's own FAQ, rules or
// template states: a price the model made up is refused.
import { z } from 'zod';
import type { AiToolCall, AiToolDefinition } from '../../domain/aiTypes.js';
import {
  ACCOUNT_REFERENCE_MAX,
  TRANSACTION_DESC_MAX,
  amountProblem,
  darajaText,
  kenyanMobile,
  shillings,
} from '../../domain/mpesaFields.js';
import { payOffer } from '../../domain/mpesaResult.js';
import type { AnswerTools } from '../replies/answerTools.js';
import type { TenantContext } from '../replies/tenantContextCache.js';
import type { Turn } from '../replies/turn.js';
import { PaymentRefused, type PaymentService } from './paymentService.js';

export const REQUEST_PAYMENT: AiToolDefinition = {
  name: 'request_payment',
  description:
    'Ask the customer to pay by M-Pesa. Call it only when the customer wants to pay for something whose price is written in the ' +
    "business's FAQ or instructions, with exactly that price in whole Kenyan shillings. The customer is then asked to confirm the " +
    'amount by replying PAY; never say that a payment was made or sent.',
  parameters: {
    type: 'object',
    properties: {
      amount: {
        type: 'integer',
        minimum: 1,
        description: 'The price in whole Kenyan shillings, as the business states it',
      },
      description: { type: 'string', maxLength: 60, description: 'What is being paid for, in a few words' },
    },
    required: ['amount', 'description'],
    additionalProperties: false,
  },
};

const args = z.object({ amount: z.number(), description: z.string().max(200).default('') });

export const paymentToolWords = {
  offer: (description: string, amount: number) =>
    `${description ? `${description}: ` : ''}${shillings(amount)}. ${payOffer(amount)}`,
  unstated:
    "I couldn't find that price in our list, so I can't ask you for a payment yet. A member of our team will confirm the amount with you.",
  overMaximum: (maximum: number) =>
    `That is above the ${shillings(maximum)} we can collect by M-Pesa here; a member of our team will arrange the payment with you.`,
};

export class PaymentTool implements AnswerTools {
  constructor(
    private readonly payments: PaymentService,
    private readonly logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  ) {}

  async offered(turn: Turn): Promise<AiToolDefinition[]> {
    const { job } = turn;
    if (!turn.settings.enablePaymentFlow || !kenyanMobile(job.userPhone)) return [];
    const ready = await this.payments
      .readyAccount(job.tenantId)
      .catch((err: unknown) => (err instanceof PaymentRefused ? null : Promise.reject(err)));
    return ready ? [REQUEST_PAYMENT] : [];
  }

  async run(turn: Turn, calls: AiToolCall[], aiText: string): Promise<string | null> {
    const call = calls.find((c) => c.name === REQUEST_PAYMENT.name);
    if (!call) return null;
    const { job, log } = turn;
    let parsed: z.infer<typeof args> | null = null;
    try {
      const result = args.safeParse(JSON.parse(call.arguments));
      parsed = result.success ? result.data : null;
    } catch {
      parsed = null;
    }
    const ready = await this.payments
      .readyAccount(job.tenantId)
      .catch((err: unknown) => (err instanceof PaymentRefused ? null : Promise.reject(err)));
    const phone = kenyanMobile(job.userPhone);
    if (!parsed || !ready || !phone) {
      this.logger.warn(
        { ...log, reason: parsed ? 'payments are not set up' : 'arguments not understood' },
        'AI payment request refused',
      );
      return aiText || paymentToolWords.unstated;
    }
    const problem = amountProblem(parsed.amount, ready.account.maxAmount);
    if (problem === 'over_maximum') return paymentToolWords.overMaximum(ready.account.maxAmount);
    if (problem !== null || !statedPrices(turn.tenant).has(parsed.amount)) {
      this.logger.warn(
        { ...log, amount: parsed.amount, reason: problem ?? 'price not stated by the tenant' },
        'AI payment request refused',
      );
      return paymentToolWords.unstated;
    }
    const description = darajaText(parsed.description, 60, '');
    const store = this.payments.store(job.tenantId);
    // A retried message offers once.
    if (!(await store.byInbound(job.id))) {
      await store.create(
        {
          phone,
          amount: parsed.amount,
          source: 'ai',
          inboundLogId: job.id,
          reference: darajaText(description.replace(/\s+/g, ''), ACCOUNT_REFERENCE_MAX, 'Payment'),
          description: darajaText(description, TRANSACTION_DESC_MAX, 'Payment'),
        },
        null,
      );
      this.logger.info(
        { ...log, amount: parsed.amount },
        'AI offered a payment; waiting for the customer to reply PAY',
      );
    }
    const offer = paymentToolWords.offer(description, parsed.amount);
    return aiText ? `${aiText}\n\n${offer}` : offer;
  }
}

/** Every whole number the tenant's FAQ, rules, examples and template write ("4,500", "KES 4500", "Ksh. 1,200/="). */
export function statedPrices(context: TenantContext): Set<number> {
  const texts = [
    context.configuration.template?.systemPrompt ?? '',
    ...context.configuration.training.flatMap((row) => [row.question, row.answer]),
  ];
  const numbers = texts.join('\n').match(/\d{1,3}(?:,\d{3})+|\d+/g) ?? [];
  return new Set(numbers.map((n) => Number(n.replace(/,/g, ''))).filter((n) => Number.isSafeInteger(n)));
}
