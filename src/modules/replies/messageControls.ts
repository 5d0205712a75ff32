// The gate between a claimed message and its answer: WhatsApp's 24-hour window and the tenant's
// rate limits. Runs on every attempt (a late retry re-checks the window); counting is done once.
import { decideRateLimit, rateWindows, type LimitScope } from '../../domain/rateLimit.js';
import { isWithinServiceWindow, OUTSIDE_SERVICE_WINDOW } from '../../domain/serviceWindow.js';
import type { ControlStores, TenantControlStore } from './controlPorts.js';
import type { DecidedReply, ReplyJob, TenantReplyStore, WhatsAppSender } from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { TenantContext } from './tenantContextCache.js';

export const DEFAULT_RATE_LIMIT_NOTICE =
  "You've sent us a lot of messages. We'll be able to answer again a little later.";

const MAX_NOTICE_LENGTH = 4096;

export type Admission =
  | { kind: 'admit' }
  | { kind: 'outside_window'; reason: string }
  /** Stored, not answered. firstInWindow: this message crossed the limit (the escalation trigger). */
  | { kind: 'limited'; scope: LimitScope; firstInWindow: boolean; reason: `rate_limited:${LimitScope}` };

export interface MessageControlsOptions {
  stores: ControlStores;
  sender: WhatsAppSender;
  logger: ReplyLogger;
  now?: () => Date;
}

export class MessageControls {
  private readonly now: () => Date;

  constructor(private readonly options: MessageControlsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async admit(job: ReplyJob, context: TenantContext, replies: TenantReplyStore): Promise<Admission> {
    const controls = this.options.stores.forTenant(job.tenantId);
    const seen = await controls.touchConversation(job.id);
    const now = this.now();
    if (seen && !isWithinServiceWindow(seen.lastInboundAt, now))
      return { kind: 'outside_window', reason: OUTSIDE_SERVICE_WINDOW };
    // Handed over to a person: the bot will not answer (customer care skips it as handed over), so
    // the message must not use up limits the customer needs once the bot is back.
    if (seen?.pausedUntil && seen.pausedUntil > now) return { kind: 'admit' };

    // Windows follow when the message arrived, not when a worker got to it.
    const windows = rateWindows(seen?.receivedAt ?? now);
    const counts = await controls.countMessage(job.id, job.userPhone, windows);
    const { settings } = context.configuration;
    const decision = decideRateLimit(counts, {
      perHour: settings.maxMessagesPerHour,
      perUserPerDay: settings.maxMessagesPerUserPerDay,
    });
    if (decision.kind === 'allowed') return { kind: 'admit' };

    const windowStart = decision.scope === 'tenant_hour' ? windows.hourStart : windows.dayStart;
    await this.sendNotice(job, context, replies, controls, decision.scope, windowStart);
    return {
      kind: 'limited',
      scope: decision.scope,
      firstInWindow: decision.firstInWindow,
      reason: `rate_limited:${decision.scope}`,
    };
  }

  private async sendNotice(
    job: ReplyJob,
    context: TenantContext,
    replies: TenantReplyStore,
    controls: TenantControlStore,
    scope: LimitScope,
    windowStart: Date,
  ): Promise<void> {
    const credentials = context.credentials;
    if (!credentials || !(await controls.claimNotice(scope, job.userPhone, windowStart))) return;
    const custom = context.configuration.settings.metadata['rate_limit_message'];
    const text = (typeof custom === 'string' && custom.trim() ? custom.trim() : DEFAULT_RATE_LIMIT_NOTICE).slice(
      0,
      MAX_NOTICE_LENGTH,
    );
    const reply: DecidedReply = {
      text,
      source: 'fallback',
      trainingDataId: null,
      aiModelUsed: null,
      templateUsed: null,
      error: null,
    };
    const partId = await replies.beginOutboundPart(job, 0, text, reply);
    try {
      const logContext = { tenantId: job.tenantId, messageId: job.whatsappMessageId };
      const sent = await this.options.sender.sendText(credentials, job.userPhone, text, {
        replyToMessageId: job.whatsappMessageId,
        logContext,
        callbackData: partId,
      });
      await replies.finishOutboundPart(job.id, 0, sent);
    } catch (err) {
      // The notice was claimed for this window; a failed one is not retried ("at most one").
      const error = err instanceof Error ? err.message : String(err);
      await replies.finishOutboundPart(job.id, 0, { error });
      this.options.logger.warn(
        { tenantId: job.tenantId, messageId: job.whatsappMessageId, error },
        'rate-limit notice not sent',
      );
    }
  }
}
