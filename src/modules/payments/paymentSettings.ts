// The tenant's M-Pesa settings, kept in bot_control_settings.metadata under these names and shown
// and written as top-level settings beside enable_payment_flow. Self-contained so the settings
// schema can spread `mpesaSettingsFields` into its body and its view.
import { z } from 'zod';
import { MPESA_MAX_AMOUNT } from '../../domain/mpesaFields.js';
import { TRANSACTION_TYPES, type TransactionType } from './ports.js';

const shortcode = z.string().regex(/^\d{5,10}$/, 'must be the 5 to 10 digits of a paybill or till number');

export const mpesaSettingsFields = {
  mpesa_shortcode: shortcode
    .nullable()
    .describe('The Lipa na M-Pesa Online (paybill or till) shortcode that signs the STK push'),
  mpesa_transaction_type: z
    .enum(TRANSACTION_TYPES, { error: `must be one of ${TRANSACTION_TYPES.join(', ')}` })
    .nullable()
    .describe('CustomerPayBillOnline (default) or CustomerBuyGoodsOnline (a till)'),
  mpesa_party_b: shortcode.nullable().describe('The till or paybill that receives the money; null: the shortcode'),
  mpesa_max_amount: z
    .number({ error: `must be a whole number of shillings from 1 to ${MPESA_MAX_AMOUNT}` })
    .int(`must be a whole number of shillings from 1 to ${MPESA_MAX_AMOUNT}`)
    .min(1, 'must be at least 1')
    .max(MPESA_MAX_AMOUNT, `must be at most ${MPESA_MAX_AMOUNT} (Daraja's own limit)`)
    .nullable()
    .describe(`The most one payment may ask for, in shillings; null: ${MPESA_MAX_AMOUNT}`),
};

export const MPESA_SETTING_NAMES = Object.keys(mpesaSettingsFields) as (keyof typeof mpesaSettingsFields)[];

export interface MpesaSettings {
  mpesa_shortcode: string | null;
  mpesa_transaction_type: TransactionType | null;
  mpesa_party_b: string | null;
  mpesa_max_amount: number | null;
}

export type MpesaSettingsFields = Partial<MpesaSettings>;

/** The settings as stored (a value written by SQL that does not fit counts as unset). */
export function mpesaSettingsOf(metadata: Record<string, unknown>): MpesaSettings {
  const read = <K extends keyof MpesaSettings>(name: K): MpesaSettings[K] => {
    const parsed = mpesaSettingsFields[name].safeParse(metadata[name]);
    return (parsed.success ? parsed.data : null) as MpesaSettings[K];
  };
  return {
    mpesa_shortcode: read('mpesa_shortcode'),
    mpesa_transaction_type: read('mpesa_transaction_type'),
    mpesa_party_b: read('mpesa_party_b'),
    mpesa_max_amount: read('mpesa_max_amount'),
  };
}

/** The metadata patch for the settings a request names: null removes the key. */
export function mpesaMetadataPatch(fields: MpesaSettingsFields): Record<string, unknown> {
  return Object.fromEntries(
    MPESA_SETTING_NAMES.flatMap((name) => (fields[name] === undefined ? [] : [[name, fields[name]]])),
  );
}
