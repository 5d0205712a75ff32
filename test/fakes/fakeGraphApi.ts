// A stand-in for graph.facebook.com on a loopback port: records every request, answers sends
// like Meta does, and fails (or stalls) on demand, so clients are tested over real HTTP.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedGraphRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body is JSON, else the raw text; `any` so tests can read Meta's loose shapes. */
  body: any;
  receivedAt: number;
}

export interface ProgrammedResponse {
  status: number;
  /** A string is sent byte for byte (corpus files, HTML pages); anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
  /** Overrides the fake's `delayMs` for this one answer. */
  delayMs?: number;
}

export interface SentText {
  phoneNumberId: string;
  to: string;
  body: string;
  replyTo: string | null;
  authorization: string | null;
}

export class FakeGraphApi {
  readonly requests: RecordedGraphRequest[] = [];
  /** Delay before every answer, in ms; used to provoke client timeouts. */
  delayMs = 0;
  /** Requests received and not yet answered (held by `delayMs`). */
  pending = 0;
  private readonly programmed: ProgrammedResponse[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | null = null;
  private sentCount = 0;

  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `count` requests get `response` instead of the default success. */
  failNext(count: number, response: ProgrammedResponse): void {
    for (let i = 0; i < count; i++) this.programmed.push(response);
  }

  /** Text messages the client asked to send, in arrival order (retries included). */
  sentTexts(): SentText[] {
    return this.requests.flatMap((request) => {
      const match = /\/([^/]+)\/messages$/.exec(request.path);
      if (request.method !== 'POST' || !match?.[1] || request.body?.type !== 'text') return [];
      return [
        {
          phoneNumberId: decodeURIComponent(match[1]),
          to: String(request.body.to),
          body: String(request.body.text?.body),
          replyTo: typeof request.body.context?.message_id === 'string' ? request.body.context.message_id : null,
          authorization: request.headers.authorization ?? null,
        },
      ];
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedGraphRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: parseJsonOrText(text),
        receivedAt: Date.now(),
      };
      this.requests.push(request);
      const response = this.programmed.shift() ?? this.defaultResponse(request);
      this.pending += 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pending -= 1;
        // The client may have given up (timeout) while we waited.
        if (res.destroyed) return;
        const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
        res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
        res.end(body);
      }, response.delayMs ?? this.delayMs);
      this.timers.add(timer);
    });
  }

  private defaultResponse(request: RecordedGraphRequest): ProgrammedResponse {
    this.sentCount += 1;
    const to: unknown = request.body?.to;
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.fake-${this.sentCount}` }],
      },
    };
  }
}

function parseJsonOrText(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
