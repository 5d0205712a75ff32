// Sends through Meta's Graph API (POST /{version}/{phone-number-id}/messages) with bounded retries.
// Only what Meta marks as transient is retried, so a permanent refusal fails fast and the worker
// can record it; the access token goes in a header and nowhere else.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { GraphApiError } from '../../domain/graphApiError.js';
import type { Metrics } from '../../modules/operations/metrics.js';
import type { WhatsAppPresence } from '../../modules/replies/mediaPorts.js';
import type { LogContext, WhatsAppCredentials, WhatsAppSender } from '../../modules/replies/ports.js';
import { graphApiErrorFromResponse } from './graphErrorBody.js';

export interface GraphApiClientOptions {
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  logger?: { warn(obj: object, msg: string): void };
  metrics?: Pick<Metrics, 'graphCallFailed'>;
}

// A retry wait longer than this holds the worker (and its lease) for nothing: better to fail and
// let the queue's own next-attempt time take over.
const MAX_DELAY_MS = 10_000;

const sendResponseSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1),
});

type AttemptResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; error: GraphApiError; retryAfterMs: number | null };

export class GraphApiClient implements WhatsAppSender, WhatsAppPresence {
  private readonly options: GraphApiClientOptions;

  constructor(options: GraphApiClientOptions) {
    this.options = options;
  }

  async sendText(
    credentials: WhatsAppCredentials,
    to: string,
    body: string,
    options: { replyToMessageId: string | null; logContext?: LogContext; callbackData?: string },
  ): Promise<{ whatsappMessageId: string }> {
    return this.sendMessage(
      credentials,
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        type: 'text',
        text: { body, preview_url: false },
        ...(options.replyToMessageId === null ? {} : { context: { message_id: options.replyToMessageId } }),
        // Meta echoes it in this message's status webhooks: our row id, so a send whose answer was
        // lost (a crash mid-call) can still be confirmed.
        ...(options.callbackData === undefined ? {} : { biz_opaque_callback_data: options.callbackData }),
      },
      options.logContext,
    );
  }

  /** Sends an approved template (the only thing WhatsApp delivers outside the 24-hour window) with body parameters. */
  async sendTemplate(
    credentials: WhatsAppCredentials,
    to: string,
    template: { name: string; language: string; bodyParameters: string[] },
  ): Promise<{ whatsappMessageId: string }> {
    return this.sendMessage(credentials, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        components: [{ type: 'body', parameters: template.bodyParameters.map((text) => ({ type: 'text', text })) }],
      },
    });
  }

  private async sendMessage(
    credentials: WhatsAppCredentials,
    payload: Record<string, unknown>,
    logContext?: LogContext,
  ): Promise<{ whatsappMessageId: string }> {
    const response = await this.postMessages(credentials, payload, logContext);
    const parsed = sendResponseSchema.safeParse(response.body);
    const first = parsed.success ? parsed.data.messages[0] : undefined;
    if (!first) {
      // Not retried: Meta may have accepted the message, and a second send could duplicate it.
      throw new GraphApiError(`Graph API answered HTTP ${response.status} without a message id`, {
        httpStatus: response.status,
        code: null,
        subcode: null,
        type: null,
        details: null,
        fbtraceId: null,
      });
    }
    return { whatsappMessageId: first.id };
  }

  /** Marks an inbound message as read (blue ticks); the answer carries nothing we need. */
  async markAsRead(credentials: WhatsAppCredentials, messageId: string): Promise<void> {
    await this.postMessages(
      credentials,
      { messaging_product: 'whatsapp', status: 'read', message_id: messageId },
      undefined,
      1,
    );
  }

  /** Marks it read and shows "typing…" until the answer is sent (Meta drops it after ~25 s). */
  async showTyping(credentials: WhatsAppCredentials, messageId: string): Promise<void> {
    const payload = {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: messageId,
      typing_indicator: { type: 'text' },
    };
    await this.postMessages(credentials, payload, undefined, 1);
  }

  private async postMessages(
    credentials: WhatsAppCredentials,
    payload: Record<string, unknown>,
    logContext?: LogContext,
    // Read receipts and typing are tried once: a late one is worthless and would hold up the answer.
    attempts: number = this.options.maxAttempts,
  ): Promise<{ status: number; body: unknown }> {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const url = `${base}/${this.options.apiVersion}/${encodeURIComponent(credentials.phoneNumberId)}/messages`;
    const maxAttempts = Math.max(1, attempts);
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(url, credentials.accessToken, payload);
      if (result.ok) return result;
      const { error } = result;
      this.options.metrics?.graphCallFailed(error.code, error.httpStatus);
      if (attempt >= maxAttempts || !error.retryable) throw error;
      const delayMs = Math.min(MAX_DELAY_MS, result.retryAfterMs ?? this.backoffMs(attempt));
      this.options.logger?.warn(
        {
          ...logContext,
          phoneNumberId: credentials.phoneNumberId,
          attempt,
          maxAttempts,
          delayMs,
          httpStatus: error.httpStatus,
          code: error.code,
          subcode: error.subcode,
          fbtraceId: error.fbtraceId,
          error: error.message,
        },
        'Graph API call failed, retrying',
      );
      await sleep(delayMs);
    }
  }

  private async attempt(url: string, accessToken: string, payload: Record<string, unknown>): Promise<AttemptResult> {
    let response: Response;
    let text: string;
    try {
      // The signal also bounds reading the body, so a stalled answer cannot hang the worker.
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      return { ok: false, error: this.transportError(cause), retryAfterMs: null };
    }
    if (!response.ok) {
      const error = graphApiErrorFromResponse(response.status, text);
      return { ok: false, error, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    return { ok: true, status: response.status, body: parseJson(text) };
  }

  private transportError(cause: unknown): GraphApiError {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    const message = timedOut
      ? `Graph API request timed out after ${this.options.timeoutMs} ms`
      : `Graph API request failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    return new GraphApiError(message, {
      httpStatus: null,
      code: null,
      subcode: null,
      type: null,
      details: timedOut ? null : systemErrorCode(cause),
      fbtraceId: null,
    });
  }

  /** Exponential, with jitter so that workers throttled together do not retry together. */
  private backoffMs(attempt: number): number {
    const ceiling = this.options.backoffBaseMs * 2 ** (attempt - 1);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/** Retry-After is either seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ...) in `cause`. */
function systemErrorCode(error: unknown): string | null {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') {
    return cause.code;
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
