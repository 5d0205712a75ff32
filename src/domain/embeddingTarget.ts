// Which provider, model and key embed a tenant's FAQs and messages: the server's EMBEDDING_MODEL on its
// provider (OpenAI unless named), paid with the key the AI chat path would use there (the tenant's own
// key, its fallback key, then the server's), and the server's key only within the server's AI policy.
import { apiKeyAt, providerSettings } from './aiFallbackOrder.js';
import type { AiProviderName, AiTarget } from './aiTypes.js';
import { withinServerPolicy } from './serverAiPolicy.js';

export interface EmbeddingModel {
  provider: AiProviderName;
  model: string;
}

/** What the tenant's configuration says about its AI keys. */
export interface EmbeddingTenant {
  aiProvider: string | null;
  aiApiKey: string | null;
  serverAiAllowed: boolean;
  metadata: Record<string, unknown>;
}

export interface EmbeddingServer {
  keys: Partial<Record<AiProviderName, string>>;
  allowedModels: ReadonlySet<string>;
}

/** The label stored with vectors and usage: vectors of different models are never compared. */
export const embeddingModelLabel = (model: EmbeddingModel): string => `${model.provider}:${model.model}`;

/** The target to embed with, or null when the tenant has no key it may use for it. */
export function embeddingTarget(
  model: EmbeddingModel,
  tenant: EmbeddingTenant,
  server: EmbeddingServer,
): AiTarget | null {
  const apiKey = apiKeyAt(
    {
      tenant: { provider: tenant.aiProvider, apiKey: tenant.aiApiKey },
      tenantFallbacks: { keys: providerSettings(tenant.metadata['fallback_keys']) },
      server: { keys: server.keys },
    },
    model.provider,
  );
  if (apiKey === null) return null;
  const [target] = withinServerPolicy([{ provider: model.provider, model: model.model, apiKey }], {
    allowed: tenant.serverAiAllowed,
    serverKeys: server.keys,
    allowedModels: server.allowedModels,
  });
  return target ?? null;
}
