// Part of the composition root (app.ts): provider embeddings for the FAQ matcher, the background refresh
// and the message-time matcher, wired to the embeddings client and the database; null when EMBEDDINGS=off.
import { EmbeddingClient } from '../adapters/ai/embeddingClient.js';
import type { AppDb } from '../adapters/db/database.js';
import { DbFaqEmbeddingDirectory } from '../adapters/db/faqEmbeddingDirectory.js';
import { DbTenantEmbeddingStore } from '../adapters/db/tenantEmbeddingStore.js';
import type { Config } from '../config.js';
import { FaqEmbeddingRefresher } from '../modules/embeddings/faqEmbeddingRefresher.js';
import type { EmbeddingLogger } from '../modules/embeddings/ports.js';
import { SemanticFaqMatcher } from '../modules/embeddings/semanticFaqMatcher.js';
import type { TenantContext } from '../modules/replies/tenantContextCache.js';

export interface EmbeddingWiring {
  matcher: SemanticFaqMatcher;
  refresher: FaqEmbeddingRefresher;
  /** A tenant's data changed (the change notification): reload its vectors, refresh its rows soon. */
  changed(tenantId: string): void;
}

export function embeddingWiring(
  config: Config,
  db: AppDb,
  logger: EmbeddingLogger,
  contextOf: (tenantId: string) => Promise<TenantContext | null>,
): EmbeddingWiring | null {
  const settings = config.embeddings;
  if (!settings) return null;
  const provider = new EmbeddingClient({ baseUrls: config.ai.baseUrls });
  const stores = { forTenant: (tenantId: string) => new DbTenantEmbeddingStore(db, tenantId) };
  const server = { keys: config.ai.keys, allowedModels: config.ai.serverAllowedModels };
  const matcher = new SemanticFaqMatcher({
    provider,
    stores,
    model: settings.model,
    server,
    timeoutMs: settings.timeoutMs,
    minSimilarity: settings.minSimilarity,
    logger,
  });
  const refresher = new FaqEmbeddingRefresher({
    directory: new DbFaqEmbeddingDirectory(db),
    stores,
    tenantOf: async (tenantId) => {
      const tenant = (await contextOf(tenantId))?.configuration.tenant;
      return tenant?.isActive ? tenant : null;
    },
    provider,
    model: settings.model,
    server,
    // Nobody waits for the background refresh: the AI timeout, not the message's.
    timeoutMs: config.ai.timeoutMs,
    everyMs: settings.refreshEveryMs,
    onEmbedded: (tenantId) => matcher.invalidate(tenantId),
    logger,
  });
  return {
    matcher,
    refresher,
    changed(tenantId) {
      matcher.invalidate(tenantId);
      refresher.nudge(tenantId);
    },
  };
}
