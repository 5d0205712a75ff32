// The providers' OpenAI-compatible POST /embeddings through the `openai` SDK: one request per call,
// bounded by the caller's timeout, behind a circuit breaker per provider, key and tenant so that an
// outage costs each message at most one timeout until the breaker opens, then nothing.
import OpenAI from 'openai';
import type { AiProviderName, AiTarget } from '../../domain/aiTypes.js';
import type { EmbeddingProvider, EmbeddingResult } from '../../modules/embeddings/ports.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { OpenAiClientPool } from './openAiClientPool.js';

export interface EmbeddingClientOptions {
  baseUrls: Record<AiProviderName, string>;
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  now?: () => number;
}

/** A failed embeddings request, with a message safe to log (never the key nor the text). */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

export class EmbeddingClient implements EmbeddingProvider {
  private readonly clients = new OpenAiClientPool();
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: EmbeddingClientOptions) {}

  async embed(
    target: AiTarget,
    inputs: string[],
    options: { timeoutMs: number; tenantId: string },
  ): Promise<EmbeddingResult> {
    if (inputs.length === 0) return { vectors: [], promptTokens: 0 };
    const breakerKey = `${options.tenantId}\u0000${target.provider}\u0000${target.apiKey}`;
    const breaker = this.breakerAt(breakerKey);
    if (!breaker.tryAcquire()) throw new EmbeddingError('circuit open');
    // The SDK's own timeout stops at the response headers; the signal also bounds the body.
    const signal = AbortSignal.timeout(Math.max(1, options.timeoutMs));
    try {
      const response = await this.clientFor(target).embeddings.create(
        { model: target.model, input: inputs, encoding_format: 'float' },
        { signal, timeout: Math.max(1, options.timeoutMs) },
      );
      const result = resultOf(response, inputs.length);
      breaker.recordSuccess();
      this.breakers.delete(breakerKey);
      return result;
    } catch (err) {
      breaker.recordFailure();
      if (err instanceof EmbeddingError) throw err;
      if (signal.aborted) throw new EmbeddingError(`timed out after ${options.timeoutMs} ms`);
      const status = err instanceof OpenAI.APIError && typeof err.status === 'number' ? `HTTP ${err.status}` : null;
      throw new EmbeddingError(status ?? 'connection failed');
    }
  }

  private breakerAt(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker({
        failureThreshold: this.options.breaker?.failureThreshold ?? 3,
        cooldownMs: this.options.breaker?.cooldownMs ?? 30_000,
        now: this.options.now ?? Date.now,
      });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  private clientFor(target: AiTarget): OpenAI {
    return this.clients.get(this.options.baseUrls[target.provider], target.apiKey);
  }
}

/** A gateway may answer 200 with anything: every vector is checked, one per input, all of one length. */
function resultOf(response: unknown, count: number): EmbeddingResult {
  const body = response as { data?: unknown; usage?: { prompt_tokens?: unknown } };
  const data = Array.isArray(body.data) ? body.data : [];
  const vectors: (number[] | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const [position, item] of data.entries()) {
    const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
    const at = typeof index === 'number' ? index : position;
    if (Array.isArray(embedding) && at >= 0 && at < count && embedding.every((x) => Number.isFinite(x))) {
      vectors[at] = embedding as number[];
    }
  }
  const dimensions = vectors[0]?.length ?? 0;
  if (dimensions === 0 || vectors.some((v) => v === undefined || v.length !== dimensions)) {
    throw new EmbeddingError(`malformed answer: expected ${count} vectors of one length`);
  }
  const tokens = body.usage?.prompt_tokens;
  return {
    vectors: vectors as number[][],
    promptTokens: typeof tokens === 'number' && Number.isFinite(tokens) ? Math.max(0, Math.round(tokens)) : 0,
  };
}
