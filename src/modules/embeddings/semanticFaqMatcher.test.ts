// The message-time vector cache is bounded across tenants: the least recently used tenant's vectors
// are dropped first, and a dropped tenant's are read again at its next message.
import { describe, expect, it } from 'vitest';
import type { EmbeddingStores, SemanticFaqContext, StoredFaqVectors, TenantEmbeddingStore } from './ports.js';
import { SemanticFaqMatcher } from './semanticFaqMatcher.js';

const DIMENSIONS = 4;
/** Four float32 wordings of four dimensions: 64 bytes of vectors per tenant. */
const TENANT_BYTES = 4 * DIMENSIONS * 4;

function context(rowId: string): SemanticFaqContext {
  return {
    configuration: {
      tenant: { aiProvider: 'openai', aiApiKey: 'sk-tenant', serverAiAllowed: false, metadata: {} },
      training: [
        {
          id: rowId,
          dataType: 'faq',
          question: 'When are you open?',
          answer: '9 to 5.',
          priority: 5,
          confidenceScore: 1,
        },
      ],
    },
    faq: { top: () => [] },
  };
}

function matcherWithReads(cacheMaxBytes: number) {
  const reads: string[] = [];
  const stores: EmbeddingStores = {
    forTenant: (tenantId) =>
      ({
        current: async (): Promise<StoredFaqVectors[]> => {
          reads.push(tenantId);
          return [{ trainingDataId: `row-${tenantId}`, dimensions: DIMENSIONS, vectors: new Float32Array(16).fill(1) }];
        },
        recordUsage: async () => undefined,
      }) as unknown as TenantEmbeddingStore,
  };
  const matcher = new SemanticFaqMatcher({
    provider: { embed: async () => ({ vectors: [[1, 1, 1, 1]], promptTokens: 3 }) },
    stores,
    model: { provider: 'openai', model: 'text-embedding-3-small' },
    server: { keys: {}, allowedModels: new Set() },
    timeoutMs: 1_000,
    minSimilarity: 0.75,
    logger: { warn: () => undefined, info: () => undefined },
    cacheMaxBytes,
  });
  const ask = (tenantId: string) => matcher.match(tenantId, context(`row-${tenantId}`), 'opening hours?');
  return { reads, ask };
}

describe('SemanticFaqMatcher vector cache', () => {
  it('keeps every tenant while they fit, reading each once', async () => {
    const { reads, ask } = matcherWithReads(3 * TENANT_BYTES);
    for (const tenant of ['a', 'b', 'c', 'a', 'b', 'c']) await ask(tenant);
    expect(reads).toEqual(['a', 'b', 'c']);
  });

  it('drops the least recently used tenant beyond its bound, and reads it again when it is asked', async () => {
    const { reads, ask } = matcherWithReads(2 * TENANT_BYTES);
    await ask('a');
    await ask('b');
    await ask('a'); // a is now the most recently used
    await ask('c'); // over the bound: b goes, a stays
    await ask('a');
    expect(reads).toEqual(['a', 'b', 'c']);
    await ask('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });
});
