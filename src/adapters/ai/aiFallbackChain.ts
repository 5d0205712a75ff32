// Asks each target in turn until one answers: the AiResponder the reply worker uses.
import { createHash } from 'node:crypto';
import { AI_PROVIDERS, AllProvidersFailedError } from '../../domain/aiTypes.js';
import type { AiAnswer, AiAttemptFailure, AiProviderName, AiTarget, ChatMessage } from '../../domain/aiTypes.js';
import { noMetrics, type Metrics } from '../../modules/operations/metrics.js';
import type { AiAnswerOptions, AiResponder } from '../../modules/replies/ports.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuitBreaker.js';
import { AiProviderError, OpenAiCompatibleClient } from './openAiCompatibleClient.js';

export interface AiFallbackChainOptions {
  baseUrls: Record<AiProviderName, string>;
  /** Per attempt, so the worst case is this times the number of targets. */
  timeoutMs: number;
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  logger?: { warn(obj: object, msg: string): void };
  metrics?: Pick<Metrics, 'aiAttemptFailed' | 'aiFallbackAnswered'>;
  now?: () => number;
}

const DEFAULT_FAILURE_THRESHOLD = 5;
const DEFAULT_COOLDOWN_MS = 30_000;

export class AiFallbackChain implements AiResponder {
  private readonly clients: Record<AiProviderName, OpenAiCompatibleClient>;
  private readonly breakerOptions: CircuitBreakerOptions;
  /**
   * One breaker per provider, key and tenant. Per key: one tenant's bad or throttled key says
   * nothing about anyone else's. Per tenant as well, because the server's key is shared: a
   * tenant whose model (or prompt) is slower than the timeout times out only its own calls, and
   * those failures must not stop every other tenant's calls with that key. The price is that a
   * real outage is found out by each tenant on its own (failureThreshold calls each). A breaker
   * with nothing to remember is dropped, so the map holds only the ones that are failing.
   */
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly logger: AiFallbackChainOptions['logger'];
  private readonly metrics: NonNullable<AiFallbackChainOptions['metrics']>;

  constructor(options: AiFallbackChainOptions) {
    this.breakerOptions = {
      failureThreshold: options.breaker?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
      cooldownMs: options.breaker?.cooldownMs ?? DEFAULT_COOLDOWN_MS,
      now: options.now ?? Date.now,
    };
    const client = (provider: AiProviderName) =>
      new OpenAiCompatibleClient({ provider, baseUrl: options.baseUrls[provider], timeoutMs: options.timeoutMs });
    this.clients = Object.fromEntries(AI_PROVIDERS.map((p) => [p, client(p)])) as Record<
      AiProviderName,
      OpenAiCompatibleClient
    >;
    this.logger = options.logger;
    this.metrics = options.metrics ?? noMetrics;
  }

  async answer(targets: AiTarget[], messages: ChatMessage[], options: AiAnswerOptions): Promise<AiAnswer> {
    const failures: AiAttemptFailure[] = [];
    for (const target of targets) {
      const client = this.clients[target.provider];
      const breakerKey = breakerKeyOf(target, options.tenantId);
      const breaker = this.breakerAt(breakerKey);
      if (!breaker.tryAcquire()) {
        failures.push({ provider: target.provider, model: target.model, error: 'circuit open' });
        this.metrics.aiAttemptFailed(target.provider, 'circuit_open');
        continue;
      }
      try {
        const completion = await client.complete(target, messages, options.maxTokens, options.tools);
        this.settled(breakerKey, breaker);
        if (failures.length > 0) this.metrics.aiFallbackAnswered(target.provider);
        return {
          text: completion.text,
          provider: target.provider,
          model: target.model,
          failures,
          usage: completion.usage,
          ...(completion.toolCalls ? { toolCalls: completion.toolCalls } : {}),
        };
      } catch (err) {
        const failure = toFailure(target, err);
        failures.push(failure);
        this.metrics.aiAttemptFailed(target.provider, failureReason(err));
        this.logger?.warn({ ...options.logContext, ...failure }, 'AI provider attempt failed');
        if (!isProviderDown(err)) {
          // A 4xx or an empty answer is about this key, model or request: the provider itself
          // answered, so a bad key or model must not cut that key off.
          this.settled(breakerKey, breaker);
        } else if (breaker.recordFailure()) {
          this.logger?.warn({ ...options.logContext, provider: target.provider }, 'AI provider circuit opened');
        }
      }
    }
    throw new AllProvidersFailedError(failures);
  }

  private breakerAt(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(this.breakerOptions);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** A success closes the breaker, which then knows nothing a new one would not. */
  private settled(key: string, breaker: CircuitBreaker): void {
    breaker.recordSuccess();
    if (this.breakers.get(key) === breaker) this.breakers.delete(key);
  }
}

/** The key itself never sits in memory as a map key: a short hash of it names it. */
function breakerKeyOf(target: AiTarget, tenantId: string | undefined): string {
  const fingerprint = createHash('sha256').update(target.apiKey, 'utf8').digest('hex').slice(0, 16);
  return `${target.provider}:${fingerprint}:${tenantId ?? ''}`;
}

/** A bounded label for /metrics: the failure's kind, with the HTTP status class. */
function failureReason(err: unknown): string {
  if (!(err instanceof AiProviderError)) return 'unexpected';
  if (err.kind !== 'http') return err.kind;
  return err.status !== null && err.status >= 500 ? 'http_5xx' : 'http_4xx';
}

/** Timeouts, dropped connections and 5xx say the provider is unwell; other failures do not. */
function isProviderDown(err: unknown): boolean {
  if (!(err instanceof AiProviderError)) return true;
  if (err.kind === 'timeout' || err.kind === 'network') return true;
  return err.kind === 'http' && err.status !== null && err.status >= 500;
}

function toFailure(target: AiTarget, err: unknown): AiAttemptFailure {
  // The client's errors are already secret-free; anything else is a bug, named but not echoed.
  const error =
    err instanceof AiProviderError ? err.message : `unexpected ${err instanceof Error ? err.name : 'error'}`;
  return { provider: target.provider, model: target.model, error };
}
