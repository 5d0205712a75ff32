// Asks each target in turn until one answers: the AiResponder the reply worker uses.
import { AI_PROVIDERS, AllProvidersFailedError } from '../../domain/aiTypes.js';
import type { AiAnswer, AiAttemptFailure, AiProviderName, AiTarget, ChatMessage } from '../../domain/aiTypes.js';
import { noMetrics, type Metrics } from '../../modules/operations/metrics.js';
import type { AiResponder, LogContext } from '../../modules/replies/ports.js';
import { CircuitBreaker } from './circuitBreaker.js';
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

interface Provider {
  client: OpenAiCompatibleClient;
  breaker: CircuitBreaker;
}

export class AiFallbackChain implements AiResponder {
  private readonly providers: Record<AiProviderName, Provider>;
  private readonly logger: AiFallbackChainOptions['logger'];
  private readonly metrics: NonNullable<AiFallbackChainOptions['metrics']>;

  constructor(options: AiFallbackChainOptions) {
    const breakerOptions = {
      failureThreshold: options.breaker?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
      cooldownMs: options.breaker?.cooldownMs ?? DEFAULT_COOLDOWN_MS,
      now: options.now ?? Date.now,
    };
    const entry = (provider: AiProviderName): Provider => ({
      client: new OpenAiCompatibleClient({ provider, baseUrl: options.baseUrls[provider], timeoutMs: options.timeoutMs }),
      // One breaker per provider endpoint: every tenant's calls to it share what is learnt.
      breaker: new CircuitBreaker(breakerOptions),
    });
    this.providers = Object.fromEntries(AI_PROVIDERS.map((p) => [p, entry(p)])) as Record<AiProviderName, Provider>;
    this.logger = options.logger;
    this.metrics = options.metrics ?? noMetrics;
  }

  async answer(targets: AiTarget[], messages: ChatMessage[], options: { maxTokens: number | null; logContext?: LogContext }): Promise<AiAnswer> {
    const failures: AiAttemptFailure[] = [];
    for (const target of targets) {
      const { client, breaker } = this.providers[target.provider];
      if (!breaker.tryAcquire()) {
        failures.push({ provider: target.provider, model: target.model, error: 'circuit open' });
        this.metrics.aiAttemptFailed(target.provider, 'circuit_open');
        continue;
      }
      try {
        const completion = await client.complete(target, messages, options.maxTokens);
        breaker.recordSuccess();
        if (failures.length > 0) this.metrics.aiFallbackAnswered(target.provider);
        return { text: completion.text, provider: target.provider, model: target.model, failures, usage: completion.usage };
      } catch (err) {
        const failure = toFailure(target, err);
        failures.push(failure);
        this.metrics.aiAttemptFailed(target.provider, failureReason(err));
        this.logger?.warn({ ...options.logContext, ...failure }, 'AI provider attempt failed');
        if (!isProviderDown(err)) {
          // A 4xx or an empty answer is about this key, model or request: the provider itself
          // answered, so one tenant's bad key must not cut the provider off for everyone.
          breaker.recordSuccess();
        } else if (breaker.recordFailure()) {
          this.logger?.warn({ ...options.logContext, provider: target.provider }, 'AI provider circuit opened');
        }
      }
    }
    throw new AllProvidersFailedError(failures);
  }
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
  const error = err instanceof AiProviderError ? err.message : `unexpected ${err instanceof Error ? err.name : 'error'}`;
  return { provider: target.provider, model: target.model, error };
}
