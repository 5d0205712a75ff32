// A real OpenAI-compatible HTTP server on loopback that records what it gets and fails on demand.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeFailure {
  status: number;
  body?: unknown;
}

type FailAllMode = number | 'hang' | 'reset';

/** A speech-to-text upload (multipart POST /audio/transcriptions) as the fake received it. */
export interface RecordedTranscription {
  model: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  authorization: string | null;
}

/** A picture a chat request carried, from an `image_url` content part. */
export interface ReceivedImage {
  model: string;
  mimeType: string;
  bytes: Buffer;
  /** The text part of the same turn. */
  text: string;
}

export class FakeAiProvider {
  readonly name: string;
  readonly requests: RecordedRequest[] = [];
  reply: string | ((body: any) => string);
  /** Set: the answer is this function call (with `reply` as its text, unless empty), when the request offered tools. */
  toolCall: ((body: any) => { name: string; arguments: string } | null) | null = null;
  /** Wait before answering (successes and failures alike). */
  delayMs = 0;
  /** Sees every chat request as it arrives, before any answer (a test kills the server from here). */
  onChat: ((body: any) => void) | null = null;
  /** Extra wait for requests naming one of these models (one tenant's slow model). */
  readonly modelDelaysMs = new Map<string, number>();
  readonly transcriptions: RecordedTranscription[] = [];
  transcript: string | ((upload: RecordedTranscription) => string) = 'Fake transcript';
  private transcriptionFailures: FakeFailure[] = [];
  private failAllTranscriptions: FakeFailure | null = null;
  /** POST /embeddings: one vector per input (see conceptEmbeddings.ts); every request is recorded. */
  embedder: (text: string) => number[] = () => [1, 0, 0, 0];
  readonly embeddingRequests: RecordedRequest[] = [];
  /** Every embeddings request fails: with a status, or by never answering ('hang'); null: they succeed. */
  embeddingFailure: number | 'hang' | null = null;
  embeddingDelayMs = 0;
  private server: Server | null = null;
  private pendingFailures: FakeFailure[] = [];
  private failAllMode: FailAllMode | null = null;

