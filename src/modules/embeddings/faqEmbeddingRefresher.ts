// Keeps every tenant's FAQ vectors current in the background: each run finds the tenants whose FAQ rows
// have no vectors, or vectors of other text or another model, claims a batch of their rows at a time
// (rows another process claimed are skipped) and embeds each batch in one request with the tenant's
// key. Bounded per run; a change of training data nudges a run. Never at message time.
import { errorText } from '../../domain/errorText.js';
import { faqEntriesOf } from '../../domain/faqEntries.js';
import {
  embeddingModelLabel,
  embeddingTarget,
  type EmbeddingModel,
  type EmbeddingServer,
} from '../../domain/embeddingTarget.js';
import { PeriodicJob } from '../operations/periodicJob.js';
import type {
  ClaimedFaqRow,
  EmbeddingDirectory,
  EmbeddingLogger,
  EmbeddingProvider,
  EmbeddingStores,
  EmbeddingTenantSource,
} from './ports.js';

export interface FaqEmbeddingRefresherOptions {
  directory: EmbeddingDirectory;
  stores: EmbeddingStores;
  tenantOf: EmbeddingTenantSource;
  provider: EmbeddingProvider;
  model: EmbeddingModel;
  server: EmbeddingServer;
  /** Per request (EMBEDDING_REFRESH uses the AI timeout: nobody waits for it). */
  timeoutMs: number;
  everyMs: number;
  /** Called once a tenant has new vectors (this process's matcher reloads them). */
  onEmbedded?: (tenantId: string) => void;
  logger: EmbeddingLogger;
  /** Rows per request; each brings its question and variants. */
  batchRows?: number;
  batchesPerTenant?: number;
  tenantsPerRun?: number;
}

export interface RefreshSummary {
  tenants: number;
  rows: number;
  requests: number;
}

/** Long enough for a request and its writes; a process that dies mid-batch frees its rows after it. */
const LEASE_MS = 2 * 60_000;
/** After a failed request the rows wait this long, so a bad key or an outage is not hammered every run. */
const FAILURE_BACKOFF_MS = 5 * 60_000;
/** Wordings per row that are embedded (the question first); the admin API allows 20 variants. */
const MAX_WORDINGS_PER_ROW = 21;
/** Changes come in bursts (an import): one run for the burst. */
const NUDGE_DELAY_MS = 250;

export class FaqEmbeddingRefresher {
  private readonly job: PeriodicJob;
  private readonly label: string;
  /** Tenants with no key to embed with, skipped until they change (a change may add a key). */
  private readonly withoutKey = new Set<string>();

  constructor(private readonly options: FaqEmbeddingRefresherOptions) {
    this.label = embeddingModelLabel(options.model);
    this.job = new PeriodicJob(() => this.refreshSafely(), options.everyMs);
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** The tenant's data changed (or, for a non-tenant id, maybe everyone's): refresh soon. */
  nudge(tenantId: string): void {
    if (/^[0-9a-f-]{36}$/i.test(tenantId)) this.withoutKey.delete(tenantId);
    else this.withoutKey.clear();
    this.job.nudge(NUDGE_DELAY_MS);
  }

  /** One run: what the job does on every tick (and what tests and the bench call directly). */
  async refresh(): Promise<RefreshSummary> {
    const summary: RefreshSummary = { tenants: 0, rows: 0, requests: 0 };
    const tenantIds = await this.options.directory.tenantsWithStaleFaqs(this.label, this.options.tenantsPerRun ?? 20, [
      ...this.withoutKey,
    ]);
    for (const tenantId of tenantIds) {
      try {
        const { rows, requests } = await this.refreshTenant(tenantId);
        summary.tenants += rows > 0 ? 1 : 0;
        summary.rows += rows;
        summary.requests += requests;
      } catch (err) {
        this.options.logger.warn({ tenantId, err: errorText(err) }, 'FAQ embedding refresh failed');
      }
    }
    return summary;
  }

  private async refreshSafely(): Promise<void> {
    try {
      await this.refresh();
    } catch (err) {
      this.options.logger.warn({ err: errorText(err) }, 'FAQ embedding refresh failed');
    }
  }

  private async refreshTenant(tenantId: string): Promise<{ rows: number; requests: number }> {
    const tenant = await this.options.tenantOf(tenantId);
    const target = tenant && embeddingTarget(this.options.model, tenant, this.options.server);
    if (!target) {
      this.withoutKey.add(tenantId);
      return { rows: 0, requests: 0 };
    }
    const store = this.options.stores.forTenant(tenantId);
    let rows = 0;
    let requests = 0;
    for (let batch = 0; batch < (this.options.batchesPerTenant ?? 4); batch++) {
      const claimed = await store.claimStale(this.label, this.options.batchRows ?? 32, LEASE_MS);
      if (claimed.length === 0) break;
      const wordings = claimed.map(wordingsOf);
      requests += 1;
      let result: Awaited<ReturnType<EmbeddingProvider['embed']>>;
      try {
        result = await this.options.provider.embed(target, wordings.flat(), {
          timeoutMs: this.options.timeoutMs,
          tenantId,
        });
      } catch (err) {
        await store.backOff(
          claimed.map((row) => row.id),
          FAILURE_BACKOFF_MS,
        );
        this.options.logger.warn(
          { tenantId, model: this.label, rows: claimed.length, err: errorText(err) },
          'FAQ embeddings failed; the rows are retried later',
        );
        break;
      }
      await store.recordUsage({
        model: this.label,
        purpose: 'faq',
        inputs: wordings.flat().length,
        promptTokens: result.promptTokens,
      });
      let next = 0;
      await store.save(
        this.label,
        claimed.map((row, index) => {
          const count = wordings[index]?.length ?? 0;
          const vectors = result.vectors.slice(next, next + count);
          next += count;
          return { id: row.id, textHash: row.textHash, dimensions: vectors[0]?.length ?? 0, vectors: vectors.flat() };
        }),
      );
      rows += claimed.length;
    }
    if (rows > 0) {
      this.options.onEmbedded?.(tenantId);
      this.options.logger.info({ tenantId, model: this.label, rows, requests }, 'FAQ embeddings refreshed');
    }
    return { rows, requests };
  }
}

/** The row's distinct wordings, as the lexical matcher indexes them: the question, then its variants. */
function wordingsOf(row: ClaimedFaqRow): string[] {
  return faqEntriesOf([
    { id: row.id, question: row.question, answer: '', priority: 0, confidenceScore: 1, variants: row.variants },
  ])
    .map((entry) => entry.question)
    .slice(0, MAX_WORDINGS_PER_ROW);
}
