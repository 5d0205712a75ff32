// The spec's five tables, column for column, plus the columns processing needs (marked "system").
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const alphadome = pgSchema('alphadome');

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const jsonObject = (name: string) => jsonb(name).$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`);

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

// system: provider embeddings of each FAQ row's wordings (question, then variants), kept apart from the row so
// that reading training rows never drags vectors along. Stale when the row's text hash or the model differs.
export const botFaqEmbeddings = alphadome.table(
  'bot_faq_embeddings',
  {
    trainingDataId: uuid('training_data_id')
      .primaryKey()
      .references(() => botTrainingData.id, { onDelete: 'cascade' }),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    /** provider:model the vectors came from; '' while a first embedding is only claimed. */
    model: varchar('model', { length: 255 }).notNull().default(''),
    /** md5 of the row's question and variants as they were embedded. */
    textHash: varchar('text_hash', { length: 32 }).notNull().default(''),
    dimensions: integer('dimensions').notNull().default(0),
    /** Every wording's vector, one after the other (wordings × dimensions). */
    vectors: real('vectors').array(),
    /** A refresh run is embedding this row until then (another process skips it); also a failure's back-off. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [index('bot_faq_embeddings_tenant_idx').on(t.botTenantId)],
);

// system: every embeddings request (refreshing FAQ rows, or one customer message), for analytics' cost lines.
export const botEmbeddingUsage = alphadome.table(
  'bot_embedding_usage',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    /** provider:model, as ai_model_used records chat models. */
    model: varchar('model', { length: 255 }).notNull(),
    /** faq (rows refreshed in the background) or message (one customer message). */
    purpose: varchar('purpose', { length: 16 }).notNull(),
    inputs: integer('inputs').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('bot_embedding_usage_tenant_time_idx').on(t.botTenantId, t.createdAt)],
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

export const botMessageLogs = alphadome.table(
  'bot_message_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    userPhone: varchar('user_phone', { length: 32 }).notNull(),
    userId: uuid('user_id'),
    direction: varchar('direction', { length: 8 }).notNull(),
    messageText: text('message_text'),
    whatsappMessageId: varchar('whatsapp_message_id', { length: 255 }),
    messageType: varchar('message_type', { length: 32 }),
    aiProcessed: boolean('ai_processed').notNull().default(false),
    aiResponse: text('ai_response'),
    aiModelUsed: varchar('ai_model_used', { length: 255 }),
    errorMessage: text('error_message'),
    templateUsed: varchar('template_used', { length: 255 }),
    trainingDataId: uuid('training_data_id').references(() => botTrainingData.id, { onDelete: 'set null' }),
    metadata: jsonObject('metadata'),
    createdAt: createdAt(),
    // system: queue order, processing state and delivery tracking.
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    replyToLogId: uuid('reply_to_log_id'),
    partIndex: smallint('part_index'),
    statusUpdatedAt: timestamp('status_updated_at', { withTimezone: true }),
    // system: when Meta accepted an outbound part (status_updated_at moves on with delivered/read).
    sentAt: timestamp('sent_at', { withTimezone: true }),
    // system: the parts of metadata analytics reads, kept by PostgreSQL itself (never written by the
    // app) so that the covering indexes below can hold them and the figures need no table reads.
    replySource: text('reply_source').generatedAlwaysAs(sql`metadata ->> 'reply_source'`),
    rateLimited: boolean('rate_limited').generatedAlwaysAs(sql`(metadata ->> 'skip_reason') LIKE 'rate\\_limited:%'`),
    aiUsage: jsonb('ai_usage').generatedAlwaysAs(sql`metadata -> 'ai_usage'`),
    aiFailures: jsonb('ai_failures').generatedAlwaysAs(sql`metadata -> 'ai_failures'`),
  },
  (t) => [
    uniqueIndex('bot_message_logs_inbound_wamid_key')
      .on(t.botTenantId, t.whatsappMessageId)
      .where(sql`${t.direction} = 'inbound'`),
    uniqueIndex('bot_message_logs_outbound_part_key')
      .on(t.replyToLogId, t.partIndex)
      .where(sql`${t.direction} = 'outbound'`),
    index('bot_message_logs_outbound_wamid_idx')
      .on(t.botTenantId, t.whatsappMessageId)
      .where(sql`${t.direction} = 'outbound'`),
    index('bot_message_logs_queue_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.direction} = 'inbound' AND ${t.status} IN ('pending', 'processing')`),
    index('bot_message_logs_open_conversation_idx')
      .on(t.botTenantId, t.userPhone, t.seq)
      .where(sql`${t.direction} = 'inbound' AND ${t.status} IN ('pending', 'processing')`),
    index('bot_message_logs_conversation_idx').on(t.botTenantId, t.userPhone, t.createdAt),
    index('bot_message_logs_tenant_time_idx').on(t.botTenantId, t.createdAt),
    // Analytics: each index holds only the rows one figure reads, so a range reads no others.
    // Every column the reply-latency join needs is in the key: an index-only scan.
    index('bot_message_logs_first_part_idx')
      .on(t.botTenantId, t.createdAt, t.replyToLogId, t.sentAt)
      .where(sql`${t.direction} = 'outbound' AND ${t.partIndex} = 0`),
    index('bot_message_logs_to_teach_idx')
      .on(t.botTenantId, t.createdAt)
      .where(
        sql`${t.direction} = 'inbound' AND ((${t.metadata} ->> 'reply_source') IN ('ai', 'fallback') OR (${t.status} = 'failed' AND (${t.metadata} ->> 'reply_source') IS NULL))`,
      ),
    index('bot_message_logs_delivery_failed_idx')
      .on(t.botTenantId, t.createdAt)
      .where(sql`${t.direction} = 'outbound' AND ${t.status} = 'failed'`),
    // Analytics figures by index-only scans: every column a figure reads, per direction (keys rather
    // than INCLUDE, which drizzle cannot declare; past created_at they only cost leaf space).
    index('bot_message_logs_inbound_figures_idx')
      .on(
        t.botTenantId,
        t.createdAt,
        t.id,
        t.userPhone,
        t.status,
        t.replySource,
        t.aiProcessed,
        t.rateLimited,
        t.aiModelUsed,
        t.aiUsage,
        t.aiFailures,
      )
      .where(sql`${t.direction} = 'inbound'`),
    index('bot_message_logs_outbound_figures_idx')
      .on(t.botTenantId, t.createdAt, t.status)
      .where(sql`${t.direction} = 'outbound'`),
  ],
);

