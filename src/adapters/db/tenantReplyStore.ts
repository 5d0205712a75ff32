// One tenant's rows, as the reply worker and status webhooks use them. Every statement filters
// by the tenant id given to the constructor; no method takes a tenant id.
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type {
  CompletionOptions,
  ConversationTurn,
  DecidedReply,
  OutboundPartResult,
  OutboundPartState,
  ReplyJob,
  TenantConfiguration,
  TenantReplyStore,
  TrainingRow,
} from '../../modules/replies/ports.js';
import type { CredentialVault } from './credentialVault.js';
import type { AppDb } from './database.js';
import { CompletionWriter } from './completionWriter.js';
import { DecisionWriter } from './decisionWriter.js';
import { botControlSettings, botMessageLogs, botTemplates, botTenants, botTrainingData } from './schema.js';

/**
 * Training rows read per statement. PGlite runs a statement in this thread: for a 50,000-row tenant a
 * page of 1,000 took 35 ms of CPU (median; up to 130 ms), a page of 500 23 ms (up to 45 ms), since its
 * planner, without statistics after a bulk insert, scans the rest of the tenant's rows and sorts them.
 * On PostgreSQL a page takes a few ms.
 */
export const TRAINING_PAGE_ROWS = 500;

const DEFAULT_SETTINGS = {
  isBotEnabled: true,
  enableAiResponses: true,
  enableAutoReply: true,
  enableTrainingMode: false,
  enablePaymentFlow: false,
  maxMessagesPerHour: 100,
  maxMessagesPerUserPerDay: 50,
  logConversations: true,
  logErrors: true,
  escalationPhone: null,
  escalationEmail: null,
  metadata: {},
};

