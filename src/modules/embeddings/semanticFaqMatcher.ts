// The message-time half of provider embeddings: for a message the lexical matcher did not answer, one
// embeddings request (bounded by EMBEDDING_TIMEOUT_MS), compared with the tenant's stored FAQ vectors and
// blended with the lexical scores (domain/faqBlend.ts). Any failure, timeout or missing vector means
// "no semantic match": the reply goes on exactly as it would without embeddings.
import { errorText } from '../../domain/errorText.js';
import { blendFaqMatch, nearestWording, unitWordings, type BlendCandidate } from '../../domain/faqBlend.js';
import { faqEntriesOf } from '../../domain/faqEntries.js';
import type { FaqEntry, FaqMatch } from '../../domain/faqMatcher.js';
import {
  embeddingModelLabel,
  embeddingTarget,
  type EmbeddingModel,
  type EmbeddingServer,
} from '../../domain/embeddingTarget.js';
import type {
  EmbeddingLogger,
  EmbeddingProvider,
  EmbeddingStores,
  SemanticFaqContext,
  SemanticFaqMatch,
  StoredFaqVectors,
} from './ports.js';

export interface SemanticFaqMatcherOptions {
  provider: EmbeddingProvider;
  stores: EmbeddingStores;
  model: EmbeddingModel;
  server: EmbeddingServer;
  /** EMBEDDING_TIMEOUT_MS: the most a message waits for its embedding. */
  timeoutMs: number;
  minSimilarity: number;
  logger: EmbeddingLogger;
  /** Vectors are reloaded after this long even without a change (another process may have refreshed them). */
  cacheMaxAgeMs?: number;
  /** The most bytes of vectors kept across tenants; the least recently used tenant's go first. */
  cacheMaxBytes?: number;
  now?: () => number;
}

/** A message is embedded up to this many characters: a question is short, and the cost grows with length. */
const MAX_MESSAGE_CHARS = 2_000;
/** 1,536 float32 dimensions are 6 KB a wording: 128 MB holds about 20,000 wordings across tenants. */
const DEFAULT_CACHE_MAX_BYTES = 128 * 1024 * 1024;

interface CachedVectors {
  vectors: Promise<StoredFaqVectors[]>;
  loadedAt: number;
  /** Known once the load has resolved; counted in `cachedBytes` from then on. */
  bytes: number;
}

export class SemanticFaqMatcher implements SemanticFaqMatch {
  private readonly label: string;
  /** In least recently used order: a hit moves the tenant to the end. */
  private readonly cache = new Map<string, CachedVectors>();
  private cachedBytes = 0;
  private readonly now: () => number;

  constructor(private readonly options: SemanticFaqMatcherOptions) {
    this.label = embeddingModelLabel(options.model);
    this.now = options.now ?? Date.now;
  }

  /** The FAQ the embeddings say the message asks, or null (no key, no vectors, a failure, or no clear match). */
  async match(tenantId: string, context: SemanticFaqContext, text: string): Promise<FaqMatch | null> {
    const target = embeddingTarget(this.options.model, context.configuration.tenant, this.options.server);
    if (!target) return null;
    let stored: StoredFaqVectors[];
    try {
      stored = await this.vectorsOf(tenantId);
    } catch (err) {
      this.options.logger.warn({ tenantId, err: errorText(err) }, 'FAQ vectors could not be read');
      return null;
    }
    const entries = firstEntries(context.configuration.training);
    const present = stored.filter((row) => entries.has(row.trainingDataId));
    // Nothing to compare the message with: no request is made.
    if (present.length === 0) return null;

    const embedded = await this.embedMessage(tenantId, target, text);
    if (!embedded) return null;
    const query = Float64Array.from(embedded);
    const lexical = new Map<string, number>();
    for (const match of context.faq.top(text, Number.MAX_SAFE_INTEGER)) {
      if (!lexical.has(match.entry.id)) lexical.set(match.entry.id, match.score);
    }
    const candidates: BlendCandidate[] = present.map((row) => ({
      entry: entries.get(row.trainingDataId) as FaqEntry,
      similarity: nearestWording(query, row.vectors, row.dimensions),
      lexical: lexical.get(row.trainingDataId) ?? 0,
    }));
    return blendFaqMatch(candidates, { minSimilarity: this.options.minSimilarity });
  }

