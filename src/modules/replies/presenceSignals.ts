// Blue ticks and "typing…" for the customer, each switchable per tenant (settings read_receipts and
// typing_indicator, on unless set to false). They are courtesies: a failure is logged and the
// answer goes on, so neither method ever rejects.
import { errorText } from '../../domain/errorText.js';
import type { WhatsAppPresence } from './mediaPorts.js';
import type { WhatsAppCredentials } from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { Turn } from './turn.js';

export class PresenceSignals {
  constructor(
    private readonly presence: WhatsAppPresence,
    private readonly logger: ReplyLogger,
  ) {}

  /** Marks the customer's message read, when the tenant wants read receipts. */
  markRead(turn: Turn): Promise<void> {
    return this.signal(turn, 'read_receipts', (credentials) =>
      this.presence.markAsRead(credentials, turn.job.whatsappMessageId),
    );
  }

  /** Shows "typing…" (which also marks the message read), when the tenant wants it. */
  showTyping(turn: Turn): Promise<void> {
    return this.signal(turn, 'typing_indicator', (credentials) =>
      this.presence.showTyping(credentials, turn.job.whatsappMessageId),
    );
  }

  private async signal(
    turn: Turn,
    setting: 'read_receipts' | 'typing_indicator',
    call: (credentials: WhatsAppCredentials) => Promise<void>,
  ): Promise<void> {
    const credentials = turn.tenant.credentials;
    if (!credentials || !turn.settings.texts[setting]) return;
    try {
      await call(credentials);
    } catch (err) {
      this.logger.warn(
        { ...turn.log, signal: setting, error: errorText(err) },
        'presence signal failed; answering anyway',
      );
    }
  }
}
