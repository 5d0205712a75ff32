// Fetches a customer's media from WhatsApp: GET /{media-id} for a short-lived URL, then the bytes
// from that URL, both with the tenant's token. The size limit holds even when Meta's declared
// size is wrong, an expired URL is looked up again, and only what can get better is retried.
// The download URL and every redirect hop must be on MEDIA_ALLOWED_HOSTS before the token goes there.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { GraphApiError } from '../../domain/graphApiError.js';
import { MediaDownloadError } from '../../domain/mediaDownloadError.js';
import { hostOf, type MediaHostAllowList } from '../../domain/mediaHostAllowList.js';
import type { MediaFetcher, MediaFile } from '../../modules/replies/mediaPorts.js';
import type { WhatsAppCredentials } from '../../modules/replies/ports.js';
import { graphApiErrorFromResponse } from './graphErrorBody.js';

export interface GraphMediaClientOptions {
  baseUrl: string;
  apiVersion: string;
  /** For the lookup, a small JSON answer. */
  lookupTimeoutMs: number;
  /** For each download, body included. */
  downloadTimeoutMs: number;
  /** Lookup-and-download rounds after network errors and 5xx (an expired URL costs a round too). */
  maxAttempts: number;
  backoffBaseMs: number;
  /** Where downloads (and their redirects) may go; anything else is refused without sending the token. */
  allowedHosts: MediaHostAllowList;
  logger?: { warn(obj: object, msg: string): void };
}

