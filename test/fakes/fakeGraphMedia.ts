// The media half of the fake Graph API: GET /{version}/{media-id} answers a download URL on the
// same server, and that URL serves the bytes. Each file can misbehave like Meta does: unknown ids,
// expired URLs, sizes that are too big (declared or only discovered while streaming), slow answers.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeMediaFile {
  bytes: Buffer;
  mimeType: string;
  fileName?: string;
}

export interface FakeMediaOptions {
  /** The lookup fails: Meta's "object does not exist" (HTTP 400, code 100), or this answer. */
  lookupFails?: 'not_found' | { status: number; body: unknown };
  /** Only the first N lookups fail as `lookupFails` says; every one when unset. */
  lookupFailsTimes?: number;
  /** The first N download URLs handed out have already expired (they answer 404). */
  expiredUrls?: number;
  /** `file_size` in the lookup; the real size when unset. */
  declaredSize?: number;
  /** Stream the bytes without Content-Length, as a server whose declared size cannot be trusted. */
  hideLength?: boolean;
  /** Wait before answering a download (headers included). */
  downloadDelayMs?: number;
  /** The lookup hands out its download URL on this origin ("http://localhost:1234") instead of its own. */
  downloadOrigin?: string;
  /** A download first answers 302 to the same path on this origin; the redirected request is served. */
  redirectOrigin?: string;
}

export interface MediaLookupRecord {
  mediaId: string;
  phoneNumberId: string | null;
  authorization: string | null;
}

export interface MediaDownloadRecord {
  mediaId: string;
  /** Which lookup handed out the URL (1 = the first). */
  generation: number;
  status: number;
  authorization: string | null;
  /** The Host header the download was asked with. */
  host: string | null;
  /** Bytes handed to the socket before the client went away or the body ended. */
  bytesWritten: number;
  /** False while streaming, and when the client hung up before the last byte. */
  completed: boolean;
}

interface Entry {
  file: FakeMediaFile;
  options: FakeMediaOptions;
  generations: number;
  lookups: number;
}

const LOOKUP_PATH = /^\/v\d+\.\d+\/([^/?]+)(?:\?(.*))?$/;
const DOWNLOAD_PATH = /^\/media-download\/([^/?]+)\/(\d+)(\?redirected)?$/;
const CHUNK_BYTES = 16 * 1024;

export class FakeGraphMedia {
  readonly lookups: MediaLookupRecord[] = [];
  readonly downloads: MediaDownloadRecord[] = [];
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Serves `file` under `mediaId`; the returned options can be changed later (e.g. to speed up). */
  add(mediaId: string, file: FakeMediaFile, options: FakeMediaOptions = {}): FakeMediaOptions {
    const entry: Entry = { file, options: { ...options }, generations: 0, lookups: 0 };
    this.entries.set(mediaId, entry);
    return entry.options;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Answers the request when it is a media lookup or download; false leaves it to the caller. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET') return false;
    const path = req.url ?? '';
    const download = DOWNLOAD_PATH.exec(path);
    if (download?.[1] && download[2]) {
      this.serveDownload(decodeURIComponent(download[1]), Number(download[2]), download[3] !== undefined, req, res);
      return true;
    }
    const lookup = LOOKUP_PATH.exec(path);
    if (lookup?.[1]) {
      this.serveLookup(decodeURIComponent(lookup[1]), new URLSearchParams(lookup[2] ?? ''), req, res);
      return true;
    }
    return false;
  }

  private serveLookup(mediaId: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    this.lookups.push({
      mediaId,
      phoneNumberId: query.get('phone_number_id'),
      authorization: req.headers.authorization ?? null,
    });
    const entry = this.entries.get(mediaId);
    if (entry) entry.lookups += 1;
    const failsNow = entry !== undefined && entry.lookups <= (entry.options.lookupFailsTimes ?? Infinity);
    const failure = failsNow ? entry.options.lookupFails : undefined;
    if (!entry || failure === 'not_found') {
      // What Meta answers for an id that does not exist or belongs to someone else.
      sendJson(res, 400, {
        error: {
          message: `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
          fbtrace_id: 'FakeTrace',
        },
      });
      return;
    }
    if (failure) {
      sendJson(res, failure.status, failure.body);
      return;
    }
    entry.generations += 1;
    sendJson(res, 200, {
      url: `${entry.options.downloadOrigin ?? `http://${req.headers.host ?? '127.0.0.1'}`}/media-download/${encodeURIComponent(mediaId)}/${entry.generations}`,
      mime_type: entry.file.mimeType,
      sha256: 'not-checked-by-the-client',
      file_size: entry.options.declaredSize ?? entry.file.bytes.length,
      id: mediaId,
      messaging_product: 'whatsapp',
    });
  }

  private serveDownload(
    mediaId: string,
    generation: number,
    redirected: boolean,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const entry = this.entries.get(mediaId);
    const record: MediaDownloadRecord = {
      mediaId,
      generation,
      status: 404,
      authorization: req.headers.authorization ?? null,
      host: req.headers.host ?? null,
      bytesWritten: 0,
      completed: false,
    };
    this.downloads.push(record);
    if (entry?.options.redirectOrigin && !redirected) {
      record.status = 302;
      record.completed = true;
      res.writeHead(302, {
        location: `${entry.options.redirectOrigin}/media-download/${encodeURIComponent(mediaId)}/${generation}?redirected`,
      });
      res.end();
      return;
    }
    const expired = !entry || generation !== entry.generations || generation <= (entry.options.expiredUrls ?? 0);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (res.destroyed) return;
      if (!entry || expired) {
        record.completed = true;
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('URL signature expired');
        return;
      }
      record.status = 200;
      this.stream(entry, record, res);
    }, entry?.options.downloadDelayMs ?? 0);
    this.timers.add(timer);
  }

  /** Writes in chunks, waiting for the socket to drain, so a client that stops reading stops us. */
  private stream(entry: Entry, record: MediaDownloadRecord, res: ServerResponse): void {
    const { bytes, mimeType } = entry.file;
    res.writeHead(200, {
      'content-type': mimeType,
      ...(entry.options.hideLength ? {} : { 'content-length': String(bytes.length) }),
    });
    let offset = 0;
    const writeMore = (): void => {
      while (offset < bytes.length && !res.destroyed) {
        const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
        offset += chunk.length;
        record.bytesWritten = offset;
        if (!res.write(chunk)) {
          res.once('drain', writeMore);
          return;
        }
      }
      if (!res.destroyed) {
        res.end();
        record.completed = true;
      }
    };
    writeMore();
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
