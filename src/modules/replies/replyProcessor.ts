// One claimed message, start to finish: build its turn → read receipt → controls → compose
// (understand the kind, FAQ, AI) → send each part → final state.
// The decided reply and every outbound part are written before the Graph call, so a retried
// job sends the same words and never a part that already went out.
import { errorText } from '../../domain/errorText.js';
import { GraphApiError } from '../../domain/graphApiError.js';
import { splitForWhatsApp } from '../../domain/replyText.js';
import { retryDelayMs, type RetryPolicy } from '../../domain/retryPolicy.js';
import type { TenantSettings } from '../../domain/tenantSettings.js';
import type { Metrics } from '../operations/metrics.js';
import type { Composer } from './customerCare.js';
import type { Escalator } from './escalator.js';
import type { MessageControls } from './messageControls.js';
import type { DecidedReply, ReplyJob, WhatsAppCredentials, WhatsAppSender } from './ports.js';
import type { PresenceSignals } from './presenceSignals.js';
import type { ReplyLogger } from './replyLogger.js';
import type { TenantContextCache } from './tenantContextCache.js';
import { turnOf, type TenantData, type TenantDataDoors, type Turn } from './turn.js';

export interface ReplyProcessorOptions {
  data: TenantDataDoors;
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

/** sentPart: the answer's last part, accepted by Meta, to be marked sent with the final state. */
type Outcome = { kind: 'skip'; reason: string } | { kind: 'sent'; reply: DecidedReply; sentPart: SentPart | null };
type SentPart = { index: number; whatsappMessageId: string };

class PermanentFailure extends Error {}

export class ReplyProcessor {
  constructor(private readonly options: ReplyProcessorOptions) {}

  async process(job: ReplyJob): Promise<void> {
    const data = this.options.data.forTenant(job.tenantId);
    const log = { tenantId: job.tenantId, messageId: job.whatsappMessageId, attempt: job.attempts };
    // log_conversations / log_errors; a tenant whose context cannot load (unreadable token...)
    // must still be finished, with nothing erased.
    let settings: TenantSettings | null = null;
    const finish = new Finish(data, () => settings);
    if (job.attemptsSpent) {
      // Processing it again could kill the process again, for every tenant: it ends here.
      settings = (await this.options.contexts.get(job.tenantId).catch(() => null))?.settings ?? null;
      const error = `processing did not finish after ${job.attempts} attempts (the process stopped or timed out while handling it)`;
      await finish.complete(job.id, 'failed', error);
      this.options.logger.error({ ...log, error }, 'message failed for good');
      return;
    }
    try {
      const context = await this.options.contexts.get(job.tenantId);
      settings = context?.settings ?? null;
      const outcome: Outcome = context
        ? await this.answer(turnOf(job, context, data))
        : { kind: 'skip', reason: 'tenant no longer exists' };
      if (outcome.kind === 'skip') {
        await finish.complete(job.id, 'skipped', outcome.reason);
        this.options.logger.info({ ...log, reason: outcome.reason }, 'message not answered');
      } else {
        this.options.metrics?.replySent(outcome.reply.source, (Date.now() - job.receivedAt.getTime()) / 1000);
        await finish.complete(job.id, 'answered', null, outcome.sentPart);
        this.options.logger.info(
          { ...log, source: outcome.reply.source, model: outcome.reply.aiModelUsed },
          'message answered',
        );
      }
    } catch (err) {
      const error = describe(err);
      const permanent = err instanceof PermanentFailure || (err instanceof GraphApiError && !err.retryable);
      if (permanent || job.attempts >= this.options.maxAttempts) {
        await finish.complete(job.id, 'failed', error);
        this.options.logger.error({ ...log, error }, 'message failed for good');
      } else {
        const delayMs = retryDelayMs(job.attempts, this.options.retry);
        await finish.retry(job.id, delayMs, error);
        this.options.logger.warn({ ...log, error, delayMs }, 'message will be retried');
      }
    }
  }

  private async answer(turn: Turn): Promise<Outcome> {
    const { configuration, credentials } = turn.tenant;
    if (!configuration.tenant.isActive) return { kind: 'skip', reason: 'tenant is inactive' };
    if (!turn.settings.isBotEnabled) return { kind: 'skip', reason: 'bot is disabled for this tenant' };
    if (!turn.settings.enableAutoReply) return { kind: 'skip', reason: 'auto-reply is off for this tenant' };
    if (!credentials) throw new PermanentFailure('tenant has no WhatsApp phone number id or access token');
    // Blue ticks as soon as the bot starts on the message: sent before any database work, so it
    // reaches Meta ahead of the answer, and never waited for before the answer goes out. The
    // message is finished only once it settled (it never rejects).
    const read = this.options.presence.markRead(turn);
    try {
      return await this.decideAndSend(turn, credentials);
    } finally {
      await read;
    }
  }

