// One claimed message, start to finish: read receipt → controls → compose (understand the kind,
// FAQ, AI) → send each part → final state.
// The decided reply and every outbound part are written before the Graph call, so a retried
// job sends the same words and never a part that already went out.
import { errorText } from '../../domain/errorText.js';
import { GraphApiError } from '../../domain/graphApiError.js';
import { splitForWhatsApp } from '../../domain/replyText.js';
import { retryDelayMs, type RetryPolicy } from '../../domain/retryPolicy.js';
import type { Metrics } from '../operations/metrics.js';
import type { MessageControls } from './messageControls.js';
import type { PresenceSignals } from './presenceSignals.js';
import type { Composer } from './customerCare.js';
import type { Escalator } from './escalator.js';
import type {
  DecidedReply,
  ReplyJob,
  TenantReplyStore,
  TenantStores,
  WhatsAppCredentials,
  WhatsAppSender,
} from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { TenantContext, TenantContextCache } from './tenantContextCache.js';

export interface ReplyProcessorOptions {
  stores: TenantStores;
  contexts: TenantContextCache;
  composer: Composer;
  controls: MessageControls;
  escalator: Pick<Escalator, 'escalate'>;
  sender: WhatsAppSender;
  /** Read receipts (each tenant turns them on or off). */
  presence: Pick<PresenceSignals, 'markRead'>;
  maxAttempts: number;
  retry: RetryPolicy;
  logger: ReplyLogger;
  metrics?: Pick<Metrics, 'replySent'>;
}

class PermanentFailure extends Error {}

export class ReplyProcessor {
  constructor(private readonly options: ReplyProcessorOptions) {}

  async process(job: ReplyJob): Promise<void> {
    const store = this.options.stores.forTenant(job.tenantId);
    const log = { tenantId: job.tenantId, messageId: job.whatsappMessageId, attempt: job.attempts };
    if (job.attemptsSpent) {
      // Processing it again could kill the process again, for every tenant: it ends here.
      const error = `processing did not finish after ${job.attempts} attempts (the process stopped or timed out while handling it)`;
      await store.completeInbound(job.id, 'failed', error);
      this.options.logger.error({ ...log, error }, 'message failed for good');
      return;
    }
    try {
      const outcome = await this.answer(job, store);
      if (outcome.kind === 'skip') {
        await store.completeInbound(job.id, 'skipped', outcome.reason);
        this.options.logger.info({ ...log, reason: outcome.reason }, 'message not answered');
      } else {
        this.options.metrics?.replySent(outcome.reply.source, (Date.now() - job.receivedAt.getTime()) / 1000);
        await store.completeInbound(job.id, 'answered', null);
        this.options.logger.info(
          { ...log, source: outcome.reply.source, model: outcome.reply.aiModelUsed },
          'message answered',
        );
      }
    } catch (err) {
      const error = describe(err);
      const permanent = err instanceof PermanentFailure || (err instanceof GraphApiError && !err.retryable);
      if (permanent || job.attempts >= this.options.maxAttempts) {
        await store.completeInbound(job.id, 'failed', error);
        this.options.logger.error({ ...log, error }, 'message failed for good');
      } else {
        const delayMs = retryDelayMs(job.attempts, this.options.retry);
        await store.retryInbound(job.id, delayMs, error);
        this.options.logger.warn({ ...log, error, delayMs }, 'message will be retried');
      }
    }
  }

  private async answer(
    job: ReplyJob,
    store: TenantReplyStore,
  ): Promise<{ kind: 'skip'; reason: string } | { kind: 'sent'; reply: DecidedReply }> {
    const context = await this.options.contexts.get(job.tenantId);
    if (!context) return { kind: 'skip', reason: 'tenant no longer exists' };
    const { tenant, settings } = context.configuration;
    if (!tenant.isActive) return { kind: 'skip', reason: 'tenant is inactive' };
    if (!settings.isBotEnabled) return { kind: 'skip', reason: 'bot is disabled for this tenant' };
    if (!settings.enableAutoReply) return { kind: 'skip', reason: 'auto-reply is off for this tenant' };
    const credentials = context.credentials;
    if (!credentials) throw new PermanentFailure('tenant has no WhatsApp phone number id or access token');
    // Blue ticks as soon as the bot starts on the message, alongside the work; settled before
    // anything is sent so the receipt never arrives after the answer. It never rejects.
    const read = this.options.presence.markRead(job, context);
    try {
      return await this.decideAndSend(job, store, context, credentials, read);
    } finally {
      await read;
    }
  }

