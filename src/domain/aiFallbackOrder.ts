// Which provider, model and key to ask, in order: the tenant's own choice first, then the others.
import { AI_PROVIDERS, isAiProviderName } from './aiTypes.js';
import type { AiProviderName, AiTarget } from './aiTypes.js';

export interface AiFallbackOrderInput {
  /** The tenant row's ai_provider, ai_model and (decrypted) ai_api_key. */
  tenant: { provider: string | null; model: string | null; apiKey: string | null };
  /** Per-provider keys and models from the tenant's metadata. */
  tenantFallbacks: {
    keys: Partial<Record<AiProviderName, string>>;
    models: Partial<Record<AiProviderName, string>>;
  };
  /** Server-wide keys (OPENAI_API_KEY ...) and default models. */
  server: {
    keys: Partial<Record<AiProviderName, string>>;
    models: Record<AiProviderName, string>;
  };
}

/** What decides the key at a provider (the speech-to-text targets need no models). */
export interface KeySources {
  tenant: Pick<AiFallbackOrderInput['tenant'], 'provider' | 'apiKey'>;
  tenantFallbacks: Pick<AiFallbackOrderInput['tenantFallbacks'], 'keys'>;
  server: Pick<AiFallbackOrderInput['server'], 'keys'>;
}

/**
 * Returns each usable provider at most once. A provider with no key anywhere is skipped, and so
 * is a tenant provider that is not one we know (the caller logs it; see `tenantProviderName`).
 */
export function aiFallbackOrder(input: AiFallbackOrderInput): AiTarget[] {
  const { tenant, tenantFallbacks, server } = input;
  const targets: AiTarget[] = [];
  const primary = tenantProviderName(tenant.provider);

  if (primary !== null) {
    const model = firstValue(tenant.model, tenantFallbacks.models[primary], server.models[primary]);
    const apiKey = apiKeyAt(input, primary);
    if (model !== null && apiKey !== null) targets.push({ provider: primary, model, apiKey });
  }

  for (const provider of AI_PROVIDERS) {
    // The tenant's provider had its one chance above, with the best key it has.
    if (provider === primary) continue;
    const model = firstValue(tenantFallbacks.models[provider], server.models[provider]);
    const apiKey = apiKeyAt(input, provider);
    if (model !== null && apiKey !== null) targets.push({ provider, model, apiKey });
  }
  return targets;
}

/** The key the chain pays with at `provider`: the tenant's own key on its own provider, then its fallback key, then the server's. */
export function apiKeyAt(input: KeySources, provider: AiProviderName): string | null {
  const own = provider === tenantProviderName(input.tenant.provider) ? input.tenant.apiKey : null;
  return firstValue(own, input.tenantFallbacks.keys[provider], input.server.keys[provider]);
}

/** A per-provider setting of the tenant's metadata (fallback_keys, fallback_models); anything malformed reads as unset. */
export function providerSettings(value: unknown): Partial<Record<AiProviderName, string>> {
  const out: Partial<Record<AiProviderName, string>> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const provider of AI_PROVIDERS) {
    const setting = (value as Record<string, unknown>)[provider];
    if (typeof setting === 'string' && setting.trim()) out[provider] = setting.trim();
  }
  return out;
}

/**
 * The tenant's ai_provider as a provider name, or null when unset or unknown. Rows written by
 * hand in SQL may say "OpenAI" or carry spaces, so case and surrounding spaces are ignored.
 */
export function tenantProviderName(raw: string | null): AiProviderName | null {
  if (raw === null) return null;
  const normalised = raw.trim().toLowerCase();
  return isAiProviderName(normalised) ? normalised : null;
}

/** An empty or blank setting counts as unset, so it falls through to the next source. */
function firstValue(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    const trimmed = candidate?.trim();
    if (trimmed) return trimmed;
  }
  return null;
}