  /** The tenant's rows changed, or new vectors were stored: read them again at the next message. */
  invalidate(tenantId: string): void {
    if (this.cache.has(tenantId)) this.forget(tenantId);
    else if (!/^[0-9a-f-]{36}$/i.test(tenantId)) {
      this.cache.clear();
      this.cachedBytes = 0;
    }
  }

  private async embedMessage(
    tenantId: string,
    target: Parameters<EmbeddingProvider['embed']>[0],
    text: string,
  ): Promise<number[] | null> {
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    // The client bounds its own request; this bounds the wait whatever the client does.
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs + 50);
    });
    try {
      const result = await Promise.race([
        this.options.provider.embed(target, [text.slice(0, MAX_MESSAGE_CHARS)], { timeoutMs, tenantId }),
        deadline,
      ]);
      if (!result) {
        this.options.logger.warn({ tenantId, model: this.label }, 'message embedding timed out; lexical FAQ only');
        return null;
      }
      await this.options.stores
        .forTenant(tenantId)
        .recordUsage({ model: this.label, purpose: 'message', inputs: 1, promptTokens: result.promptTokens })
        .catch((err: unknown) =>
          this.options.logger.warn({ tenantId, err: errorText(err) }, 'embedding usage not recorded'),
        );
      return result.vectors[0] ?? null;
    } catch (err) {
      this.options.logger.warn(
        { tenantId, model: this.label, err: errorText(err) },
        'message embedding failed; lexical FAQ only',
      );
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private vectorsOf(tenantId: string): Promise<StoredFaqVectors[]> {
    const cached = this.cache.get(tenantId);
    if (cached && this.now() - cached.loadedAt < (this.options.cacheMaxAgeMs ?? 60_000)) {
      this.cache.delete(tenantId);
      this.cache.set(tenantId, cached);
      return cached.vectors;
    }
    if (cached) this.forget(tenantId);
    // Scaled to length 1 once per load, so each message costs one dot product per wording.
    const vectors = this.options.stores
      .forTenant(tenantId)
      .current(this.label)
      .then((rows) => rows.map((row) => ({ ...row, vectors: unitWordings(row.vectors, row.dimensions) })));
    const entry: CachedVectors = { vectors, loadedAt: this.now(), bytes: 0 };
    this.cache.set(tenantId, entry);
    entry.vectors.then(
      (rows) => {
        if (this.cache.get(tenantId) !== entry) return;
        entry.bytes = rows.reduce((sum, row) => sum + row.vectors.byteLength, 0);
        this.cachedBytes += entry.bytes;
        this.evictBeyondBound(tenantId);
      },
      () => {
        if (this.cache.get(tenantId) === entry) this.forget(tenantId);
      },
    );
    return entry.vectors;
  }

  private forget(tenantId: string): void {
    this.cachedBytes -= this.cache.get(tenantId)?.bytes ?? 0;
    this.cache.delete(tenantId);
  }

  /** Drops the least recently used tenants' vectors until the cache fits; the one just loaded stays. */
  private evictBeyondBound(keep: string): void {
    const limit = this.options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    for (const tenantId of this.cache.keys()) {
      if (this.cachedBytes <= limit) return;
      if (tenantId !== keep) this.forget(tenantId);
    }
  }
}

type Training = SemanticFaqContext['configuration']['training'];
/** By the cached context's training rows: built once per context, not per message. */
const entriesByTraining = new WeakMap<Training, Map<string, FaqEntry>>();

/** Each active FAQ's own entry (its question, answer, priority, confidence) by row id. */
function firstEntries(training: Training): Map<string, FaqEntry> {
  const cached = entriesByTraining.get(training);
  if (cached) return cached;
  const byId = new Map<string, FaqEntry>();
  for (const entry of faqEntriesOf(training.filter((row) => row.dataType === 'faq'))) {
    if (!byId.has(entry.id)) byId.set(entry.id, entry);
  }
  entriesByTraining.set(training, byId);
  return byId;
}