// system: tenant API keys. Only a hash is kept; the prefix lets people tell keys apart.
export const apiKeys = alphadome.table(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 255 }).notNull(),
    prefix: varchar('prefix', { length: 32 }).notNull().unique(),
    keyHash: varchar('key_hash', { length: 128 }).notNull().unique(),
    createdBy: varchar('created_by', { length: 128 }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_tenant_idx').on(t.botTenantId)],
);

// system: who changed what, when, with before and after (secrets masked).
export const auditLog = alphadome.table(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign key: the audit of a deleted tenant outlives it.
    botTenantId: uuid('bot_tenant_id'),
    actor: varchar('actor', { length: 128 }).notNull(),
    action: varchar('action', { length: 64 }).notNull(),
    entity: varchar('entity', { length: 64 }).notNull(),
    entityId: varchar('entity_id', { length: 64 }),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_tenant_time_idx').on(t.botTenantId, t.createdAt)],
);

// system: one row per conversation (tenant, customer): the 24-hour window, handoff and escalation.
export const conversations = alphadome.table(
  'conversations',
  {
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    userPhone: varchar('user_phone', { length: 32 }).notNull(),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    pausedUntil: timestamp('paused_until', { withTimezone: true }),
    pauseReason: varchar('pause_reason', { length: 255 }),
    lastEscalatedAt: timestamp('last_escalated_at', { withTimezone: true }),
    updatedAt: updatedAt(),
    // system: the team member the conversation is assigned to (the dashboard's inbox).
    assignedUserId: uuid('assigned_user_id').references(() => teamUsers.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.botTenantId, t.userPhone] }),
    index('conversations_paused_idx').on(t.botTenantId, t.pausedUntil),
  ],
);

