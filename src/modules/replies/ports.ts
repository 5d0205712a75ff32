// What the reply worker needs from the outside world; adapters implement these.
import type { AiAnswer, AiTarget, ChatMessage } from '../../domain/aiTypes.js';

export interface AiResponder {
  /** Tries each target in order; resolves with the first answer, rejects with AllProvidersFailedError. */
  answer(targets: AiTarget[], messages: ChatMessage[], options: { maxTokens: number | null }): Promise<AiAnswer>;
}

export interface WhatsAppCredentials {
  phoneNumberId: string;
  accessToken: string;
}

export interface WhatsAppSender {
  /** Sends one text (at most 4096 characters); rejects with GraphApiError once retries are spent. */
  sendText(
    credentials: WhatsAppCredentials,
    to: string,
    body: string,
    options: { replyToMessageId: string | null },
  ): Promise<{ whatsappMessageId: string }>;
}
