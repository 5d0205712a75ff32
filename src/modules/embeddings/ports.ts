// What provider embeddings need from the outside world; adapters implement these.
import type { AiTarget } from '../../domain/aiTypes.js';
import type { EmbeddingTenant } from '../../domain/embeddingTarget.js';
import type { FaqRow } from '../../domain/faqEntries.js';
import type { FaqMatch } from '../../domain/faqMatcher.js';

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  promptTokens: number;
}

export interface EmbeddingProvider {
  /** One request for every input; rejects when the provider fails, answers malformed vectors, or takes longer than `timeoutMs`. */
  embed(target: AiTarget, inputs: string[], options: { timeoutMs: number; tenantId: string }): Promise<EmbeddingResult>;
}

/** An FAQ row claimed for embedding: its text as it is now, and the hash of that text. */
export interface ClaimedFaqRow {
  id: string;
  question: string;
  variants: string[];
  textHash: string;
}

export interface FaqRowVectors {
  id: string;
  textHash: string;
  dimensions: number;
  /** The row's wordings' vectors one after another. */
  vectors: number[];
}

/** The current vectors of one FAQ row (only rows whose text has not changed since they were embedded). */
export interface StoredFaqVectors {
  trainingDataId: string;
  dimensions: number;
  vectors: Float32Array;
}

export interface EmbeddingUsage {
  model: string;
  purpose: 'faq' | 'message';
  inputs: number;
  promptTokens: number;
}

/** One tenant's embeddings: built for one tenant, every statement filters by it. */
export interface TenantEmbeddingStore {
  /**
   * Claims up to `limit` active FAQ rows whose vectors are missing, of another model or of other
   * text, for `leaseMs`; rows another process holds are skipped.
   */
  claimStale(model: string, limit: number, leaseMs: number): Promise<ClaimedFaqRow[]>;
  /** Stores the vectors and ends the claims. */
  save(model: string, rows: FaqRowVectors[]): Promise<void>;
  /** Leaves the rows claimed for `ms` more: a failed refresh is not retried on every tick. */
  backOff(ids: string[], ms: number): Promise<void>;
  current(model: string): Promise<StoredFaqVectors[]>;
  recordUsage(usage: EmbeddingUsage): Promise<void>;
}

export interface EmbeddingStores {
  forTenant(tenantId: string): TenantEmbeddingStore;
}

/** The one cross-tenant question of the refresh job: whose FAQ rows need embedding. */
export interface EmbeddingDirectory {
  tenantsWithStaleFaqs(model: string, limit: number, exclude: readonly string[]): Promise<string[]>;
}

/** The tenant's AI keys and policy, as the chat path reads them (null: no such tenant, or inactive). */
export type EmbeddingTenantSource = (tenantId: string) => Promise<EmbeddingTenant | null>;

export interface EmbeddingLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** What the semantic matcher reads of a tenant's cached context (the reply worker's TenantContext has it). */
export interface SemanticFaqContext {
  configuration: { tenant: EmbeddingTenant; training: readonly (FaqRow & { dataType: string })[] };
  faq: { top(text: string, limit: number): FaqMatch[] };
}

/** The FAQ step's second opinion, asked only when the lexical matcher answered nothing; never rejects. */
export interface SemanticFaqMatch {
  match(tenantId: string, context: SemanticFaqContext, text: string): Promise<FaqMatch | null>;
}
