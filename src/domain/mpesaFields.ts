// What Daraja accepts in an STK push, checked and shaped before anything is sent: a Kenyan mobile
// number as 2547XXXXXXXX or 2541XXXXXXXX, a whole number of shillings, and the two short texts
// Daraja cuts or refuses when longer (AccountReference 12, TransactionDesc 13 characters).

/** Daraja's own ceiling for one Lipa na M-Pesa Online payment; a tenant may set a lower one. */
export const MPESA_MAX_AMOUNT = 250_000;
export const ACCOUNT_REFERENCE_MAX = 12;
export const TRANSACTION_DESC_MAX = 13;

/**
 * 2547XXXXXXXX / 2541XXXXXXXX from the ways people write them: 07..., 01..., +254 7..., 254-7...,
 * or the nine digits alone. Null for anything else (a landline, another country, too few digits).
 */
export function kenyanMobile(input: string): string | null {
  const trimmed = input.trim();
  if (!/^\+?[0-9 ()-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  const national =
    digits.startsWith('254') && digits.length === 12
      ? digits.slice(3)
      : digits.startsWith('0') && digits.length === 10
        ? digits.slice(1)
        : digits.length === 9
          ? digits
          : null;
  return national && /^[17]\d{8}$/.test(national) ? `254${national}` : null;
}

export type AmountProblem = 'not_whole' | 'not_positive' | 'over_maximum';

/** Why an amount cannot be asked for, or null when it can (whole shillings, 1 up to the maximum). */
export function amountProblem(amount: number, maximum: number): AmountProblem | null {
  if (!Number.isFinite(amount) || !Number.isInteger(amount)) return 'not_whole';
  if (amount < 1) return 'not_positive';
  if (amount > maximum) return 'over_maximum';
  return null;
}

/** Daraja's AccountReference and TransactionDesc: letters, digits and a few marks, cut to fit. */
export function darajaText(value: string, max: number, fallback: string): string {
  const cleaned = value
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 _.#-]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
  return cleaned || fallback.slice(0, max);
}

/** "KES 4,500": how amounts are written to customers. */
export function shillings(amount: number): string {
  return `KES ${amount.toLocaleString('en-US')}`;
}
