// Provider embeddings of FAQ rows, and what the embedding requests cost.
import { index, integer, real, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { alphadome, createdAt, updatedAt } from './columns.js';
import { botTenants, botTrainingData } from './tenants.js';

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
