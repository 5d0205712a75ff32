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

export interface AiAnswer {
  text: string;
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
