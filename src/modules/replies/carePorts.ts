// What escalation, handoff and answer ratings need from the outside world; adapters implement these.
import type { WhatsAppCredentials } from './ports.js';

export interface TemplateSender {
  /** Sends an approved WhatsApp template; rejects with GraphApiError (131047 outside the window, ...). */
  sendTemplate(
    credentials: WhatsAppCredentials,
    to: string,
    template: { name: string; language: string; bodyParameters: string[] },
  ): Promise<{ whatsappMessageId: string }>;
}

export interface Mailer {
  /** Rejects when the mail server refuses or cannot be reached. */
  send(mail: { to: string; subject: string; text: string }): Promise<void>;
}

/** A bot answer the customer can rate, as it was logged. */
export interface RatedAnswer {
  outboundLogId: string;
  trainingDataId: string | null;
  aiModelUsed: string | null;
}

/** One tenant's conversations and ratings, as the worker sees them; no method takes a tenant id. */
export interface ConversationStore {
  /** Atomically marks an escalation unless one happened within `minIntervalMs`; false = too soon. */
  claimEscalation(userPhone: string, minIntervalMs: number): Promise<boolean>;
  pause(userPhone: string, until: Date, reason: string): Promise<void>;
  /** The bot answer (faq or ai) that came right before this inbound message, if the previous message was one. */
  answerJustBefore(inboundId: string): Promise<RatedAnswer | null>;
  /** Our answer with this WhatsApp message id (a reaction's target). */
  answerByWhatsAppId(whatsappMessageId: string): Promise<RatedAnswer | null>;
  /** The reaction carried by this inbound message, as Meta sent it. */
  reactionOf(inboundId: string): Promise<{ messageId: string; emoji: string } | null>;
  /** One rating per customer and answer: a second rating replaces the first. */
  saveRating(userPhone: string, answer: RatedAnswer, rating: 1 | -1, source: 'reply' | 'reaction'): Promise<void>;
}