const lookupSchema = z.looseObject({
  url: z.string().regex(/^https?:\/\//i),
  mime_type: z.string().optional().catch(undefined),
  file_size: z.coerce.number().nonnegative().optional().catch(undefined),
});

/** What a download URL answers once it has expired (Meta keeps them for about five minutes). */
const EXPIRED_STATUSES = new Set([401, 403, 404, 410]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** A CDN hands off once or twice; more than this is a loop or a detour. */
const MAX_REDIRECTS = 5;
/** Graph error 100 is "object does not exist or you may not see it": the id is gone or not this number's. */
const NOT_FOUND_CODE = 100;

type Lookup = z.infer<typeof lookupSchema>;

export class GraphMediaClient implements MediaFetcher {
  constructor(private readonly options: GraphMediaClientOptions) {}

  async fetch(credentials: WhatsAppCredentials, mediaId: string, limits: { maxBytes: number }): Promise<MediaFile> {
    const maxAttempts = Math.max(1, this.options.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      try {
        const lookup = await this.lookup(credentials, mediaId);
        if (lookup.file_size !== undefined && lookup.file_size > limits.maxBytes) {
          throw tooLarge(`media ${mediaId} is ${lookup.file_size} bytes`, limits.maxBytes);
        }
        return await this.download(lookup, credentials.accessToken, limits.maxBytes);
      } catch (err) {
        const error = err instanceof MediaDownloadError ? err : new MediaDownloadError(String(err), 'network', true);
        // A timeout is not retried here: a slow server stays slow for a while, and the queue's
        // own backoff tries again later without holding the worker.
        const again = error.retryable && error.reason !== 'timeout' && attempt < maxAttempts;
        if (!again) throw error;
        const delayMs = error.reason === 'expired' ? 0 : this.backoffMs(attempt);
        this.options.logger?.warn(
          {
            phoneNumberId: credentials.phoneNumberId,
            mediaId,
            attempt,
            maxAttempts,
            delayMs,
            reason: error.reason,
            error: error.message,
          },
          'media download failed, retrying',
        );
        if (delayMs > 0) await sleep(delayMs);
      }
    }
  }

  private async lookup(credentials: WhatsAppCredentials, mediaId: string): Promise<Lookup> {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    // phone_number_id makes Meta refuse media that was not sent to this tenant's number.
    const query = new URLSearchParams({ phone_number_id: credentials.phoneNumberId });
    const url = `${base}/${this.options.apiVersion}/${encodeURIComponent(mediaId)}?${query.toString()}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${credentials.accessToken}` },
        signal: AbortSignal.timeout(this.options.lookupTimeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      throw this.transportError('lookup', cause, this.options.lookupTimeoutMs);
    }
    if (!response.ok) throw lookupError(mediaId, graphApiErrorFromResponse(response.status, text));
    const parsed = lookupSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new MediaDownloadError(
        `media lookup for ${mediaId} answered HTTP ${response.status} without a download URL`,
        'http',
        true,
      );
    }
    return parsed.data;
  }

  private async download(lookup: Lookup, accessToken: string, maxBytes: number): Promise<MediaFile> {
    const timeoutMs = this.options.downloadTimeoutMs;
    try {
      const response = await this.followAllowed(lookup.url, accessToken, AbortSignal.timeout(timeoutMs));
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        if (EXPIRED_STATUSES.has(response.status)) {
          throw new MediaDownloadError(`media URL answered HTTP ${response.status} (expired)`, 'expired', true);
        }
        const retryable = response.status >= 500 || response.status === 429;
        throw new MediaDownloadError(`media download answered HTTP ${response.status}`, 'http', retryable);
      }
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw tooLarge(`media download is ${declared} bytes`, maxBytes);
      }
      const bytes = await readAtMost(response, maxBytes);
      const mimeType =
        lookup.mime_type?.trim() || response.headers.get('content-type')?.trim() || 'application/octet-stream';
      return { bytes, mimeType, fileName: null };
    } catch (err) {
      if (err instanceof MediaDownloadError) throw err;
      throw this.transportError('download', err, timeoutMs);
    }
  }

  /** GET with redirects followed by hand, each hop checked against the allow-list before it is asked. */
  private async followAllowed(start: string, accessToken: string, signal: AbortSignal): Promise<Response> {
    let url = start;
    for (let hop = 0; ; hop++) {
      if (!this.options.allowedHosts.allows(url)) {
        // The host only: the path and query of a media URL are a signed, short-lived capability.
        this.options.logger?.warn(
          { host: hostOf(url), redirectHop: hop },
          'media URL refused: its host is not on MEDIA_ALLOWED_HOSTS',
        );
        throw new MediaDownloadError(`media URL host ${hostOf(url)} is not on MEDIA_ALLOWED_HOSTS`, 'refused', false);
      }
      const response = await fetch(url, {
        // Meta serves the bytes only to the same bearer token.
        headers: { authorization: `Bearer ${accessToken}` },
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS)
        throw new MediaDownloadError(`media download redirected more than ${MAX_REDIRECTS} times`, 'http', false);
      // An unparsable Location stays as it is, and the allow-list refuses it on the next turn.
      url = URL.canParse(location, url) ? new URL(location, url).href : location;
    }
  }

  private transportError(step: 'lookup' | 'download', cause: unknown, timeoutMs: number): MediaDownloadError {
    if (cause instanceof Error && cause.name === 'TimeoutError') {
      return new MediaDownloadError(`media ${step} timed out after ${timeoutMs} ms`, 'timeout', true);
    }
    return new MediaDownloadError(`media ${step} failed: ${networkDetail(cause)}`, 'network', true);
  }

  /** Exponential, with jitter so that workers failing together do not retry together. */
  private backoffMs(attempt: number): number {
    const ceiling = this.options.backoffBaseMs * 2 ** (attempt - 1);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/** Reads the body, giving up as soon as it grows past `maxBytes`, whatever the headers said. */
async function readAtMost(response: Response, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`media download passed ${maxBytes} bytes`, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function lookupError(mediaId: string, error: GraphApiError): MediaDownloadError {
  const message = `media lookup for ${mediaId} failed: ${error.message}`;
  if (error.httpStatus === 404 || error.code === NOT_FOUND_CODE)
    return new MediaDownloadError(message, 'not_found', false);
  return new MediaDownloadError(message, error.httpStatus === null ? 'network' : 'http', error.retryable);
}

function tooLarge(what: string, maxBytes: number): MediaDownloadError {
  return new MediaDownloadError(`${what}, over the limit of ${maxBytes} bytes`, 'too_large', false);
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ...) in `cause`. */
function networkDetail(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string')
    return cause.code;
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
