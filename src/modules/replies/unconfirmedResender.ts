// Exactly once to the customer, even across a crash. A part whose Graph call was interrupted is
// `unconfirmed`: Meta may or may not have it. Every part goes out with its row id as
// biz_opaque_callback_data, so if Meta has it a status webhook naming that id confirms it
// (tenantDeliveryStatuses.ts). One still unconfirmed after SEND_CONFIRM_WAIT_S never reached
// Meta (statuses come within seconds), so it is sent once more — once: the claim marks it.
import { errorText } from '../../domain/errorText.js';
import { GraphApiError } from '../../domain/graphApiError.js';
import { isWithinServiceWindow, OUTSIDE_SERVICE_WINDOW } from '../../domain/serviceWindow.js';
import type { WhatsAppSender } from './ports.js';
import type { UnconfirmedPart, UnconfirmedParts } from './resendPorts.js';
import type { TenantContextCache } from './tenantContextCache.js';
import { PeriodicJob } from '../operations/periodicJob.js';

const BATCH = 20;

export interface UnconfirmedResenderOptions {
  parts: UnconfirmedParts;
  contexts: Pick<TenantContextCache, 'get'>;
  sender: WhatsAppSender;
  /** SEND_CONFIRM_WAIT_S, in ms. */
  waitMs: number;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  now?: () => Date;
}

export class UnconfirmedResender {
  private readonly job: PeriodicJob;

  constructor(private readonly options: UnconfirmedResenderOptions) {
    this.job = new PeriodicJob(() => this.sweep(), Math.min(60_000, Math.max(500, options.waitMs / 2)));
  }

  /** Sweeps every half wait (between 0.5 s and a minute): a part is resent at most that late. */
  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Resends every part that is due; resolves with how many were claimed. */
  async sweep(): Promise<number> {
    let claimed = 0;
    try {
      for (;;) {
        const parts = await this.options.parts.claimDue(this.options.waitMs, BATCH);
        claimed += parts.length;
        await Promise.all(parts.map((part) => this.resend(part)));
        if (parts.length < BATCH) return claimed;
      }
    } catch (err) {
      this.options.logger.warn({ error: errorText(err) }, 'unconfirmed parts could not be swept; trying again later');
      return claimed;
    }
  }

  private async resend(part: UnconfirmedPart): Promise<void> {
    const log = { tenantId: part.tenantId, messageId: part.inReplyTo ?? '', part: part.partIndex };
    const refusal = await this.refusal(part);
    if (refusal.kind === 'refused') {
      await this.options.parts.finish(part, { error: `not resent: ${refusal.reason}` });
      this.options.logger.warn({ ...log, reason: refusal.reason }, 'unconfirmed part not resent');
      return;
    }
    try {
      const sent = await this.options.sender.sendText(refusal.credentials, part.userPhone, refusal.text, {
        replyToMessageId: part.partIndex === 0 ? part.inReplyTo : null,
        logContext: { tenantId: part.tenantId, messageId: part.inReplyTo ?? '' },
        callbackData: part.id,
      });
      await this.options.parts.finish(part, sent);
      this.options.logger.info(log, 'unconfirmed part resent (no status within SEND_CONFIRM_WAIT_S)');
    } catch (err) {
      const error =
        err instanceof GraphApiError
          ? `resend failed: Graph API ${err.httpStatus ?? 'network'} error: ${err.message}`
          : `resend failed: ${errorText(err)}`;
      await this.options.parts.finish(part, { error });
      this.options.logger.warn({ ...log, error }, 'unconfirmed part could not be resent');
    }
  }

  private async refusal(part: UnconfirmedPart) {
    const context = await this.options.contexts.get(part.tenantId).catch(() => null);
    const now = (this.options.now ?? (() => new Date()))();
    const refuse = (reason: string) => ({ kind: 'refused' as const, reason });
    if (!context?.configuration.tenant.isActive) return refuse('the tenant is gone or inactive');
    if (!context.credentials) return refuse('the tenant has no WhatsApp phone number id or access token');
    if (part.text === null) return refuse('its text is no longer stored (conversation logging is off)');
    if (!part.lastInboundAt || !isWithinServiceWindow(part.lastInboundAt, now)) return refuse(OUTSIDE_SERVICE_WINDOW);
    return { kind: 'send' as const, credentials: context.credentials, text: part.text };
  }
}
