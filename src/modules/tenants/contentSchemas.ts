// Request and response shapes of the template, training, settings and message-log endpoints.
// Bodies and queries are strict: an unknown field is an error naming it, never silently dropped.
import { z } from 'zod';
import { settingsMetadataPatch } from '../../domain/tenantSettings.js';
import { pageQuery, tenantParams } from './adminSchemas.js';
import { contentFields } from './contentFields.js';
import { MESSAGE_DIRECTIONS, TRAINING_DATA_TYPES } from './ports.js';
import { mpesaSettingsFields } from '../payments/paymentSettings.js';

const { text, clearableText, jsonObject, phone, email } = contentFields;
const JSON_FIELD_MAX_BYTES = 16 * 1024;
const atLeastOneField = (body: object) => Object.keys(body).length > 0;
const boolQuery = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const limitCount = (max: number) =>
  z
    .number({ error: `must be a whole number from 0 to ${max}` })
    .int(`must be a whole number from 0 to ${max}`)
    .min(0, 'must be at least 0')
    .max(max, `must be at most ${max}`);

// ---- templates

const templateFields = {
  template_name: text(1, 255),
  system_prompt: clearableText(8000),
  conversation_context: jsonObject(JSON_FIELD_MAX_BYTES).describe(
    'What the AI should know from earlier conversations: each entry reaches the prompt as "name: value"',
  ),
  tone: clearableText(32),
  max_response_length: z
    .number({ error: 'must be a whole number from 1 to 4096' })
    .int('must be a whole number from 1 to 4096')
    .min(1, 'must be at least 1')
    .max(4096, 'must be at most 4096 (a WhatsApp text holds 4096 characters)')
    .nullable(),
  is_active: z.boolean({ error: 'must be true or false' }),
  is_default: z.boolean({ error: 'must be true or false' }),
  metadata: jsonObject(JSON_FIELD_MAX_BYTES).describe(
    'Custom instructions: "instructions" (a text or a list of texts) reach the AI prompt; other keys are kept as they are',
  ),
};

export const newTemplateBody = z.strictObject(templateFields).partial().required({ template_name: true });
export const templatePatchBody = z
  .strictObject(templateFields)
  .partial()
  .refine(atLeastOneField, 'give at least one field to change');
export const templateParams = tenantParams.extend({ templateId: z.string().describe('Template id (UUID)') });