export class DbTenantReplyStore implements TenantReplyStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
    private readonly vault: CredentialVault,
    /** Finishes messages in groups; shared by every tenant's store of one worker. */
    private readonly completions: CompletionWriter = new CompletionWriter(db),
    /** Saves decisions in groups; shared like the completions. */
    private readonly decisions: DecisionWriter = new DecisionWriter(db),
  ) {}

  /** Credentials come decrypted. An unreadable access token throws (nothing can be sent without
   * it, and the error names the key id); an unreadable AI key counts as missing. Two statements,
   * sent together: the tenant with its default template and settings, and its first page of
   * training rows (a tenant with more rows than a page reads the rest a page at a time). */
  async loadConfiguration(): Promise<TenantConfiguration | null> {
    const defaultTemplate = sql`${botTemplates.id} = (
      SELECT id FROM alphadome.bot_templates WHERE bot_tenant_id = ${this.tenantId} AND is_active
      ORDER BY is_default DESC, updated_at DESC LIMIT 1)`;
    const [[row], training] = await Promise.all([
      this.db
        .select({ tenant: botTenants, template: botTemplates, settings: botControlSettings })
        .from(botTenants)
        .leftJoin(botTemplates, defaultTemplate)
        .leftJoin(botControlSettings, eq(botControlSettings.botTenantId, botTenants.id))
        .where(eq(botTenants.id, this.tenantId)),
      this.activeTrainingRows(),
    ]);
    if (!row) return null;
    const { tenant, template, settings } = row;
    const accessToken = this.vault.reveal(this.tenantId, 'whatsapp_access_token', tenant.whatsappAccessToken);
    return {
      tenant: {
        id: tenant.id,
        name: tenant.clientName,
        isActive: tenant.isActive,
        phoneNumberId: tenant.whatsappPhoneNumberId,
        accessToken,
        aiProvider: tenant.aiProvider,
        aiModel: tenant.aiModel,
        aiApiKey: this.vault.revealOrNull(this.tenantId, 'ai_api_key', tenant.aiApiKey),
        serverAiAllowed: tenant.serverAiAllowed,
        metadata: this.vault.revealMetadata(this.tenantId, tenant.metadata),
      },
      template: template
        ? {
            name: template.templateName,
            systemPrompt: template.systemPrompt,
            tone: template.tone,
            maxResponseLength: template.maxResponseLength,
            conversationContext: template.conversationContext,
            metadata: template.metadata,
          }
        : null,
      training,
      settings: settings
        ? {
            isBotEnabled: settings.isBotEnabled,
            enableAiResponses: settings.enableAiResponses,
            enableAutoReply: settings.enableAutoReply,
            enableTrainingMode: settings.enableTrainingMode,
            enablePaymentFlow: settings.enablePaymentFlow,
            maxMessagesPerHour: settings.maxMessagesPerHour,
            maxMessagesPerUserPerDay: settings.maxMessagesPerUserPerDay,
            logConversations: settings.logConversations,
            logErrors: settings.logErrors,
            escalationPhone: settings.escalationPhone,
            escalationEmail: settings.escalationEmail,
            metadata: settings.metadata,
          }
        : DEFAULT_SETTINGS,
    };
  }

  /**
   * Every active row, TRAINING_PAGE_ROWS at a time in id order: one statement for an ordinary tenant;
   * for one with 50,000 rows, pages short enough that reading and mapping one never holds the event
   * loop for long (a single statement took over a second of it on PGlite, a few hundred ms on PostgreSQL),
   * with a turn of the event loop between them.
   */
  private async activeTrainingRows(): Promise<TrainingRow[]> {
    const rows: TrainingRow[] = [];
    for (let after: string | null = null; ; ) {
      const page = await this.db
        .select({
          id: botTrainingData.id,
          dataType: botTrainingData.dataType,
          question: botTrainingData.question,
          answer: botTrainingData.answer,
          priority: botTrainingData.priority,
          confidenceScore: botTrainingData.confidenceScore,
          variants: botTrainingData.variants,
        })
        .from(botTrainingData)
        .where(
          and(
            eq(botTrainingData.botTenantId, this.tenantId),
            eq(botTrainingData.isActive, true),
            after === null ? undefined : gt(botTrainingData.id, after),
          ),
        )
        .orderBy(asc(botTrainingData.id))
        .limit(TRAINING_PAGE_ROWS);
      for (const r of page) {
        if (r.question === null || r.answer === null) continue;
        rows.push({
          id: r.id,
          dataType: r.dataType,
          question: r.question,
          answer: r.answer,
          priority: r.priority,
          confidenceScore: Number(r.confidenceScore),
          variants: r.variants,
        });
      }
      const last = page.at(-1);
      if (page.length < TRAINING_PAGE_ROWS || !last) return rows;
      after = last.id;
      // PGlite runs in this thread and settles its queries by microtasks alone: without a turn of
      // the event loop between pages, a big tenant's read would hold it from the first page to the last.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async recentConversation(userPhone: string, beforeLogId: string, limit: number): Promise<ConversationTurn[]> {
    const rows = await this.db
      .select({ direction: botMessageLogs.direction, text: botMessageLogs.messageText, seq: botMessageLogs.seq })
      .from(botMessageLogs)
      .where(
        and(
          eq(botMessageLogs.botTenantId, this.tenantId),
          eq(botMessageLogs.userPhone, userPhone),
          sql`${botMessageLogs.seq} < (SELECT seq FROM alphadome.bot_message_logs WHERE id = ${beforeLogId} AND bot_tenant_id = ${this.tenantId})`,
          sql`${botMessageLogs.createdAt} > now() - interval '24 hours'`,
          sql`${botMessageLogs.messageText} IS NOT NULL`,
        ),
      )
      .orderBy(desc(botMessageLogs.seq))
      .limit(limit);
    return rows
      .reverse()
      .map((r) => ({ direction: r.direction === 'outbound' ? 'outbound' : 'inbound', text: r.text ?? '' }));
  }

  async saveDecision(
    inboundId: string,
    reply: DecidedReply,
    firstPart?: { job: ReplyJob; text: string },
  ): Promise<string | null> {
    if (firstPart) return this.saveDecisionWithFirstPart(inboundId, reply, firstPart.job, firstPart.text);
    await this.db
      .update(botMessageLogs)
      .set({
        aiResponse: reply.text,
        aiProcessed: reply.source === 'ai',
        aiModelUsed: reply.aiModelUsed,
        trainingDataId: reply.trainingDataId,
        templateUsed: reply.templateUsed,
        errorMessage: reply.error,
        metadata: sql`${botMessageLogs.metadata} || ${JSON.stringify(decisionMetadata(reply))}::jsonb`,
      })
      .where(this.ownRow(inboundId));
    return null;
  }

  private async saveDecisionWithFirstPart(
    inboundId: string,
    reply: DecidedReply,
    job: ReplyJob,
    text: string,
  ): Promise<string | null> {
    return this.decisions.save({
      tenantId: this.tenantId,
      inboundId,
      reply: reply.text,
      aiProcessed: reply.source === 'ai',
      model: reply.aiModelUsed,
      trainingDataId: reply.trainingDataId,
      template: reply.templateUsed,
      error: reply.error,
      metadata: JSON.stringify(decisionMetadata(reply)),
      customer: job.userPhone,
      firstPart: text,
      firstPartMetadata: JSON.stringify({ reply_source: reply.source, in_reply_to: job.whatsappMessageId }),
    });
  }

  async outboundParts(inboundId: string): Promise<Map<number, OutboundPartState>> {
    const rows = await this.db
      .select({ part: botMessageLogs.partIndex, status: botMessageLogs.status })
      .from(botMessageLogs)
      .where(
        and(
          eq(botMessageLogs.botTenantId, this.tenantId),
          eq(botMessageLogs.direction, 'outbound'),
          eq(botMessageLogs.replyToLogId, inboundId),
        ),
      )
      .orderBy(asc(botMessageLogs.partIndex));
    const parts = new Map<number, OutboundPartState>();
    for (const r of rows) {
      // "unconfirmed" counts as sent here: only a status webhook or the resender, after
      // SEND_CONFIRM_WAIT_S, may decide it (resending now could answer the customer twice).
      const state: OutboundPartState = r.status === 'sending' ? 'sending' : r.status === 'failed' ? 'failed' : 'sent';
      parts.set(r.part ?? 0, state);
    }
    return parts;
  }

  async beginOutboundPart(job: ReplyJob, partIndex: number, text: string, reply: DecidedReply): Promise<string> {
    const [row] = await this.db
      .insert(botMessageLogs)
      .values({
        botTenantId: this.tenantId,
        userPhone: job.userPhone,
        direction: 'outbound',
        messageText: text,
        messageType: 'text',
        aiProcessed: reply.source === 'ai',
        aiResponse: reply.text,
        aiModelUsed: reply.aiModelUsed,
        templateUsed: reply.templateUsed,
        trainingDataId: reply.trainingDataId,
        status: 'sending',
        replyToLogId: job.id,
        partIndex,
        statusUpdatedAt: new Date(),
        metadata: { reply_source: reply.source, in_reply_to: job.whatsappMessageId },
      })
      .onConflictDoUpdate({
        target: [botMessageLogs.replyToLogId, botMessageLogs.partIndex],
        targetWhere: sql`direction = 'outbound'`,
        set: { status: 'sending', errorMessage: null, statusUpdatedAt: new Date() },
      })
      .returning({ id: botMessageLogs.id });
    if (!row) throw new Error(`outbound part ${partIndex} of message ${job.id} was not written`);
    return row.id;
  }

  async finishOutboundPart(inboundId: string, partIndex: number, result: OutboundPartResult): Promise<void> {
    const fields =
      'whatsappMessageId' in result
        ? { status: 'sent', whatsappMessageId: result.whatsappMessageId, sentAt: sql`now()` }
        : 'error' in result
          ? { status: 'failed', errorMessage: result.error }
          : { status: 'unconfirmed', errorMessage: result.unconfirmed };
    await this.db
      .update(botMessageLogs)
      .set({ ...fields, statusUpdatedAt: new Date() })
      .where(
        and(
          eq(botMessageLogs.botTenantId, this.tenantId),
          eq(botMessageLogs.direction, 'outbound'),
          eq(botMessageLogs.replyToLogId, inboundId),
          eq(botMessageLogs.partIndex, partIndex),
          // A status webhook carrying the part's id may have confirmed it while the call was out.
          eq(botMessageLogs.status, 'sending'),
        ),
      );
  }

  async rememberUnderstoodText(inboundId: string, text: string): Promise<void> {
    await this.db
      .update(botMessageLogs)
      .set({
        messageText: text,
        metadata: sql`${botMessageLogs.metadata} || ${JSON.stringify({ text_understood: true })}::jsonb`,
      })
      .where(this.ownRow(inboundId));
  }

  async completeInbound(
    inboundId: string,
    status: 'answered' | 'skipped' | 'failed',
    note: string | null,
    options: CompletionOptions = {},
  ): Promise<void> {
    const erase = options.erase ?? { bodies: false, errors: false };
    await this.completions.complete({
      tenantId: this.tenantId,
      inboundId,
      status,
      note,
      eraseBodies: erase.bodies,
      eraseErrors: erase.errors,
      sentPart: options.sentPart ?? null,
    });
  }

  async retryInbound(inboundId: string, delayMs: number, error: string, eraseErrors = false): Promise<void> {
    await this.db.execute(sql`
      WITH outbound AS (
        UPDATE alphadome.bot_message_logs SET error_message = NULL
        WHERE ${eraseErrors}::boolean AND bot_tenant_id = ${this.tenantId} AND direction = 'outbound' AND reply_to_log_id = ${inboundId}
        RETURNING 1
      )
      UPDATE alphadome.bot_message_logs
      SET status = 'pending', lease_expires_at = NULL, error_message = ${eraseErrors ? null : error}::text, status_updated_at = now(),
          next_attempt_at = now() + (${delayMs} * interval '1 millisecond')
      WHERE bot_tenant_id = ${this.tenantId} AND id = ${inboundId}`);
  }

  private ownRow(id: string) {
    return and(eq(botMessageLogs.botTenantId, this.tenantId), eq(botMessageLogs.id, id));
  }
}

/** What the inbound row's metadata records about the decision; the AI's tokens and failed attempts feed analytics. */
function decisionMetadata(reply: DecidedReply): Record<string, unknown> {
  const usage = reply.ai?.usage;
  const failures = reply.ai?.failures ?? [];
  return {
    reply_source: reply.source,
    ...(usage ? { ai_usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens } } : {}),
    ...(failures.length > 0 ? { ai_failures: failures.map((f) => ({ provider: f.provider, model: f.model })) } : {}),
  };
}