  constructor(name = 'fake') {
    this.name = name;
    this.reply = `Fake answer from ${name}`;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    // Hanging requests would keep close() waiting forever.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `n` chat requests fail with this status and body. */
  failNext(n: number, failure: FakeFailure): void {
    for (let i = 0; i < n; i++) this.pendingFailures.push(failure);
  }

  /** Every chat request fails: with a status, by never answering, or by dropping the connection. */
  failAll(mode: FailAllMode): void {
    this.failAllMode = mode;
  }

  recover(): void {
    this.failAllMode = null;
    this.modelDelaysMs.clear();
    this.pendingFailures = [];
    this.transcriptionFailures = [];
    this.failAllTranscriptions = null;
    this.embeddingFailure = null;
    this.embeddingDelayMs = 0;
  }

  /** The texts embedded so far, request by request. */
  embeddedInputs(): string[][] {
    return this.embeddingRequests.map((request) =>
      Array.isArray(request.body?.input) ? request.body.input.map(String) : [String(request.body?.input)],
    );
  }

  /** The next `n` transcription requests (or all of them until `recover`) fail with this answer. */
  failTranscriptions(n: number | 'all', failure: FakeFailure): void {
    if (n === 'all') this.failAllTranscriptions = failure;
    else for (let i = 0; i < n; i++) this.transcriptionFailures.push(failure);
  }

  /** Every picture sent to this provider in chat requests, decoded, in arrival order. */
  receivedImages(): ReceivedImage[] {
    return this.requests.flatMap((request) =>
      (Array.isArray(request.body?.messages) ? request.body.messages : []).flatMap((message: any) => {
        if (!Array.isArray(message?.content)) return [];
        const text = message.content
          .filter((part: any) => part?.type === 'text')
          .map((part: any) => String(part.text))
          .join('\n');
        return message.content.flatMap((part: any) => {
          const match = /^data:([^;,]+);base64,(.*)$/s.exec(String(part?.image_url?.url ?? ''));
          if (part?.type !== 'image_url' || !match?.[1]) return [];
          return [
            {
              model: String(request.body.model),
              mimeType: match[1],
              bytes: Buffer.from(match[2] ?? '', 'base64'),
              text,
            },
          ];
        });
      }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBytes = await readBody(req);
    const raw = rawBytes.toString('utf8');
    const path = req.url ?? '';
    if (req.method === 'POST' && path === '/v1/audio/transcriptions') {
      await this.transcribe(req, res, rawBytes);
      return;
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      await this.embed(req, res, raw);
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, { error: { message: `No route ${req.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, { error: { message: 'Body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    this.requests.push({ path, headers: req.headers, body });
    this.onChat?.(body);

    if (this.failAllMode === 'hang') return;
    if (this.failAllMode === 'reset') {
      req.socket.destroy();
      return;
    }
    const delay = this.delayMs + (this.modelDelaysMs.get(String(body?.model)) ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

    const failure = this.failAllMode !== null ? { status: this.failAllMode } : this.pendingFailures.shift();
    if (failure) {
      sendJson(
        res,
        failure.status,
        failure.body ?? { error: { message: `Fake failure from ${this.name}`, type: 'server_error' } },
      );
      return;
    }
    const content = typeof this.reply === 'function' ? this.reply(body) : this.reply;
    const call = Array.isArray(body?.tools) && this.toolCall ? this.toolCall(body) : null;
    if (call) {
      sendJson(res, 200, {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body?.model ?? 'unknown',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: content || null,
              tool_calls: [{ id: `call_${this.requests.length}`, type: 'function', function: call }],
            },
            finish_reason: 'tool_calls',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
      });
      return;
    }
    sendJson(res, 200, {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body?.model ?? 'unknown',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
    });
  }

  /** OpenAI's embeddings: `{input: string | string[], model}` → `{data: [{embedding, index}], usage}`. */
  private async embed(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, { error: { message: 'Body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    this.embeddingRequests.push({ path: req.url ?? '', headers: req.headers, body });
    if (this.embeddingFailure === 'hang') return;
    if (this.embeddingDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.embeddingDelayMs));
    if (typeof this.embeddingFailure === 'number') {
      sendJson(res, this.embeddingFailure, { error: { message: `Fake embeddings failure from ${this.name}` } });
      return;
    }
    const inputs: string[] = Array.isArray(body?.input) ? body.input.map(String) : [String(body?.input ?? '')];
    sendJson(res, 200, {
      object: 'list',
      model: body?.model ?? 'unknown',
      data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: this.embedder(input) })),
      // Deterministic: a token per word, so analytics can be checked to the token.
      usage: {
        prompt_tokens: inputs.reduce((sum, input) => sum + input.split(/\s+/).filter(Boolean).length, 0),
        total_tokens: 0,
      },
    });
  }

  /** OpenAI's speech-to-text: multipart with `file` and `model`, answering `{"text": ...}`. */
  private async transcribe(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    } catch {
      sendJson(res, 400, { error: { message: 'Body is not multipart form data', type: 'invalid_request_error' } });
      return;
    }
    const file = form.get('file');
    const model = form.get('model');
    if (!(file instanceof Blob) || typeof model !== 'string') {
      sendJson(res, 400, { error: { message: 'file and model are required', type: 'invalid_request_error' } });
      return;
    }
    const upload: RecordedTranscription = {
      model,
      fileName: file instanceof File ? file.name : '',
      mimeType: file.type,
      bytes: Buffer.from(await file.arrayBuffer()),
      authorization: req.headers.authorization ?? null,
    };
    this.transcriptions.push(upload);
    const failure = this.failAllTranscriptions ?? this.transcriptionFailures.shift();
    if (failure) {
      sendJson(
        res,
        failure.status,
        failure.body ?? { error: { message: `Fake transcription failure from ${this.name}`, type: 'server_error' } },
      );
      return;
    }
    sendJson(res, 200, { text: typeof this.transcript === 'function' ? this.transcript(upload) : this.transcript });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
