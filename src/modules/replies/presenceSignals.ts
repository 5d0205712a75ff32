// Blue ticks and "typing…" for the customer, each switchable per tenant (settings read_receipts and
// typing_indicator, on unless set to false). They are courtesies: a failure is logged and the
// answer goes on, so neither method ever rejects.
import { errorText } from '../../domain/errorText.js';
import type { WhatsAppPresence } from './mediaPorts.js';
import type { ReplyJob } from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { TenantContext } from './tenantContextCache.js';

export const READ_RECEIPTS = 'read_receipts';
export const TYPING_INDICATOR = 'typing_indicator';

export class PresenceSignals {
  constructor(
    private readonly presence: WhatsAppPresence,
    private readonly logger: ReplyLogger,
  ) {}

  /** Marks the customer's message read, when the tenant wants read receipts. */
  markRead(job: ReplyJob, context: TenantContext): Promise<void> {
    return this.signal(job, context, READ_RECEIPTS, (credentials) =>
      this.presence.markAsRead(credentials, job.whatsappMessageId),
    );
  }

  /** Shows "typing…" (which also marks the message read), when the tenant wants it. */
  showTyping(job: ReplyJob, context: TenantContext): Promise<void> {
    return this.signal(job, context, TYPING_INDICATOR, (credentials) =>
      this.presence.showTyping(credentials, job.whatsappMessageId),
    );
  }

  private async signal(
    job: ReplyJob,
    context: TenantContext,
    setting: typeof READ_RECEIPTS | typeof TYPING_INDICATOR,
    call: (credentials: NonNullable<TenantContext['credentials']>) => Promise<void>,
  ): Promise<void> {
    const credentials = context.credentials;
    if (!credentials || !isOn(context.configuration.settings.metadata, setting)) return;
    try {
      await call(credentials);
    } catch (err) {
      this.logger.warn(
        { tenantId: job.tenantId, messageId: job.whatsappMessageId, signal: setting, error: errorText(err) },
        'presence signal failed; answering anyway',
      );
    }
  }
}

/** Stored in the settings metadata (the spec's table has no such columns); missing means on. */
export function isOn(metadata: Record<string, unknown>, setting: string): boolean {
  return metadata[setting] !== false;
}
