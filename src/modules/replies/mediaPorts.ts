// What understanding a non-text message needs from the outside world; adapters implement these.
import type { AiTarget } from '../../domain/aiTypes.js';
import type { WhatsAppCredentials } from './ports.js';

/** A downloaded WhatsApp media file. */
export interface MediaFile {
  bytes: Buffer;
  /** As Meta reports it (`image/jpeg`, `application/pdf`, `audio/ogg; codecs=opus`, ...). */
  mimeType: string;
  fileName: string | null;
}

export interface MediaFetcher {
  /**
   * Looks `mediaId` up with the tenant's token (GET /{media_id}) and downloads the URL it
   * returns, refusing files over `maxBytes`. Rejects with MediaDownloadError.
   */
  fetch(credentials: WhatsAppCredentials, mediaId: string, options: { maxBytes: number }): Promise<MediaFile>;
}

export interface WhatsAppPresence {
  /** Marks the customer's message read (blue ticks). */
  markAsRead(credentials: WhatsAppCredentials, messageId: string): Promise<void>;
  /** Marks it read and shows "typing…" until the reply is sent (or ~25 s pass). */
  showTyping(credentials: WhatsAppCredentials, messageId: string): Promise<void>;
}

export interface SpeechToText {
  /** Tries each target in order; resolves with the first transcript, rejects when all fail. */
  transcribe(targets: AiTarget[], audio: MediaFile): Promise<{ text: string; provider: string; model: string }>;
}

export interface DocumentReader {
  /** Whether a document of this type (and name, when the type is generic) has text to read: asked before downloading. */
  canRead(mimeType: string, fileName: string | null): boolean;
  /**
   * The text of a PDF or plain-text document; null when the type carries no readable text.
   * Rejects with DocumentReadError when reading it would take more time or memory than allowed.
   */
  textOf(file: MediaFile): Promise<string | null>;
}
