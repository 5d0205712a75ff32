// What an STK push's ResultCode means, as a reason the business reads in its payment list and
// analytics, and the short words the customer gets on WhatsApp with how to try again.
import { shillings } from './mpesaFields.js';

export const FAILURE_REASONS = [
  'cancelled',
  'timeout',
  'wrong_pin',
  'insufficient_funds',
  'busy',
  'daraja_error',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Daraja's result codes for Lipa na M-Pesa Online (0 is success). */
export function failureReasonOf(resultCode: number): FailureReason {
  switch (resultCode) {
    case 1032:
      return 'cancelled';
    case 1037:
    case 1019:
      return 'timeout';
    case 2001:
      return 'wrong_pin';
    case 1:
      return 'insufficient_funds';
    case 1001:
      return 'busy';
    default:
      return 'other';
  }
}

const CUSTOMER_WORDS: Record<FailureReason, string> = {
  cancelled: 'the M-Pesa prompt was cancelled',
  timeout: 'the M-Pesa prompt was not answered in time',
  wrong_pin: 'the M-Pesa PIN entered was wrong',
  insufficient_funds: 'your M-Pesa balance was not enough',
  busy: 'another M-Pesa payment was in progress on your number',
  daraja_error: 'M-Pesa could not be reached',
  other: 'M-Pesa did not complete it',
};

export function paidNotice(amount: number, receipt: string | null, business: string): string {
  return receipt
    ? `Payment received: ${shillings(amount)} to ${business}. M-Pesa receipt ${receipt}. Thank you!`
    : `Payment received: ${shillings(amount)} to ${business}. Your M-Pesa message has the receipt number. Thank you!`;
}

export function failedNotice(amount: number, reason: FailureReason, chat: boolean): string {
  const again = chat ? 'Reply PAY to get a new prompt' : 'Ask us for a new prompt';
  return `Your payment of ${shillings(amount)} did not go through: ${CUSTOMER_WORDS[reason]}. ${again} when you are ready.`;
}

export function payOffer(amount: number): string {
  return `Reply PAY to get an M-Pesa prompt for ${shillings(amount)} on this number.`;
}

/** PAY or lipa (Swahili: pay), alone, in any case, with a full stop or an exclamation at most. */
export function isPayCommand(text: string): boolean {
  return /^\s*(?:pay|lipa)\s*[.!]*\s*$/i.test(text);
}
