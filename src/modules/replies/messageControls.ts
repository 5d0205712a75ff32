// The gate between a claimed message and its answer: WhatsApp's 24-hour window and the tenant's
// rate limits. Runs on every attempt (a late retry re-checks the window); counting is done once.
import { errorText } from '../../domain/errorText.js';
import { decideRateLimit, rateWindows, type LimitScope } from '../../domain/rateLimit.js';
import { isWithinServiceWindow, OUTSIDE_SERVICE_WINDOW, SERVICE_WINDOW_MS } from '../../domain/serviceWindow.js';
import type { DecidedReply, WhatsAppSender } from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { Turn } from './turn.js';

export const DEFAULT_RATE_LIMIT_NOTICE =
  "You've sent us a lot of messages. We'll be able to answer again a little later.";

const MAX_NOTICE_LENGTH = 4096;

export type Admission =
  /** handedOver: a person has the conversation; the bot will not answer (customer care skips it). */
  | { kind: 'admit'; handedOver: boolean }
  | { kind: 'outside_window'; reason: string }
  /** Stored, not answered. firstInWindow: this message crossed the limit (the escalation trigger). */
  | { kind: 'limited'; scope: LimitScope; firstInWindow: boolean; reason: `rate_limited:${LimitScope}` };

export interface MessageControlsOptions {
  sender: WhatsAppSender;
  logger: ReplyLogger;
  now?: () => Date;
}

export class MessageControls {
  private readonly now: () => Date;

  constructor(private readonly options: MessageControlsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async admit(turn: Turn): Promise<Admission> {
    const { job, data, settings } = turn;
    const now = this.now();
    // Windows follow when the message arrived, not when a worker got to it.
    const windows = rateWindows(job.receivedAt);
    const arrival = await data.controls.admit(job.id, windows, now, SERVICE_WINDOW_MS);
    if (arrival && !isWithinServiceWindow(arrival.lastInboundAt, now))
      return { kind: 'outside_window', reason: OUTSIDE_SERVICE_WINDOW };
    // Handed over to a person: the bot will not answer (customer care skips it as handed over),
    // and the message was not counted against the limits.
    if (arrival?.pausedUntil && arrival.pausedUntil > now) return { kind: 'admit', handedOver: true };
    if (!arrival?.counts) return { kind: 'admit', handedOver: false };

    const decision = decideRateLimit(arrival.counts, {
      perHour: settings.maxMessagesPerHour,
      perUserPerDay: settings.maxMessagesPerUserPerDay,
    });
    if (decision.kind === 'allowed') return { kind: 'admit', handedOver: false };

    const windowStart = decision.scope === 'tenant_hour' ? windows.hourStart : windows.dayStart;
    await this.sendNotice(turn, decision.scope, windowStart);
    return {
      kind: 'limited',
      scope: decision.scope,
      firstInWindow: decision.firstInWindow,
      reason: `rate_limited:${decision.scope}`,
    };
  }

  private async sendNotice(turn: Turn, scope: LimitScope, windowStart: Date): Promise<void> {
    const { job, data } = turn;
    const credentials = turn.tenant.credentials;
    if (!credentials || !(await data.controls.claimNotice(scope, job.userPhone, windowStart))) return;
    const text = (turn.settings.texts.rate_limit_message ?? DEFAULT_RATE_LIMIT_NOTICE).slice(0, MAX_NOTICE_LENGTH);
    const reply: DecidedReply = {
      text,
      source: 'fallback',
      trainingDataId: null,
      aiModelUsed: null,
      templateUsed: null,
      error: null,
    };
    const partId = await data.replies.beginOutboundPart(job, 0, text, reply);
    try {
      const sent = await this.options.sender.sendText(credentials, job.userPhone, text, {
        replyToMessageId: job.whatsappMessageId,
        logContext: turn.log,
        callbackData: partId,
      });
      await data.replies.finishOutboundPart(job.id, 0, sent);
    } catch (err) {
      // The notice was claimed for this window; a failed one is not retried ("at most one").
      const error = errorText(err);
      await data.replies.finishOutboundPart(job.id, 0, { error });
      this.options.logger.warn({ ...turn.log, error }, 'rate-limit notice not sent');
    }
  }
}
