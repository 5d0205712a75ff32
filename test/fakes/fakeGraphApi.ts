// A stand-in for graph.facebook.com on a loopback port: records every request, answers sends
// like Meta does, and fails (or stalls) on demand, so clients are tested over real HTTP.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGraphMedia, type FakeMediaFile, type FakeMediaOptions } from './fakeGraphMedia.js';
import { postStatusWebhook, type StatusWebhookTarget } from './fakeStatusWebhooks.js';

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
  /** biz_opaque_callback_data as sent, or null. */
  callbackData: string | null;
}

export interface FakeTemplate {
  name: string;
  language: string;
  status: string;
  category?: string;
  components?: { type: string; text?: string }[];
}

/** What GET /{waba-id}/message_templates answers for an account without templates of its own. */
export const DEFAULT_TEMPLATES: FakeTemplate[] = [
  {
    name: 'follow_up',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hello {{1}}, about your message: {{2}}' }],
  },
  {
    name: 'not_yet_approved',
    language: 'en_US',
    status: 'PENDING',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Sale!' }],
  },
];

export class FakeGraphApi {
  readonly requests: RecordedGraphRequest[] = [];
  /** Templates per WhatsApp Business Account id (DEFAULT_TEMPLATES for any other). */
  readonly templates = new Map<string, FakeTemplate[]>();
  /** Delay before every answer, in ms; used to provoke client timeouts. */
  delayMs = 0;
  /** Requests received and not yet answered (held by `delayMs`). */
  pending = 0;
  /** Of those, the ones that send something (read receipts and "typing…" left out): a worker
   *  waiting on one has its message's part on its way to the customer. */
  pendingSends = 0;
  /** Media lookups and downloads (see `addMedia`), recorded with their Authorization header. */
  readonly media = new FakeGraphMedia();
  private readonly programmed: ProgrammedResponse[] = [];
  private readonly programmedPresence: ProgrammedResponse[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Set: every text it accepts is followed by a "sent" status webhook to this app, as Meta does. */
  statusWebhooks: StatusWebhookTarget | null = null;
  /** How long after accepting a text its status webhook goes out (Meta's lag). */
  statusDelayMs = 0;
  /** HTTP statuses the app answered the emitted status webhooks with (connection errors as 0). */
  readonly statusWebhookAnswers: number[] = [];
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
    this.media.stop();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `count` requests get `response` instead of the default success (read receipts and typing aside: see failNextPresence). */
  failNext(count: number, response: ProgrammedResponse): void {
    for (let i = 0; i < count; i++) this.programmed.push(response);
  }

  /** The next `count` read receipts or typing indicators get `response` instead of `{"success":true}`. */
  failNextPresence(count: number, response: ProgrammedResponse): void {
    for (let i = 0; i < count; i++) this.programmedPresence.push(response);
  }

  /** Read receipts and typing indicators, in arrival order, with the message they are about. */
  presenceRequests(): { kind: 'read' | 'typing'; messageId: string; phoneNumberId: string; receivedAt: number }[] {
    return this.requests.filter(isPresence).map((request) => ({
      kind: request.body.typing_indicator ? 'typing' : 'read',
      messageId: String(request.body.message_id),
      phoneNumberId: decodeURIComponent(/\/([^/]+)\/messages$/.exec(request.path)?.[1] ?? ''),
      receivedAt: request.receivedAt,
    }));
  }

  /** Serves a media file: GET /{version}/{mediaId} answers its URL on this server, which serves the bytes. */
  addMedia(mediaId: string, file: FakeMediaFile, options?: FakeMediaOptions): FakeMediaOptions {
    return this.media.add(mediaId, file, options);
  }

  /** Template messages the client asked to send, in arrival order. */
  sentTemplates(): { phoneNumberId: string; to: string; name: string; language: string; parameters: string[] }[] {
    return this.requests.flatMap((request) => {
      const match = /\/([^/]+)\/messages$/.exec(request.path);
      if (request.method !== 'POST' || !match?.[1] || request.body?.type !== 'template') return [];
      const body = request.body.template;
      const parameters = (body.components ?? []).flatMap((c: { parameters?: { text: string }[] }) =>
        (c.parameters ?? []).map((p) => p.text),
      );
      return [
        {
          phoneNumberId: decodeURIComponent(match[1]),
          to: String(request.body.to),
          name: String(body.name),
          language: String(body.language?.code),
          parameters,
        },
      ];
    });
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
          callbackData:
            typeof request.body.biz_opaque_callback_data === 'string' ? request.body.biz_opaque_callback_data : null,
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
      // Media has its own failure modes; programmed answers are for the calls that send.
      if (this.media.answer(req, res)) return;
      const account = req.method === 'GET' ? /\/([^/?]+)\/message_templates(\?|$)/.exec(request.path)?.[1] : undefined;
      if (account !== undefined && this.programmed.length === 0) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ data: this.templates.get(decodeURIComponent(account)) ?? DEFAULT_TEMPLATES, paging: {} }),
        );
        return;
      }
      const response =
        (isPresence(request) ? this.programmedPresence.shift() : this.programmed.shift()) ??
        this.defaultResponse(request);
      const sends = !isPresence(request);
      this.pending += 1;
      if (sends) this.pendingSends += 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pending -= 1;
        if (sends) this.pendingSends -= 1;
        // The client may have given up (timeout) while we waited.
        if (res.destroyed) return;
        const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
        res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
        res.end(body);
      }, response.delayMs ?? this.delayMs);
      this.timers.add(timer);
    });
  }

  /** Meta has the message once it is accepted: the status goes out even if its answer never
   *  arrives, and like Meta the fake redelivers it (every 250 ms, for 30 s) until the app says 200. */
  private emitSent(target: StatusWebhookTarget, request: RecordedGraphRequest, wamid: string): void {
    const phoneNumberId = decodeURIComponent(/\/([^/]+)\/messages$/.exec(request.path)?.[1] ?? '');
    const callbackData: unknown = request.body?.biz_opaque_callback_data;
    const status = {
      phoneNumberId,
      wamid,
      recipient: String(request.body?.to),
      status: 'sent' as const,
      callbackData: typeof callbackData === 'string' ? callbackData : null,
    };
    void (async () => {
      if (this.statusDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.statusDelayMs));
      for (let attempt = 0; attempt < 120 && this.server; attempt++) {
        const answer = await postStatusWebhook(target, status).catch(() => 0);
        this.statusWebhookAnswers.push(answer);
        if (answer === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
  }

  private defaultResponse(request: RecordedGraphRequest): ProgrammedResponse {
    if (isPresence(request)) return { status: 200, body: { success: true } };
    this.sentCount += 1;
    const to: unknown = request.body?.to;
    if (this.statusWebhooks) this.emitSent(this.statusWebhooks, request, `wamid.fake-${this.sentCount}`);
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

/** A read receipt or typing indicator: POST /{phone-number-id}/messages with status "read". */
function isPresence(request: RecordedGraphRequest): boolean {
  return request.method === 'POST' && /\/messages$/.test(request.path) && request.body?.status === 'read';
}

function parseJsonOrText(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