export const templateView = z.object({
  id: z.string(),
  template_name: z.string(),
  system_prompt: z.string().nullable(),
  conversation_context: z.record(z.string(), z.unknown()),
  tone: z.string().nullable(),
  max_response_length: z.number().nullable(),
  is_active: z.boolean(),
  is_default: z.boolean().describe('Exactly one active template is the default'),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

// ---- training rows

export const trainingParams = tenantParams.extend({ rowId: z.string().describe('Training row id (UUID)') });

export const trainingListQuery = z.strictObject({
  ...pageQuery.shape,
  data_type: z.enum(TRAINING_DATA_TYPES, { error: `must be one of ${TRAINING_DATA_TYPES.join(', ')}` }).optional(),
  category: text(1, 64).optional(),
  is_active: boolQuery.optional(),
  q: text(1, 255).optional().describe('Part of the question or answer, case-insensitive'),
});

export const importQuery = z.strictObject({
  mode: z
    .enum(['append', 'replace'], { error: 'must be append or replace' })
    .default('append')
    .describe('replace deletes every existing row first'),
  partial: boolQuery
    .default(false)
    .describe('true: write the good rows and report the bad; false: any bad row means nothing is written'),
});

export const exportQuery = z.strictObject({
  format: z.enum(['csv', 'json'], { error: 'must be csv or json' }).default('json'),
});

export const trainingRowView = z.object({
  id: z.string(),
  data_type: z.string(),
  question: z.string().nullable(),
  answer: z.string().nullable(),
  category: z.string().nullable(),
  priority: z.number(),
  confidence_score: z.number(),
  is_active: z.boolean(),
  variants: z.array(z.string()).describe('Alternative wordings of the question'),
  created_at: z.string(),
  updated_at: z.string(),
});

const importRowError = z.object({ row: z.number(), field: z.string().nullable(), message: z.string() });
export const importResult = z.object({ imported: z.number(), replaced: z.number(), errors: z.array(importRowError) });
export const importRejected = z.object({
  error: z.string(),
  details: z.string(),
  imported: z.number(),
  errors: z.array(importRowError),
});

/** What a JSON export holds: exactly what a JSON import takes. */
export const trainingExportRow = z.object({
  question: z.string().nullable(),
  answer: z.string().nullable(),
  data_type: z.string(),
  category: z.string().nullable(),
  priority: z.number(),
  confidence_score: z.number(),
  is_active: z.boolean(),
  variants: z.array(z.string()),
});

// ---- control settings

// The metadata keys the bot reads are checked by the same definitions the worker reads them with
// (domain/tenantSettings.ts), and the M-Pesa keys by the payments' own (paymentSettings.ts, also
// accepted as top-level fields): a bad value is refused here rather than ignored at every message.
// Other keys are the tenant's own custom settings and are kept as given.
const settingsMetadata = jsonObject(JSON_FIELD_MAX_BYTES).pipe(
  settingsMetadataPatch.extend(
    Object.fromEntries(Object.entries(mpesaSettingsFields).map(([key, field]) => [key, field.optional()])) as {
      [K in keyof typeof mpesaSettingsFields]: z.ZodOptional<(typeof mpesaSettingsFields)[K]>;
    },
  ),
);

// The on/off switches of bot_control_settings, the same in what is written and what is shown.
const settingsSwitches = {
  is_bot_enabled: z.boolean(),
  enable_ai_responses: z.boolean(),
  enable_payment_flow: z.boolean(),
  enable_training_mode: z.boolean(),
  enable_auto_reply: z.boolean(),
  log_conversations: z.boolean(),
  log_errors: z.boolean(),
  // Not columns of the spec's table: kept in metadata under the same names, on unless false.
  read_receipts: z.boolean().describe("Mark customers' messages read (blue ticks) when the bot starts on them"),
  typing_indicator: z.boolean().describe('Show "typing…" while an AI answer is prepared'),
};

export const settingsBody = z
  .strictObject({
    ...settingsSwitches,
    max_messages_per_hour: limitCount(1_000_000).describe('A tenant key: at most PLATFORM_MAX_MESSAGES_PER_HOUR'),
    max_messages_per_user_per_day: limitCount(1_000_000).describe(
      'A tenant key: at most PLATFORM_MAX_MESSAGES_PER_USER_PER_DAY',
    ),
    escalation_phone: phone.nullable(),
    escalation_email: email.nullable(),
    metadata: settingsMetadata.describe('Merged into the stored metadata; a key set to null is removed'),
    ...mpesaSettingsFields,
  })
  .partial()
  .refine(atLeastOneField, 'give at least one setting to change');

export const settingsView = z.object({
  id: z.string(),
  ...settingsSwitches,
  max_messages_per_hour: z.number(),
  max_messages_per_user_per_day: z.number(),
  escalation_phone: z.string().nullable(),
  escalation_email: z.string().nullable(),
  ...mpesaSettingsFields,
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

// ---- message logs

export const MESSAGE_STATUSES = [
  'pending',
  'processing',
  'answered',
  'skipped',
  'failed',
  'sending',
  'sent',
  'delivered',
  'read',
  'unconfirmed',
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const instant = (endOfDay: boolean) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'must be an ISO 8601 date (2024-05-01) or date-time (2024-05-01T09:30:00Z)',
    })
    // A bare date means the whole day (UTC): from its start, or up to its end.
    .transform((value) => {
      const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
      return value.length === 10 && endOfDay ? new Date(date.getTime() + DAY_MS) : date;
    });

export const messageLogQuery = z
  .strictObject({
    ...pageQuery.shape,
    user_phone: phone.optional().describe("The customer's number; + and separators are ignored"),
    direction: z.enum(MESSAGE_DIRECTIONS, { error: 'must be inbound or outbound' }).optional(),
    from: instant(false).optional().describe('Messages at or after this instant (a bare date: from its start, UTC)'),
    to: instant(true).optional().describe('Messages before this instant (a bare date: up to its end, UTC)'),
    message_type: text(1, 32)
      .regex(/^[a-z_]+$/, 'must be a WhatsApp message type such as text, image, document')
      .optional(),
    status: z.enum(MESSAGE_STATUSES, { error: `must be one of ${MESSAGE_STATUSES.join(', ')}` }).optional(),
    q: text(1, 255).optional().describe('Part of the message text or AI answer, case-insensitive'),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });

export const messageLogView = z.object({
  id: z.string(),
  user_phone: z.string(),
  user_id: z.string().nullable(),
  direction: z.string(),
  message_text: z.string().nullable(),
  whatsapp_message_id: z.string().nullable(),
  message_type: z.string().nullable(),
  ai_processed: z.boolean(),
  ai_response: z.string().nullable(),
  ai_model_used: z.string().nullable(),
  error_message: z.string().nullable(),
  template_used: z.string().nullable(),
  training_data_id: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  status: z.string(),
  reply_to_log_id: z.string().nullable(),
  created_at: z.string(),
  status_updated_at: z.string().nullable(),
});
