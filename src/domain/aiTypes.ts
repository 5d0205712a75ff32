// The vocabulary shared by prompt building, the fallback order and the provider adapters.

export const AI_PROVIDERS = ['openai', 'openrouter', 'huggingface'] as const;
export type AiProviderName = (typeof AI_PROVIDERS)[number];

export function isAiProviderName(value: unknown): value is AiProviderName {
  return typeof value === 'string' && (AI_PROVIDERS as readonly string[]).includes(value);
}

/** A picture sent to a vision model along with the text of the same turn. */
export interface ChatImagePart {
  type: 'image';
  mimeType: string;
  base64: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Only on a user turn, only for models that read images. */
  images?: ChatImagePart[];
}

/** One place to ask: a provider, a model on it and the key to pay with. */
export interface AiTarget {
  provider: AiProviderName;
  model: string;
  apiKey: string;
}

export interface AiAttemptFailure {
  provider: AiProviderName;
  model: string;
  error: string;
}

/** A function the model may call instead of (or besides) answering (OpenAI-compatible `tools`). */
export interface AiToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/** A call the model asked for: the function's name and its arguments as the JSON text it wrote. */
export interface AiToolCall {
  name: string;
  arguments: string;
}

export interface AiAnswer {
  /** May be empty when the model only called a tool. */
  text: string;
  /** Tool calls the model made (only when tools were offered). */
  toolCalls?: AiToolCall[];
  provider: AiProviderName;
  model: string;
  /** Attempts that failed before this answer (empty when the first target answered). */
  failures: AiAttemptFailure[];
  usage: { promptTokens: number; completionTokens: number } | null;
}

/** Every target failed (or there was none); carries each attempt's error for the log. */
export class AllProvidersFailedError extends Error {
  readonly failures: AiAttemptFailure[];
  constructor(failures: AiAttemptFailure[]) {
    super(
      failures.length === 0
        ? 'No AI provider is configured'
        : `All AI providers failed: ${failures.map((f) => `${f.provider}:${f.model} (${f.error})`).join('; ')}`,
    );
    this.name = 'AllProvidersFailedError';
    this.failures = failures;
  }
}
