// One tenant's conversations (handoff pause, last escalation) and answer ratings, for the worker.
// Every statement filters by the tenant id given to the constructor; no method takes a tenant id.
import { and, eq, sql } from 'drizzle-orm';
import type { ConversationStore, RatedAnswer } from '../../modules/replies/carePorts.js';
import { queryRows, type AppDb } from './database.js';
import { answerRatings } from './schema.js';

interface AnswerRow {
  id: string;
  direction: string;
  source: string | null;
  training_data_id: string | null;
  ai_model_used: string | null;
}

export class DbConversationStore implements ConversationStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async claimEscalation(userPhone: string, minIntervalMs: number): Promise<boolean> {
    // One statement decides, so two workers (or processes) cannot both escalate within the interval.
    const rows = await queryRows(
      this.db,
      sql`
      INSERT INTO alphadome.conversations AS c (bot_tenant_id, user_phone, last_escalated_at, updated_at)
      VALUES (${this.tenantId}, ${userPhone}, now(), now())
      ON CONFLICT (bot_tenant_id, user_phone) DO UPDATE SET last_escalated_at = now(), updated_at = now()
      WHERE c.last_escalated_at IS NULL OR c.last_escalated_at <= now() - (${minIntervalMs} * interval '1 millisecond')
      RETURNING 1`,
    );
    return rows.length > 0;
  }

  async pause(userPhone: string, until: Date, reason: string): Promise<void> {
    // The audit row is the record of the escalation (analytics counts them by reason); one statement writes both.
    const why = reason.slice(0, 255);
    await this.db.execute(sql`
      WITH paused AS (
        INSERT INTO alphadome.conversations (bot_tenant_id, user_phone, paused_until, pause_reason, updated_at)
        VALUES (${this.tenantId}, ${userPhone}, ${until.toISOString()}::timestamptz, ${why}, now())
        ON CONFLICT (bot_tenant_id, user_phone) DO UPDATE SET paused_until = EXCLUDED.paused_until, pause_reason = EXCLUDED.pause_reason, updated_at = now()
        RETURNING user_phone
      )
      INSERT INTO alphadome.audit_log (bot_tenant_id, actor, action, entity, entity_id, before, after)
      SELECT ${this.tenantId}::uuid, 'bot', 'escalate', 'handoff', user_phone,
        NULL, jsonb_build_object('paused_until', ${until.toISOString()}::text, 'reason', ${why}::text)
      FROM paused`);
  }

  async answerJustBefore(inboundId: string): Promise<RatedAnswer | null> {
    const [row] = await queryRows<AnswerRow>(
      this.db,
      sql`
      WITH me AS (SELECT user_phone, seq FROM alphadome.bot_message_logs WHERE id = ${inboundId} AND bot_tenant_id = ${this.tenantId})
      SELECT m.id, m.direction, m.metadata->>'reply_source' AS source, m.training_data_id, m.ai_model_used
      FROM alphadome.bot_message_logs m, me
      WHERE m.bot_tenant_id = ${this.tenantId} AND m.user_phone = me.user_phone AND m.seq < me.seq
      ORDER BY m.seq DESC LIMIT 1`,
    );
    return row?.direction === 'outbound' ? ratedAnswer(row) : null;
  }

  async answerByWhatsAppId(whatsappMessageId: string): Promise<RatedAnswer | null> {
    const [row] = await queryRows<AnswerRow>(
      this.db,
      sql`
      SELECT id, direction, metadata->>'reply_source' AS source, training_data_id, ai_model_used
      FROM alphadome.bot_message_logs
      WHERE bot_tenant_id = ${this.tenantId} AND direction = 'outbound' AND whatsapp_message_id = ${whatsappMessageId}
      LIMIT 1`,
    );
    return row ? ratedAnswer(row) : null;
  }

  async reactionOf(inboundId: string): Promise<{ messageId: string; emoji: string } | null> {
    const [row] = await queryRows<{ message_id: string | null; emoji: string | null }>(
      this.db,
      sql`
      SELECT metadata->'whatsapp'->'reaction'->>'message_id' AS message_id, metadata->'whatsapp'->'reaction'->>'emoji' AS emoji
      FROM alphadome.bot_message_logs WHERE id = ${inboundId} AND bot_tenant_id = ${this.tenantId}`,
    );
    return row?.message_id ? { messageId: row.message_id, emoji: row.emoji ?? '' } : null;
  }

  async saveRating(
    userPhone: string,
    answer: RatedAnswer,
    rating: 1 | -1,
    source: 'reply' | 'reaction',
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .delete(answerRatings)
        .where(
          and(
            eq(answerRatings.botTenantId, this.tenantId),
            eq(answerRatings.userPhone, userPhone),
            eq(answerRatings.outboundLogId, answer.outboundLogId),
          ),
        );
      await tx.insert(answerRatings).values({
        botTenantId: this.tenantId,
        userPhone,
        outboundLogId: answer.outboundLogId,
        trainingDataId: answer.trainingDataId,
        aiModelUsed: answer.aiModelUsed,
        rating,
        source,
      });
    });
  }
}

/** Only the bot's own answers (FAQ or AI) are rated, not apologies or handoff notes. */
function ratedAnswer(row: AnswerRow): RatedAnswer | null {
  if (row.source !== 'faq' && row.source !== 'ai') return null;
  return { outboundLogId: row.id, trainingDataId: row.training_data_id, aiModelUsed: row.ai_model_used };
}
