// Which model looks at a tenant's pictures and which targets transcribe its voice notes, from the
// tenant's own settings first and the server's second.
import { apiKeyAt, providerSettings, tenantProviderName } from '../../domain/aiFallbackOrder.js';
import type { AiProviderName, AiTarget } from '../../domain/aiTypes.js';
import { withinServerPolicy } from '../../domain/serverAiPolicy.js';
import { parseModelChoice, readsImages } from '../../domain/visionModels.js';
import type { TenantContext } from './tenantContextCache.js';

export interface ServerMediaModels {
  keys: Partial<Record<AiProviderName, string>>;
  /** Default chat model per provider, for a tenant without its own ai_model. */
  models: Record<AiProviderName, string>;
  /** AI_VISION_MODEL: "model" or "provider:model"; null when unset. */
  visionModel: string | null;
  /** AI_TRANSCRIPTION_MODEL: "model", "provider:model" or a comma-separated list; null when off. */
  transcriptionModel: string | null;
  /** The only models the server's keys pay for (config.ai.serverAllowedModels). */
  allowedModels: ReadonlySet<string>;
}

export interface MediaModels {
  /** Null: nothing can look at pictures. Else the vision model to ask instead of the tenant's own (undefined: its own reads them). */
  vision: { model: string | undefined } | null;
  /** In order; empty when transcription is off or no provider has a key. */
  transcription: AiTarget[];
}

const OFF = /^(?:none|off)$/i;
/** whisper-1 and its kin are OpenAI's names: a bare transcription model runs there. */
const DEFAULT_TRANSCRIPTION_PROVIDER: AiProviderName = 'openai';

export function mediaModels(context: TenantContext, server: ServerMediaModels): MediaModels {
  return { vision: visionOf(context, server), transcription: transcriptionOf(context, server) };
}

function visionOf(context: TenantContext, server: ServerMediaModels): MediaModels['vision'] {
  const { tenant } = context.configuration;
  const { settings } = context;
  // The answer about a picture comes from the AI; with AI answers off there is nobody to look.
  if (!settings.enableAiResponses) return null;
  const own = stringSetting(tenant.metadata['vision_model']);
  if (own !== null) return OFF.test(own) ? null : { model: own };
  const provider = tenantProviderName(tenant.aiProvider);
  const tenantModel = tenant.aiModel?.trim() || (provider === null ? null : server.models[provider]);
  if (tenantModel && readsImages(tenantModel)) return { model: undefined };
  return server.visionModel === null ? null : { model: server.visionModel };
}

function transcriptionOf(context: TenantContext, server: ServerMediaModels): AiTarget[] {
  const { tenant } = context.configuration;
  const setting = stringSetting(tenant.metadata['transcription_model']) ?? server.transcriptionModel;
  if (setting === null || OFF.test(setting)) return [];
  const keys = {
    tenant: { provider: tenant.aiProvider, apiKey: tenant.aiApiKey },
    tenantFallbacks: { keys: providerSettings(tenant.metadata['fallback_keys']) },
    server,
  };
  const targets: AiTarget[] = [];
  for (const entry of setting.split(',')) {
    const choice = parseModelChoice(entry);
    if (choice === null) continue;
    const provider = choice.provider ?? DEFAULT_TRANSCRIPTION_PROVIDER;
    // The key the chat chain would use there.
    const apiKey = apiKeyAt(keys, provider);
    if (apiKey !== null) targets.push({ provider, model: choice.model, apiKey });
  }
  return withinServerPolicy(targets, {
    allowed: tenant.serverAiAllowed,
    serverKeys: server.keys,
    allowedModels: server.allowedModels,
  });
}

function stringSetting(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
