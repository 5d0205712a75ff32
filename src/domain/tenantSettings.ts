// A tenant's settings: the columns of bot_control_settings and the keys of its metadata the bot
// reads, defined once. The same field definitions validate the admin API's settings body (a bad
// value is refused there, naming the key) and read the stored row when the tenant's context loads
// (a bad value stored by SQL falls back to its default, so it never stops replies). Metadata keys
// not named here are the tenant's own custom data (the spec's "Custom settings") and are kept.
import { z } from 'zod';
import { DEFAULT_FAQ_THRESHOLD } from './faqMatcher.js';

const NUL = '\u0000';
/** A WhatsApp text holds 4096 characters. */
const MESSAGE_MAX = 4096;
const NOTICE_MAX = 1000;

const text = (max: number) =>
  z
    .string({ error: 'must be a text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes(NUL), 'must not contain NUL characters');
const onOff = z.boolean({ error: 'must be true or false' });

/** The metadata keys the bot reads; each is optional in a request and has a default when read. */
export const settingsMetadataFields = {
  faq_threshold: z
    .number({ error: 'must be a number above 0 and at most 1' })
    .gt(0, 'must be above 0')
    .lte(1, 'must be at most 1')
    .describe('Score an FAQ must reach to be sent verbatim'),
  fallback_message: text(MESSAGE_MAX).describe('Sent when no AI provider answers'),
  rate_limit_message: text(MESSAGE_MAX).describe('Sent once per window to a customer over a rate limit'),
  handoff_message: text(NOTICE_MAX).describe('Added to the answer when a person takes the conversation over'),
  handoff_hours: z
    .number({ error: 'must be a number of hours above 0 and at most 720' })
    .positive('must be above 0')
    .max(24 * 30, 'must be at most 720 (30 days)')
    .describe('How long the bot stays quiet for a handed-over customer'),
  training_prompt: text(NOTICE_MAX).describe('Ends FAQ and AI answers in training mode'),
  rating_thanks: text(NOTICE_MAX).describe('The answer to a rating'),
  escalation_template: z
    .object({ name: text(512), language: text(16).default('en') }, { error: 'must be {"name": ..., "language": ...}' })
    .describe('An approved template for the notice to escalation_phone (usually outside the 24-hour window)'),
  location_reply: text(NOTICE_MAX).describe('Sent instead of asking the AI when a customer shares a location'),
  sticker_reply: text(NOTICE_MAX),
  unsupported_reply: text(NOTICE_MAX),
  contacts_reply: text(NOTICE_MAX).describe('{contacts} is replaced by the names'),
  order_reply: text(NOTICE_MAX).describe('{items} is replaced by the items ordered'),
  edit_reply: text(NOTICE_MAX),
  // Not columns of the spec's table: the admin API also takes them as top-level fields.
  read_receipts: onOff.describe("Mark customers' messages read (blue ticks) when the bot starts on them"),
  typing_indicator: onOff.describe('Show "typing…" while an AI answer is prepared'),
};

type Fields = typeof settingsMetadataFields;
export type SettingsMetadata = { [K in keyof Fields]: z.output<Fields[K]> };
/** What the bot uses: every key present; null where the default is "nothing of the tenant's own". */
export type SettingsTexts = Omit<
  SettingsMetadata,
  'fallback_message' | 'rate_limit_message' | 'escalation_template' | 'location_reply'
> & {
  fallback_message: string | null;
  rate_limit_message: string | null;
  escalation_template: SettingsMetadata['escalation_template'] | null;
  location_reply: string | null;
};

export const DEFAULT_SETTINGS_TEXTS: SettingsTexts = {
  faq_threshold: DEFAULT_FAQ_THRESHOLD,
  fallback_message: null,
  rate_limit_message: null,
  handoff_message: 'A member of our team will follow up with you here shortly.',
  handoff_hours: 24,
  training_prompt: 'Did this help? Reply 👍 or 👎',
  rating_thanks: 'Thank you for your feedback!',
  escalation_template: null,
  location_reply: null,
  sticker_reply:
    "Thanks for the sticker! I can only answer written messages, so please type your question and I'll gladly help.",
  unsupported_reply:
    "Sorry, I can't open this kind of message. Please send your question as text and I'll gladly help.",
  contacts_reply: 'Thank you for sharing the contact details of {contacts}. We have received them.',
  order_reply:
    'Thank you for your order! We have received it and someone from our team will confirm it with you shortly.\n\n{items}',
  edit_reply: 'I see you edited a message. If you still need help, please send your question again as a new message.',
  read_receipts: true,
  typing_indicator: true,
};

/** The admin API's metadata patch: known keys validated, null removes a key (its default returns), other keys kept. */
export const settingsMetadataPatch = z.looseObject(
  Object.fromEntries(
    Object.entries(settingsMetadataFields).map(([key, field]) => [key, field.nullable().optional()]),
  ) as {
    [K in keyof Fields]: z.ZodOptional<z.ZodNullable<Fields[K]>>;
  },
);

/** The stored metadata as the bot reads it: a value that does not pass its field reads as the default. */
export function settingsTextsOf(metadata: Record<string, unknown>): SettingsTexts {
  const texts: Record<string, unknown> = { ...DEFAULT_SETTINGS_TEXTS };
  for (const [key, field] of Object.entries(settingsMetadataFields)) {
    const value = metadata[key];
    if (value === undefined || value === null) continue;
    const parsed = (field as z.ZodType).safeParse(value);
    if (parsed.success) texts[key] = parsed.data;
  }
  return texts as SettingsTexts;
}

/** The columns of bot_control_settings, as stored. */
export interface SettingsColumns {
  isBotEnabled: boolean;
  enableAiResponses: boolean;
  enableAutoReply: boolean;
  enableTrainingMode: boolean;
  /** Payments in the chat (M-Pesa): orders are offered for payment, PAY sends the prompt. */
  enablePaymentFlow: boolean;
  maxMessagesPerHour: number;
  maxMessagesPerUserPerDay: number;
  /** Off: message bodies are erased from the log once the message is finished. */
  logConversations: boolean;
  /** Off: error texts are erased from the log (the status stays). */
  logErrors: boolean;
  escalationPhone: string | null;
  escalationEmail: string | null;
  metadata: Record<string, unknown>;
}

/** One tenant's settings, read once when its context loads and passed to every step of a turn. */
export interface TenantSettings extends Omit<SettingsColumns, 'metadata'> {
  texts: SettingsTexts;
}

export function tenantSettingsOf(columns: SettingsColumns): TenantSettings {
  const { metadata, ...rest } = columns;
  return { ...rest, texts: settingsTextsOf(metadata) };
}

/** Fills `{name}` placeholders; an unknown placeholder is left as written. */
export function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole).trim();
}