// system: rate-limit counters, one row per tenant (or customer) per window, incremented atomically.
export const rateCounters = alphadome.table(
  'rate_counters',
  {
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    scope: varchar('scope', { length: 16 }).notNull(),
    subject: varchar('subject', { length: 32 }).notNull().default(''),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
    noticeSent: boolean('notice_sent').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.botTenantId, t.scope, t.subject, t.windowStart] })],
);

// system: a customer's rating of an answer (training mode).
export const answerRatings = alphadome.table(
  'answer_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    userPhone: varchar('user_phone', { length: 32 }).notNull(),
    outboundLogId: uuid('outbound_log_id').notNull(),
    trainingDataId: uuid('training_data_id').references(() => botTrainingData.id, { onDelete: 'set null' }),
    aiModelUsed: varchar('ai_model_used', { length: 255 }),
    rating: smallint('rating').notNull(),
    source: varchar('source', { length: 16 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('answer_ratings_tenant_faq_idx').on(t.botTenantId, t.trainingDataId)],
);

// system: a tenant's people, who sign in to the dashboard with email and password. The email is
// unique across tenants: signing in names no tenant, so the email alone must find the one account.
export const teamUsers = alphadome.table(
  'team_users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 320 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    // scrypt$N$r$p$salt$hash; null until the one-time setup link is used.
    passwordHash: varchar('password_hash', { length: 255 }),
    setupTokenHash: varchar('setup_token_hash', { length: 128 }).unique(),
    setupExpiresAt: timestamp('setup_expires_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('team_users_tenant_idx').on(t.botTenantId)],
);

// system: dashboard sign-ins. Only a hash of the cookie's token is kept.
export const teamSessions = alphadome.table(
  'team_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => teamUsers.id, { onDelete: 'cascade' }),
    tokenHash: varchar('token_hash', { length: 128 }).notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('team_sessions_user_idx').on(t.userId)],
);

// system: M-Pesa STK push payments (Daraja), one row per payment asked for. An "offered" row is an
// amount put to the customer in the chat and not yet confirmed (no prompt was sent); "pending" had
// its prompt sent; "paid" and "failed" are final and reached once (a conditional UPDATE).
export const payments = alphadome.table(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    phone: varchar('phone', { length: 16 }).notNull(),
    amount: integer('amount').notNull(),
    reference: varchar('reference', { length: 12 }).notNull(),
    description: varchar('description', { length: 13 }).notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    /** api, order or ai: who asked for it. */
    source: varchar('source', { length: 8 }).notNull(),
    /** The customer's message that led to it (chat payments), for the reply thread. */
    inboundLogId: uuid('inbound_log_id'),
    shortcode: varchar('shortcode', { length: 16 }),
    /** SHA-256 of the callback URL's token: the token itself is only ever in Daraja's hands. */
    callbackTokenHash: varchar('callback_token_hash', { length: 64 }),
    merchantRequestId: varchar('merchant_request_id', { length: 64 }),
    checkoutRequestId: varchar('checkout_request_id', { length: 64 }),
    resultCode: integer('result_code'),
    resultDesc: text('result_desc'),
    failureReason: varchar('failure_reason', { length: 32 }),
    receiptNumber: varchar('receipt_number', { length: 32 }),
    /** callback, query or request (Daraja refused the push itself). */
    settledBy: varchar('settled_by', { length: 16 }),
    queryAttempts: integer('query_attempts').notNull().default(0),
    nextQueryAt: timestamp('next_query_at', { withTimezone: true }),
    /** sent or failed: the WhatsApp message telling the customer how it ended. */
    noticeStatus: varchar('notice_status', { length: 16 }),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('payments_tenant_time_idx').on(t.botTenantId, t.createdAt),
    uniqueIndex('payments_callback_token_key').on(t.callbackTokenHash).where(sql`${t.callbackTokenHash} IS NOT NULL`),
    uniqueIndex('payments_checkout_request_key').on(t.checkoutRequestId).where(sql`${t.checkoutRequestId} IS NOT NULL`),
    index('payments_due_query_idx').on(t.nextQueryAt).where(sql`${t.status} = 'pending'`),
    index('payments_offer_idx').on(t.botTenantId, t.phone, t.createdAt).where(sql`${t.status} = 'offered'`),
  ],
);
