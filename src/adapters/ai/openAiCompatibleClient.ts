// One OpenAI-compatible provider (OpenAI, OpenRouter, HuggingFace's router) through the `openai` SDK.
import type OpenAI from 'openai';
import { APIConnectionTimeoutError, APIError, toFile } from 'openai';
import type { AiProviderName, AiTarget, AiToolCall, AiToolDefinition, ChatMessage } from '../../domain/aiTypes.js';
import { OpenAiClientPool } from './openAiClientPool.js';

export interface OpenAiCompatibleClientOptions {
  provider: AiProviderName;
  baseUrl: string;
  timeoutMs: number;
}

export interface Completion {
  text: string;
  toolCalls?: AiToolCall[];
  usage: { promptTokens: number; completionTokens: number } | null;
}

export type AiFailureKind = 'timeout' | 'network' | 'http' | 'empty';

/** A failed attempt, with a message that is short and safe to log and store (never the key). */
export class AiProviderError extends Error {
  readonly kind: AiFailureKind;
  readonly status: number | null;

  constructor(message: string, kind: AiFailureKind, status: number | null) {
    super(message);
    this.name = 'AiProviderError';
    this.kind = kind;
    this.status = status;
  }
}

const MAX_ERROR_CHARS = 200;

export class OpenAiCompatibleClient {
  readonly provider: AiProviderName;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly clients = new OpenAiClientPool();

  constructor(options: OpenAiCompatibleClientOptions) {
    this.provider = options.provider;
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs;
  }

  /** Rejects with AiProviderError; an empty or blank answer counts as a failure. */
  async complete(
    target: AiTarget,
    messages: ChatMessage[],
    maxTokens: number | null,
    tools: AiToolDefinition[] = [],
  ): Promise<Completion> {
    if (target.provider !== this.provider) {
      throw new Error(`${target.provider} target sent to the ${this.provider} client`);
    }
    // The SDK's own timeout stops at the response headers; this signal also bounds the body.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.clientFor(target.apiKey).chat.completions.create(
        {
          model: target.model,
          messages: messages.map(toSdkMessage),
          ...(maxTokens === null ? {} : { max_tokens: maxTokens }),
          ...(tools.length === 0
            ? {}
            : { tools: tools.map((tool) => ({ type: 'function' as const, function: tool })) }),
        },
        { signal },
      );
    } catch (err) {
      throw this.toProviderError(err, target.apiKey, signal.aborted);
    }

    // A misbehaving gateway can answer 200 with any body, so nothing in it is taken for granted.
    const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
    const text = typeof choice?.message?.content === 'string' ? choice.message.content.trim() : '';
    const toolCalls = tools.length === 0 ? [] : toolCallsOf(choice?.message?.tool_calls, tools);
    if (text === '' && toolCalls.length === 0) {
      throw new AiProviderError(`empty answer (finish_reason: ${choice?.finish_reason ?? 'none'})`, 'empty', null);
    }
    const usage = completion.usage;
    return {
      text,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      usage: usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } : null,
    };
  }

  /** Speech to text (POST /audio/transcriptions); a blank transcript counts as a failure. */
  async transcribe(target: AiTarget, audio: { bytes: Buffer; mimeType: string; fileName: string }): Promise<string> {
    if (target.provider !== this.provider) {
      throw new Error(`${target.provider} target sent to the ${this.provider} client`);
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    let text: unknown;
    try {
      const file = await toFile(audio.bytes, audio.fileName, { type: audio.mimeType });
      const transcription = await this.clientFor(target.apiKey).audio.transcriptions.create(
        { file, model: target.model, response_format: 'json' },
        { signal },
      );
      text = transcription.text;
    } catch (err) {
      throw this.toProviderError(err, target.apiKey, signal.aborted);
    }
    const transcript = typeof text === 'string' ? text.trim() : '';
    if (transcript === '') throw new AiProviderError('empty transcript', 'empty', null);
    return transcript;
  }

  private clientFor(apiKey: string): OpenAI {
    return this.clients.get(this.baseUrl, apiKey, this.timeoutMs);
  }

  private toProviderError(err: unknown, apiKey: string, timedOut: boolean): AiProviderError {
    if (timedOut || err instanceof APIConnectionTimeoutError) {
      return new AiProviderError(`timed out after ${this.timeoutMs} ms`, 'timeout', null);
    }
    if (err instanceof APIError && typeof err.status === 'number') {
      const detail = safeText(providerMessage(err), apiKey);
      return new AiProviderError(detail ? `HTTP ${err.status}: ${detail}` : `HTTP ${err.status}`, 'http', err.status);
    }
    const detail = safeText(networkDetail(err), apiKey);
    return new AiProviderError(detail ? `connection failed: ${detail}` : 'connection failed', 'network', null);
  }
}

/** A user turn with pictures becomes content parts: the text first, then each image inline. */
function toSdkMessage(message: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  if (message.role !== 'user' || !message.images || message.images.length === 0) {
    return { role: message.role, content: message.content };
  }
  return {
    role: 'user',
    content: [
      { type: 'text', text: message.content },
      ...message.images.map((image) => ({
        type: 'image_url' as const,
        image_url: { url: `data:${image.mimeType};base64,${image.base64}` },
      })),
    ],
  };
}

/** What the provider said: OpenAI-style `{error: {message}}`, HuggingFace-style `{error: "..."}`, or raw text. */
function providerMessage(err: APIError): string {
  const body: unknown = err.error;
  if (typeof body === 'string') return body;
  if (body !== null && typeof body === 'object' && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  // The SDK's message is "<status> <text>"; the status is reported separately.
  return err.message.replace(/^\d{3}\s*/, '').replace(/^status code \(no body\)$/, '');
}

/** Node's network errors carry their code (ECONNRESET ...) or reason a few causes deep. */
function networkDetail(err: unknown): string {
  let detail = err instanceof Error ? err.message : String(err);
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if ('code' in current && typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) return current.code;
    detail = current.message;
    current = current.cause;
  }
  return detail;
}

// Providers echo keys back ("Incorrect API key provided: sk-...") and proxies echo headers.
const SECRET_PATTERNS = [/Bearer\s+\S+/gi, /\b(?:sk|rk|pk)-[\w*.-]{6,}/g, /\bhf_[\w*.-]{6,}/g];

function safeText(text: string, apiKey: string): string {
  let safe = apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  for (const pattern of SECRET_PATTERNS) safe = safe.replace(pattern, '[redacted]');
  safe = safe.replace(/\s+/g, ' ').trim();
  return safe.length <= MAX_ERROR_CHARS ? safe : `${safe.slice(0, MAX_ERROR_CHARS - 1)}…`;
}

/** The calls of offered functions only, each with its arguments as text (checked by whoever runs it). */
function toolCallsOf(raw: unknown, offered: AiToolDefinition[]): AiToolCall[] {
  if (!Array.isArray(raw)) return [];
  const names = new Set(offered.map((tool) => tool.name));
  return raw.flatMap((call: unknown) => {
    const fn =
      typeof call === 'object' && call !== null
        ? (call as { function?: { name?: unknown; arguments?: unknown } }).function
        : undefined;
    return typeof fn?.name === 'string' && names.has(fn.name) && typeof fn.arguments === 'string'
      ? [{ name: fn.name, arguments: fn.arguments.slice(0, 4000) }]
      : [];
  });
}
