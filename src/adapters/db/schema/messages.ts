// The message log (inbound queue and outbound parts), conversations, rate counters and answer ratings.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { alphadome, createdAt, updatedAt, jsonObject } from './columns.js';
import { botTenants, botTrainingData } from './tenants.js';
import { teamUsers } from './access.js';

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
