// Tenants and what each one configures: templates, training data (FAQ rows), control settings.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { alphadome, createdAt, updatedAt, jsonObject } from './columns.js';

export const botTenants = alphadome.table(
  'bot_tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientName: varchar('client_name', { length: 255 }).notNull(),
    clientPhone: varchar('client_phone', { length: 32 }).notNull().unique(),
    // The spec says UUID but its own example inserts 'brand-001' (README "Decisions").
    brandId: text('brand_id'),
    whatsappPhoneNumberId: varchar('whatsapp_phone_number_id', { length: 64 }),
    whatsappBusinessAccountId: varchar('whatsapp_business_account_id', { length: 64 }),
    whatsappAccessToken: varchar('whatsapp_access_token'),
    aiProvider: varchar('ai_provider', { length: 32 }),
    aiApiKey: varchar('ai_api_key'),
    aiModel: varchar('ai_model', { length: 255 }),
    isActive: boolean('is_active').notNull().default(true),
    isVerified: boolean('is_verified').notNull().default(false),
    webhookVerifyToken: varchar('webhook_verify_token', { length: 255 }).unique(),
    webhookUrl: varchar('webhook_url', { length: 2048 }),
    metadata: jsonObject('metadata'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // system: a tenant's own Meta app secret for X-Hub-Signature-256, when it has its own app.
    whatsappAppSecret: varchar('whatsapp_app_secret'),
    // system: the administrator lets this tenant's AI calls be paid with the server's keys
    // (OPENAI_API_KEY ...). Its own column, so no tenant-writable field (metadata) can carry it.
    serverAiAllowed: boolean('server_ai_allowed').notNull().default(false),
    // system: client_phone's digits, what routing compares ("+254 700 123456" is 254700123456), so
    // the unique index below holds for every writer: the admin API, psql, another process.
    clientPhoneDigits: text('client_phone_digits').generatedAlwaysAs(
      sql`regexp_replace(client_phone, '[^0-9]', '', 'g')`,
    ),
    // system: the tenant's Daraja (M-Pesa) app and Lipa na M-Pesa Online passkey, sealed like the others.
    mpesaConsumerKey: varchar('mpesa_consumer_key'),
    mpesaConsumerSecret: varchar('mpesa_consumer_secret'),
    mpesaPasskey: varchar('mpesa_passkey'),
  },
  (t) => [
    uniqueIndex('bot_tenants_client_phone_digits_key').on(t.clientPhoneDigits).where(sql`${t.clientPhoneDigits} <> ''`),
    uniqueIndex('bot_tenants_phone_number_id_key')
      .on(t.whatsappPhoneNumberId)
      .where(sql`${t.whatsappPhoneNumberId} IS NOT NULL`),
    index('bot_tenants_brand_id_idx').on(t.brandId),
  ],
);

export const botTemplates = alphadome.table(
  'bot_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    templateName: varchar('template_name', { length: 255 }).notNull(),
    systemPrompt: text('system_prompt'),
    conversationContext: jsonObject('conversation_context'),
    tone: varchar('tone', { length: 32 }),
    maxResponseLength: integer('max_response_length'),
    isActive: boolean('is_active').notNull().default(true),
    isDefault: boolean('is_default').notNull().default(false),
    metadata: jsonObject('metadata'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('bot_templates_tenant_idx').on(t.botTenantId)],
);

export const botTrainingData = alphadome.table(
  'bot_training_data',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    dataType: varchar('data_type', { length: 16 }).notNull().default('faq'),
    question: text('question'),
    answer: text('answer'),
    category: varchar('category', { length: 64 }).default('general'),
    priority: integer('priority').notNull().default(5),
    confidenceScore: numeric('confidence_score', { precision: 3, scale: 2 }).notNull().default('1.00'),
    isActive: boolean('is_active').notNull().default(true),
    // system: alternative wordings of the question; a message matching one gets this row's answer.
    variants: text('variants').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('bot_training_data_tenant_idx').on(t.botTenantId, t.isActive),
    // A tenant's active rows read a page at a time in id order (tenantReplyStore.ts): each page
    // is a short range of this index, however many rows the tenant has.
    index('bot_training_data_active_pages_idx').on(t.botTenantId, t.id).where(sql`is_active`),
  ],
);

export const botControlSettings = alphadome.table('bot_control_settings', {
  id: uuid('id').primaryKey().defaultRandom(),
  botTenantId: uuid('bot_tenant_id')
    .notNull()
    .unique()
    .references(() => botTenants.id, { onDelete: 'cascade' }),
  isBotEnabled: boolean('is_bot_enabled').notNull().default(true),
  maxMessagesPerHour: integer('max_messages_per_hour').notNull().default(100),
  maxMessagesPerUserPerDay: integer('max_messages_per_user_per_day').notNull().default(50),
  enableAiResponses: boolean('enable_ai_responses').notNull().default(true),
  enablePaymentFlow: boolean('enable_payment_flow').notNull().default(false),
  enableTrainingMode: boolean('enable_training_mode').notNull().default(false),
  enableAutoReply: boolean('enable_auto_reply').notNull().default(true),
  logConversations: boolean('log_conversations').notNull().default(true),
  logErrors: boolean('log_errors').notNull().default(true),
  escalationPhone: varchar('escalation_phone', { length: 32 }),
  escalationEmail: varchar('escalation_email', { length: 320 }),
  metadata: jsonObject('metadata'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