  private async decideAndSend(
    job: ReplyJob,
    store: TenantReplyStore,
    context: TenantContext,
    credentials: WhatsAppCredentials,
    read: Promise<void>,
  ): Promise<{ kind: 'skip'; reason: string } | { kind: 'sent'; reply: DecidedReply }> {
    // 24-hour window and rate limits; a limited admission says whether it crossed the limit first.
    const admission = await this.options.controls.admit(job, context, store);
    if (admission.kind === 'limited' && admission.firstInWindow) {
      await this.options.escalator.escalate(
        job,
        context,
        store,
        admission.scope === 'user_day'
          ? "the customer's daily message limit was reached"
          : 'the hourly message limit was reached',
      );
    }
    if (admission.kind !== 'admit') return { kind: 'skip', reason: admission.reason };

    let reply = job.decided;
    // Parts are only written after the decision is saved: a reply decided now has none yet,
    // and its first part is written together with the decision.
    let firstPartId: string | null = null;
    if (!reply) {
      const composition = await this.options.composer.compose(job, context, store);
      if (composition.kind === 'skip') return composition;
      reply = composition.reply;
      // Before part 0 is written as 'sending': a crash while waiting on the receipt must not
      // leave a part that looks in flight and is then never sent.
      await read;
      const first = splitForWhatsApp(reply.text)[0];
      firstPartId = await store.saveDecision(job.id, reply, first === undefined ? undefined : { job, text: first });
    }
    await read;
    await this.send(job, reply, credentials, store, firstPartId);
    return { kind: 'sent', reply };
  }

  private async send(
    job: ReplyJob,
    reply: DecidedReply,
    credentials: WhatsAppCredentials,
    store: TenantReplyStore,
    /** Set when the reply was decided in this attempt: its part 0 was written with the decision. */
    firstPartId: string | null,
  ): Promise<void> {
    const parts = splitForWhatsApp(reply.text);
    const written = firstPartId === null ? await store.outboundParts(job.id) : new Map();
    for (const [index, part] of parts.entries()) {
      const state = written.get(index);
      if (state === 'sent') continue;
      if (state === 'sending') {
        // An earlier attempt died between writing this part and hearing back from Meta: the
        // customer may already have it. A status webhook naming the part confirms it; without
        // one within SEND_CONFIRM_WAIT_S the resender sends it once more (unconfirmedResender.ts).
        await store.finishOutboundPart(job.id, index, { unconfirmed: 'attempt interrupted during the Graph API call' });
        this.options.logger.warn(
          { tenantId: job.tenantId, messageId: job.whatsappMessageId, part: index },
          'outbound part unconfirmed; waiting for a status before resending',
        );
        continue;
      }
      const partId =
        index === 0 && firstPartId !== null ? firstPartId : await store.beginOutboundPart(job, index, part, reply);
      try {
        const sent = await this.options.sender.sendText(credentials, job.userPhone, part, {
          replyToMessageId: index === 0 ? job.whatsappMessageId : null,
          logContext: { tenantId: job.tenantId, messageId: job.whatsappMessageId },
          callbackData: partId,
        });
        await store.finishOutboundPart(job.id, index, sent);
      } catch (err) {
        await store.finishOutboundPart(job.id, index, { error: describe(err) });
        throw err;
      }
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof GraphApiError) {
    return [`Graph API ${err.httpStatus ?? 'network'} error`, err.code, err.subcode, err.message, err.details]
      .filter((v) => v !== null && v !== undefined && v !== '')
      .join(': ');
  }
  return errorText(err);
}