  private async decideAndSend(turn: Turn, credentials: WhatsAppCredentials): Promise<Outcome> {
    // 24-hour window and rate limits; a limited admission says whether it crossed the limit first.
    const admission = await this.options.controls.admit(turn);
    if (admission.kind === 'limited' && admission.firstInWindow) {
      await this.options.escalator.escalate(
        turn,
        admission.scope === 'user_day'
          ? "the customer's daily message limit was reached"
          : 'the hourly message limit was reached',
      );
    }
    if (admission.kind !== 'admit') return { kind: 'skip', reason: admission.reason };

    let reply = turn.job.decided;
    // Parts are only written after the decision is saved: a reply decided now has none yet,
    // and its first part is written together with the decision.
    let firstPartId: string | null = null;
    if (!reply) {
      const composition = await this.options.composer.compose(turn, { handedOver: admission.handedOver });
      if (composition.kind === 'skip') return composition;
      reply = composition.reply;
      const first = splitForWhatsApp(reply.text)[0];
      firstPartId = await turn.data.replies.saveDecision(
        turn.job.id,
        reply,
        first === undefined ? undefined : { job: turn.job, text: first },
      );
    }
    const sentPart = await this.send(turn, credentials, reply, firstPartId);
    return { kind: 'sent', reply, sentPart };
  }

  private async send(
    turn: Turn,
    credentials: WhatsAppCredentials,
    reply: DecidedReply,
    /** Set when the reply was decided in this attempt: its part 0 was written with the decision. */
    firstPartId: string | null,
  ): Promise<SentPart | null> {
    const { job, data } = turn;
    const parts = splitForWhatsApp(reply.text);
    const written = firstPartId === null ? await data.replies.outboundParts(job.id) : new Map();
    for (const [index, part] of parts.entries()) {
      const state = written.get(index);
      if (state === 'sent') continue;
      if (state === 'sending') {
        // An earlier attempt died between writing this part and hearing back from Meta: the
        // customer may already have it. A status webhook naming the part confirms it; without
        // one within SEND_CONFIRM_WAIT_S the resender sends it once more (unconfirmedResender.ts).
        await data.replies.finishOutboundPart(job.id, index, {
          unconfirmed: 'attempt interrupted during the Graph API call',
        });
        this.options.logger.warn(
          { ...turn.log, part: index },
          'outbound part unconfirmed; waiting for a status before resending',
        );
        continue;
      }
      const partId =
        index === 0 && firstPartId !== null
          ? firstPartId
          : await data.replies.beginOutboundPart(job, index, part, reply);
      try {
        const sent = await this.options.sender.sendText(credentials, job.userPhone, part, {
          replyToMessageId: index === 0 ? job.whatsappMessageId : null,
          logContext: turn.log,
          callbackData: partId,
        });
        // The last part is marked sent by the statement that finishes the message.
        if (index === parts.length - 1) return { index, whatsappMessageId: sent.whatsappMessageId };
        await data.replies.finishOutboundPart(job.id, index, sent);
      } catch (err) {
        await data.replies.finishOutboundPart(job.id, index, { error: describe(err) });
        throw err;
      }
    }
    return null;
  }
}

/** The final state of a message, with what log_conversations and log_errors say to erase. The
 *  worker needs the body and the decided reply while it works (a retry resends the saved
 *  decision), so bodies are erased when the message is finished; error texts at every step. */
class Finish {
  constructor(
    private readonly data: TenantData,
    private readonly settings: () => TenantSettings | null,
  ) {}

  complete(
    inboundId: string,
    status: 'answered' | 'skipped' | 'failed',
    note: string | null,
    sentPart: SentPart | null = null,
  ): Promise<void> {
    return this.data.replies.completeInbound(inboundId, status, note, {
      erase: this.erase(),
      ...(sentPart ? { sentPart } : {}),
    });
  }

  retry(inboundId: string, delayMs: number, error: string): Promise<void> {
    return this.data.replies.retryInbound(inboundId, delayMs, error, this.erase().errors);
  }

  private erase(): { bodies: boolean; errors: boolean } {
    const settings = this.settings();
    return { bodies: settings ? !settings.logConversations : false, errors: settings ? !settings.logErrors : false };
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
